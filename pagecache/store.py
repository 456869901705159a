"""Whole-page cache for anonymous visitors.

A GET or HEAD without a session cookie for a public page is answered from a cache keyed on
everything the page's body depends on (`KEY_PARTS`). Nothing is ever invalidated by
deleting: publishing a policy version changes the policy stamp, a new cookie
declaration changes its revision, a deploy changes the release id, and each of
these is part of the key.

A hit is served by `hit()`, inside the middleware that shape a response per visitor: the
visit is recorded and gets its visitor id cookie, the consent middleware deletes a leftover
cookie and adds its `Vary`, and the security headers, CSP and request id are added per
response. The WSGI application asks it before Django's handler (pagecache/earlyhits.py);
this middleware, last in MIDDLEWARE, asks it again for whatever reaches Django and stores
what a miss rendered. Only what the view produced is stored, and only when the view set no
cookie, used no CSRF token and changed no session.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from consent import state, texts
from core import release
from policy import services

# A page is stored in this process's memory and in the shared cache (Redis), and
# read from memory first (README, "Page cache").
LOCAL = "pages"
SHARED = "default"
TIMEOUT = 60 * 60

# Pages whose body is the same for every anonymous visitor in the same state. The
# cookie settings page shows a visitor's consent id once they have chosen.
CACHEABLE = {
    "home": None,
    "about": None,
    "contact": None,
    "policy:current": None,
    "policy:version": None,
    "policy:archive": None,
    "policy:diff": None,
    "consent:cookies": lambda request: not state.get(request).chosen,
}


def _consent_state(request):
    choice = state.get(request)
    categories = ",".join(sorted(choice.categories)) if choice.chosen else "-"
    return f"{categories}:gpc={int(choice.gpc)}"


# Everything the body of a cacheable page depends on, one function per input.
KEY_PARTS = (
    # The path and the query string: the banner and the language switcher link back to both.
    lambda request: request.get_full_path(),
    lambda request: f"{request.scheme}://{request.get_host()}",
    lambda request: translation.get_language(),
    _consent_state,
    lambda request: services.in_effect(request)["stamp"],
    services.notice_inputs,
    lambda request: texts.current_revision().revision,
    lambda request: release.release_id(),
)


def hashed(parts):
    return hashlib.sha256("\n".join(str(part) for part in parts).encode()).hexdigest()


def key_for(request):
    return "page:" + hashed(part(request) for part in KEY_PARTS)


# The URL patterns' language prefixes and translated paths depend on the active language. Bounded,
# as paths come from the request.
@functools.lru_cache(maxsize=1000)
def _resolved(language, path_info):
    try:
        return resolve(path_info)
    except Resolver404:
        return None


def cacheable_match(request):
    """The URL match of a request the cache may answer, or None."""
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    match = _resolved(translation.get_language(), request.path_info)
    if match is None or match.view_name not in CACHEABLE:
        return None
    condition = CACHEABLE[match.view_name]
    if condition is not None and not condition(request):
        return None
    return match


def _is_storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.session.modified
    )


def get(key, timeout=TIMEOUT):
    """What `put()` stored under `key`, from this process's memory or else the shared cache."""
    entry = caches[LOCAL].get(key)
    if entry is None:
        entry = caches[SHARED].get(key)
        if entry is not None:
            caches[LOCAL].set(key, entry, timeout)
    return entry


def put(key, entry, timeout=TIMEOUT):
    caches[LOCAL].set(key, entry, timeout)
    caches[SHARED].set(key, entry, timeout)


def _lookup(request):
    """(key, cached response) for a request the cache may answer, else (None, None)."""
    match = cacheable_match(request)
    if match is None:
        return None, None
    key = key_for(request)
    entry = get(key)
    if entry is None:
        return key, None
    status, headers, content = entry
    # The visit and metrics middleware recognise a page view by its URL match.
    request.resolver_match = match
    return key, HttpResponse(content, status=status, headers=headers)


def hit(request):
    """The cached response for this request, or None."""
    return _lookup(request)[1]


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key, response = _lookup(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if key is not None and _is_storable(request, response):
            put(key, (response.status_code, list(response.items()), response.content))
        return response
