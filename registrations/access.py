"""Who may use the portal: signed in, with a verified email address."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def is_verified(user):
    """Signed in with at least one verified email address: who may use the portal.

    A user loaded from the session carries the answer from the user cache
    (accounts/usercache.py), which any change to their addresses renews, so a portal page costs
    no query for it.
    """
    if not user.is_authenticated:
        return False
    verified = getattr(user, "has_verified_address", None)
    if verified is None:
        verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return verified


def verified_user_required(view):
    """Anonymous visitors go to login and back; unverified users are asked to verify."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_verified(request.user):
            return render(request, "registrations/verify_email.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
