"""Header-based cross-origin protection: every combination of Sec-Fetch-Site and Origin."""

import pytest
from django.test import Client
from django.urls import reverse

from consent.cookies import CONSENT_COOKIE
from consent.models import ConsentRecord
from consent.tests.consent_utils import choose
from registrations.models import Registration
from registrations.notices import unsubscribe_token
from registrations.services import register_product

pytestmark = pytest.mark.django_db

OWN = "http://testserver"
TRUSTED = "https://partner.example"
# (Sec-Fetch-Site, Origin, allowed without a token?)
COMBINATIONS = [
    ("same-origin", None, True),
    ("same-origin", "https://evil.example", True),  # Sec-Fetch-Site is the browser's word
    ("none", None, True),
    ("same-site", None, False),
    ("same-site", OWN, False),
    ("cross-site", None, False),
    ("cross-site", OWN, False),
    ("something-new", None, False),
    (None, OWN, True),
    (None, TRUSTED, True),
    (None, "https://evil.example", False),
    (None, "http://testserver.evil.example", False),
    (None, "https://testserver", False),  # another scheme is another origin
    (None, "null", False),
]


def headers(site, origin):
    found = {}
    if site is not None:
        found["Sec-Fetch-Site"] = site
    if origin is not None:
        found["Origin"] = origin
    return found


@pytest.fixture(autouse=True)
def _trusted(settings):
    settings.CSRF_TRUSTED_ORIGINS = [TRUSTED]


@pytest.mark.parametrize(("site", "origin", "allowed"), COMBINATIONS)
def test_the_consent_form_is_judged_by_its_headers(site, origin, allowed):
    client = Client(enforce_csrf_checks=True)
    response = choose(client, "accept_all", headers=headers(site, origin))

    if allowed:
        assert response.status_code == 302
        assert CONSENT_COOKIE.name in response.cookies
        assert ConsentRecord.objects.count() == 1
    else:
        assert response.status_code == 403
        assert "Åtkomst nekad" in response.content.decode()
        assert CONSENT_COOKIE.name not in response.cookies
        assert ConsentRecord.objects.count() == 0


def test_a_cross_site_form_post_does_not_change_a_visitors_choice():
    client = Client(enforce_csrf_checks=True)
    choose(client, "necessary_only", headers={"Sec-Fetch-Site": "same-origin"})
    before = client.cookies[CONSENT_COOKIE.name].value

    forged = choose(
        client,
        "accept_all",
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )

    assert forged.status_code == 403
    assert CONSENT_COOKIE.name not in forged.cookies
    assert client.cookies[CONSENT_COOKIE.name].value == before
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == ["necessary_only"]


def test_the_consent_form_without_either_header_is_accepted_as_go_does():
    """No browser sends a cross-site form post without Origin; the pages carry no token."""
    response = choose(Client(enforce_csrf_checks=True), "necessary_only")
    assert response.status_code == 302
    assert ConsentRecord.objects.count() == 1


def test_anonymous_pages_carry_no_csrf_token_or_cookie(client):
    for name in ("home", "policy:current", "consent:cookies"):
        response = client.get(reverse(name))
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "csrftoken" not in response.cookies


@pytest.mark.parametrize(("site", "origin", "allowed"), COMBINATIONS)
def test_signing_out_is_judged_by_its_headers(user, site, origin, allowed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("account_logout"), headers=headers(site, origin))
    assert response.status_code == (302 if allowed else 403)
    assert ("_auth_user_id" in client.session) is not allowed


def test_signing_out_without_either_header_is_accepted_as_go_does(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_signed_in_pages_carry_no_token_for_signing_out(user):
    client = Client()
    client.force_login(user)
    for name in ("home", "policy:current"):
        response = client.get(reverse(name))
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "csrftoken" not in response.cookies


WRONG_KEY = {"key": "WRONG0000001"}


@pytest.mark.parametrize(("site", "origin", "allowed"), COMBINATIONS)
def test_other_forms_accept_the_headers_in_place_of_the_token(verified_user, site, origin, allowed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(verified_user)
    url = reverse("registrations:register")
    response = client.post(url, WRONG_KEY, headers=headers(site, origin))
    # Allowed: the form again, with the key judged; refused: the 403 page.
    assert response.status_code == (200 if allowed else 403)
    assert ("Åtkomst nekad" in response.content.decode()) is not allowed


def test_other_forms_without_either_header_still_need_the_token(verified_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(verified_user)
    url = reverse("registrations:register")
    assert client.post(url, WRONG_KEY).status_code == 403
    token = client.get(url).context["csrf_token"]
    assert client.post(url, {**WRONG_KEY, "csrfmiddlewaretoken": str(token)}).status_code == 200


def test_safe_methods_pass_whatever_the_headers(client):
    response = client.get(
        reverse("home"), headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "TRACE"])
def test_other_safe_methods_get_the_views_own_answer_from_any_origin(client, method):
    """A cross-site HEAD or CORS preflight changes nothing: never the 403 page."""
    url = reverse("account_login")  # a page the page cache does not answer before the view
    cross_site = client.generic(
        method, url, headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
    )
    plain = client.generic(method, url)
    assert cross_site.status_code == plain.status_code != 403


@pytest.mark.parametrize(
    "sent",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://webmail.example"},
        {"Origin": "https://webmail.example"},
    ],
)
def test_one_click_unsubscribe_is_judged_by_its_signed_link_not_by_its_origin(
    sent, product, licence_key, verified_user
):
    """RFC 8058: a webmail posts the one-click unsubscribe from its own origin, without a token."""
    register_product(verified_user, licence_key.key, updates_opt_in=True)
    url = reverse("registrations:unsubscribe", args=[unsubscribe_token(verified_user, product)])

    response = Client(enforce_csrf_checks=True).post(
        url, {"List-Unsubscribe": "One-Click"}, headers=sent
    )

    assert response.status_code == 200
    assert Registration.objects.get(user=verified_user).updates_opt_in is False
