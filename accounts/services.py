"""What the accounts app does for a user: their data, visit linking, deletion, admin access."""

import time
from functools import partial

from allauth.account.authentication import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import registry
from core.mail import send_to_user

EXPORT_FORMAT = "centiro-personal-data/1"


def _iso(value):
    return value.isoformat() if value else None


def account_facts(user):
    """The facts the accounts app itself keeps about `user` (keys are stable, see README)."""
    return {
        "email": user.email,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "language": user.language,
        "country": user.country.code or None,
        "mfa_enabled": Authenticator.objects.filter(user=user).exists(),
        "passkeys": [
            {
                "name": key.wrap().name,
                "added_at": _iso(key.created_at),
                "last_used_at": _iso(key.last_used_at),
            }
            for key in Authenticator.objects.filter(
                user=user, type=Authenticator.Type.WEBAUTHN
            ).order_by("created_at")
        ],
        "visit_link_consented_at": _iso(user.visit_link_consented_at),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_staff": user.is_staff,
    }


def personal_data(user):
    """Everything stored about `user`: the export's content and the "my data" page's."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": account_facts(user),
        "sections": {section.key: section.collect(user) for section in registry.sections()},
    }


@transaction.atomic
def set_visit_linking(user, enabled):
    """Turn "link my visit history to my account" on or off.

    Turning it off removes the links already made (each app's `on_visit_link_revoked`).
    """
    if enabled:
        if user.visit_link_consented_at is None:
            user.visit_link_consented_at = timezone.now()
            user.save(update_fields=["visit_link_consented_at"])
        return
    if user.visit_link_consented_at is not None:
        user.visit_link_consented_at = None
        user.save(update_fields=["visit_link_consented_at"])
    for section in registry.sections():
        if section.on_visit_link_revoked is not None:
            section.on_visit_link_revoked(user)


def delete_account(user):
    """Delete `user` and their personal data in one transaction; confirm by email after commit.

    Staff are deactivated instead: their email stays as the record of who
    published or changed what in the admin (see README, "Personal data").
    """
    with transaction.atomic():
        for section in registry.sections():
            section.delete(user)
        if user.is_staff:
            _deactivate_staff(user)
        else:
            _delete_customer(user)
        transaction.on_commit(
            partial(send_to_user, user, "accounts/email/account_deleted", {"staff": user.is_staff})
        )


def _delete_customer(user):
    LogEntry.objects.filter(
        Q(user=user)
        | Q(object_repr__icontains=user.email)
        | Q(change_message__icontains=user.email)
    ).delete()
    user.delete()


def _deactivate_staff(user):
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    user.is_active = False
    user.visit_link_consented_at = None
    user.country = ""
    user.set_unusable_password()
    user.save()


def authenticated_recently(request):
    """Did the user sign in or confirm their identity within the reauthentication window?

    allauth counts only reauthentications; a sign-in a moment ago is as fresh.
    """
    records = get_authentication_records(request, request.user)
    timeout = settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return bool(records) and time.time() - records[-1]["at"] < timeout


def is_mfa_authenticated(request):
    """Has the signed-in user passed a second factor in this session?

    allauth records every one as method "mfa": a TOTP or recovery code, a security key after the
    password, or a passkey alone (which allauth accepts only with user verification)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def can_use_admin(request):
    user = request.user
    return user.is_active and user.is_staff and is_mfa_authenticated(request)


def count_authenticator_activation_as_mfa(sender, request, user, authenticator, **kwargs):
    """Activating an authenticator app takes a valid code from it: that is the second factor
    for this sign-in, so the admin does not ask for another code straight away."""
    if authenticator.type == Authenticator.Type.TOTP and request is not None:
        # allauth has no public way to add a record; its public session key holds them, and
        # this appends one in the shape allauth's own login flow writes.
        records = [*get_authentication_records(request, user)]
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_limit_window(action):
    """The longest window, in seconds, of allauth's limit for `action` ("30/m/ip", "5/300s/key")."""
    windows = []
    for rate in settings.ACCOUNT_RATE_LIMITS[action].split(","):
        duration = rate.split("/")[1]
        windows.append(int(duration[:-1] or 1) * RATE_UNITS[duration[-1]])
    return max(windows)
