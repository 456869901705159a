import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation


@pytest.fixture(autouse=True)
def _clean_slate():
    """Each test starts in Swedish with an empty cache.

    A request to /en/ leaves English active in the thread, and rate-limit counters and
    the cached current policy version would otherwise leak from one test into the next.
    """
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        email="kund@example.se", password="ett-långt-lösenord-2016", country="SE"
    )


@pytest.fixture
def staff_user(django_user_model):
    """A staff superuser with a verified email address and an authenticator app."""
    staff = django_user_model.objects.create_superuser(
        email="personal@centiro.se", password="personalens-lösenord-2016"
    )
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    TOTP.activate(staff, generate_totp_secret())
    return staff


def record_authentication(client, user, *methods):
    """Note in the client's session that `user` passed `methods` just now, as allauth does."""
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": method, "at": time.time(), "reauthenticated": False, **extra}
        for method, extra in methods
    ]
    session.save()


def sign_in_staff(client, user):
    """Sign `user` in as if with password and TOTP, which the admin requires of staff."""
    client.force_login(user)
    record_authentication(
        client, user, ("password", {"email": user.email}), ("mfa", {"type": "totp"})
    )
    return client


@pytest.fixture
def staff_client(client, staff_user):
    """A client signed in as a staff superuser with a second factor, ready for the admin."""
    return sign_in_staff(client, staff_user)


@pytest.fixture
def staff_member(client, django_user_model):
    """A client signed in, with a second factor, as staff who is in `groups` and nothing more."""

    def make(*groups):
        from django.contrib.auth.models import Group

        member = django_user_model.objects.create_user(
            email="medarbetare@centiro.se", password="medarbetarens-lösenord-2016", is_staff=True
        )
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        TOTP.activate(member, generate_totp_secret())
        member.groups.set(Group.objects.filter(name__in=groups))
        assert member.groups.count() == len(groups), "unknown group"
        return sign_in_staff(client, member)

    return make


@pytest.fixture(autouse=True)
def _visit_spool(settings, tmp_path_factory):
    """Each test spools its visits into a directory of its own (drain with recorded_visits())."""
    settings.VISIT_SPOOL_DIR = tmp_path_factory.mktemp("spool")
