"""A guesser cannot lock the owner out: known browsers have their own failed sign-in count."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts import devices

DEVICE = settings.DEVICE_COOKIE_NAME
PASSWORD = "ett-långt-lösenord-2016"
BLOCKED = "För många misslyckade inloggningsförsök"

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, address, password):
    return client.post(reverse("account_login"), {"login": address, "password": password})


@pytest.fixture
def owners_browser(owner):
    """A browser in which the owner signed in once, then signed out."""
    first = Client()
    response = sign_in(first, owner.email, PASSWORD)
    assert response.status_code == 302
    browser = Client()
    browser.cookies[DEVICE] = response.cookies[DEVICE].value
    return browser


def guess(client, address, times):
    return [sign_in(client, address, f"gissning-{n}") for n in range(times)]


def test_a_sign_in_marks_the_browser_as_known_for_that_address_only(owners_browser, owner):
    request = owners_browser.get(reverse("home")).wsgi_request
    assert devices.is_known(request, owner.email)
    assert devices.is_known(request, owner.email.upper())
    assert not devices.is_known(request, "annan@example.se")
    cookie = owners_browser.cookies[DEVICE].value
    assert owner.email not in cookie


def test_the_owner_signs_in_from_a_known_browser_while_someone_guesses(owners_browser, owner):
    attacker = Client()
    guess(attacker, owner.email, 5)
    assert BLOCKED in sign_in(attacker, owner.email, PASSWORD).text
    assert BLOCKED in sign_in(Client(), owner.email, PASSWORD).text  # any unknown browser

    response = sign_in(owners_browser, owner.email, PASSWORD)

    assert response.status_code == 302
    assert owners_browser.session["_auth_user_id"] == str(owner.pk)


def test_guessing_from_a_known_browser_is_bounded_too(owners_browser, owner):
    responses = guess(owners_browser, owner.email, 5)
    assert all(BLOCKED not in response.text for response in responses)
    assert BLOCKED in sign_in(owners_browser, owner.email, PASSWORD).text
    assert "_auth_user_id" not in owners_browser.session


@pytest.mark.parametrize("value", ["", "x", "forged:value:abc"])
def test_a_forged_or_foreign_device_cookie_counts_as_unknown(owner, value):
    guess(Client(), owner.email, 5)
    browser = Client()
    browser.cookies[DEVICE] = value
    assert BLOCKED in sign_in(browser, owner.email, PASSWORD).text


def test_a_device_cookie_for_another_address_counts_as_unknown(owner, django_user_model):
    other = django_user_model.objects.create_user(email="annan@example.se", password=PASSWORD)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    response = sign_in(Client(), other.email, PASSWORD)
    guess(Client(), owner.email, 5)
    browser = Client()
    browser.cookies[DEVICE] = response.cookies[DEVICE].value
    assert BLOCKED in sign_in(browser, owner.email, PASSWORD).text
