import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Swedish: a request to /en/ leaves English active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        email="kund@example.se", password="ett-långt-lösenord-2016", country="SE"
    )


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser(
        email="personal@centiro.se", password="personalens-lösenord-2016"
    )


@pytest.fixture
def staff_client(client, staff_user):
    """A client signed in as a staff superuser, ready for the admin."""
    client.force_login(staff_user)
    return client
