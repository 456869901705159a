"""Who may use the portal: signed in, with a verified email address."""

from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


def is_verified(user):
    """Signed in with at least one verified email address: who may use the portal."""
    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def verified_user_required(view):
    """Anonymous visitors go to login and back; unverified users are asked to verify."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_verified(request.user):
            return render(request, "registrations/verify_email.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
