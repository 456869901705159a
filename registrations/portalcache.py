"""The portal page per user, rendered once for each state of what it shows.

The key holds everything a public page's key holds (pagecache.store.key_for(): path, host,
language, release and what the apps registered: consent, policy stamp, closed notice,
declaration revision), the user,
the policy notice shown to them, and two stamps that signals replace (`connect()`): the user's
own (accounts/usercache.py, read with the user; renewed by any change to them, their addresses
or their registrations), and the resources and products' in the shared cache. Staff (their header
depends on their permissions) and a request with messages waiting are rendered every time. The
page carries no CSRF token (signing out is protected by the browser's headers, accounts/views.py),
and a render that used one is not stored, so no body ever carries another session's token.
"""

import uuid

from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

from accounts import usercache
from pagecache import store as pagecache
from policy import services

RESOURCES = "portal:stamp:resources"
# Bounds what a change made while Redis was down (each process then has its own stamps) or
# made without signals (queryset.update) can leave stale.
TIMEOUT = 10 * 60


def _resources_stamp(user):
    found = getattr(user, "read_along_values", {}).get(RESOURCES)
    if found is None:
        cache.add(RESOURCES, uuid.uuid4().hex, None)
        found = cache.get(RESOURCES)
    return found


def _key(request):
    notice = services.notice_for_request(request)
    parts = [
        pagecache.key_for(request),
        request.user.pk,
        notice and notice.version.number,
        usercache.stamp(request.user),
        _resources_stamp(request.user),
    ]
    return "portal:" + pagecache.hashed(parts)


def _cacheable(request):
    return not request.user.is_staff and not request.session.get(SessionStorage.session_key)


def respond(request, render):
    """The portal for this request: cached, or `render()`ed and stored."""
    if not _cacheable(request):
        return render()
    key = _key(request)
    content = pagecache.get(key, TIMEOUT)
    if content is None:
        response = render()
        if response.status_code == 200 and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            pagecache.put(key, response.content, TIMEOUT)
        return response
    return HttpResponse(content)


def connect():
    """Replace the stamps whenever what the portal shows changes."""
    from registrations.models import Product, Registration, Resource

    usercache.read_along(RESOURCES)

    def registrations_changed(sender, instance, **kwargs):
        usercache.bump(instance.user_id)

    def resources_changed(sender, **kwargs):
        cache.set(RESOURCES, uuid.uuid4().hex, None)

    for signal in (post_save, post_delete):
        signal.connect(registrations_changed, sender=Registration, weak=False)
        signal.connect(resources_changed, sender=Resource, weak=False)
        signal.connect(resources_changed, sender=Product, weak=False)
