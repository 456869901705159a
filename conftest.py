import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.test.client import MULTIPART_CONTENT
from django.utils import translation
from django.utils.http import urlencode

from accounts.tests.mfa import activate_totp, sign_in_staff


@pytest.fixture(autouse=True, scope="session")
def _forms_posted_as_browsers_post_them():
    """The test client posts a dict without files urlencoded, as a browser posts such a form.

    Django's test client encodes every dict as multipart, which the site refuses outside the
    staff's file uploads (centiro_site/requestbody.py). A dict with a file, or a body given with
    its own content type, is sent unchanged.
    """
    post = RequestFactory.post

    def post_like_a_browser(self, path, data=None, content_type=MULTIPART_CONTENT, **kwargs):
        if (
            content_type == MULTIPART_CONTENT
            and isinstance(data, dict | None)
            and not any(hasattr(value, "read") for value in (data or {}).values())
        ):
            data = urlencode(data or {}, doseq=True)
            content_type = "application/x-www-form-urlencoded"
        return post(self, path, data, content_type, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RequestFactory, "post", post_like_a_browser)
        yield


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
    activate_totp(staff)
    return staff


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
        activate_totp(member)
        member.groups.set(Group.objects.filter(name__in=groups))
        assert member.groups.count() == len(groups), "unknown group"
        return sign_in_staff(client, member)

    return make
