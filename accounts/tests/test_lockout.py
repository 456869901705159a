"""A guesser cannot lock the owner out: known browsers have their own failed sign-in count."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import devices

DEVICE = devices.DEVICE_COOKIE.name
PASSWORD = "ett-långt-lösenord-2016"
BLOCKED = "För många misslyckade inloggningsförsök"

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(user_factory):
    return user_factory(password=PASSWORD)


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


def test_a_device_cookie_for_another_address_counts_as_unknown(owner, user_factory):
    other = user_factory("annan@example.se", PASSWORD)
    response = sign_in(Client(), other.email, PASSWORD)
    guess(Client(), owner.email, 5)
    browser = Client()
    browser.cookies[DEVICE] = response.cookies[DEVICE].value
    assert BLOCKED in sign_in(browser, owner.email, PASSWORD).text


@pytest.mark.parametrize(
    ("language", "retry"), [("sv", "Försök igen om 1 minut."), ("en", "Try again in 1 minute.")]
)
def test_sign_ins_refused_per_ip_show_the_form_again_with_the_address_typed(
    client, language, retry
):
    with translation.override(language):
        login = reverse("account_login")
    per_minute = int(settings.ACCOUNT_RATE_LIMITS["login"].split("/")[0])
    for n in range(per_minute):
        client.post(login, {"login": f"gissare-{n}@example.se", "password": "fel"})

    typed = {"login": "inköp@kund.example.se", "password": "hemligt-lösenord-123"}
    response = client.post(login, typed)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert retry in response.text
    assert 'value="inköp@kund.example.se"' in response.text
    assert "hemligt-lösenord-123" not in response.text
    assert 'name="password"' in response.text
