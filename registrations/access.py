"""Who may use the portal: signed in, with a verified email address."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.shortcuts import render

# Only a yes is remembered: a user who just confirmed an address must not be told to again.
VERIFIED_SECONDS = 5 * 60


def _verified_key(user_pk):
    return f"portal:verified:{user_pk}"


def is_verified(user):
    """Signed in with at least one verified email address: who may use the portal.

    A yes is remembered in the cache, so a portal page costs no query for it; any change to
    the user's addresses forgets it (`connect()`).
    """
    if not user.is_authenticated:
        return False
    if cache.get(_verified_key(user.pk)):
        return True
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    if verified:
        cache.set(_verified_key(user.pk), True, VERIFIED_SECONDS)
    return verified


def connect():
    def addresses_changed(sender, instance, **kwargs):
        cache.delete(_verified_key(instance.user_id))

    for signal in (post_save, post_delete):
        signal.connect(addresses_changed, sender=EmailAddress, weak=False)


def verified_user_required(view):
    """Anonymous visitors go to login and back; unverified users are asked to verify."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_verified(request.user):
            return render(request, "registrations/verify_email.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
