"""No response ever sets a cookie missing from the declaration, or statistics without consent.

Every response of every public page and of the main journeys goes through
`assert_cookies_allowed`, including the hops of followed redirects.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import timezone, translation

from consent.tests.consent_utils import state_of
from core.cookies import STATISTICS, declared
from policy.models import PolicyVersion
from visits.visitor_cookie import VISITOR_COOKIE

pytestmark = pytest.mark.django_db


def assert_cookies_allowed(response, client):
    """Fail on an undeclared cookie, one outliving its declaration, or tracking without consent."""
    for name, morsel in response.cookies.items():
        cookie = declared(name)
        assert cookie is not None, f"{response.request['PATH_INFO']} sets undeclared cookie {name}"
        if morsel["max-age"] == 0 or morsel.value == "":
            continue  # a deletion
        if morsel["max-age"]:
            assert cookie.max_age is not None, f"{name} should end with the browser session"
            assert timedelta(seconds=int(morsel["max-age"])) <= cookie.max_age, name
        if cookie.category == STATISTICS:
            assert state_of(client).allows(STATISTICS), f"{name} set without statistics consent"


class CheckingClient(Client):
    def request(self, **request):
        response = super().request(**request)
        assert_cookies_allowed(response, self)
        return response


@pytest.fixture
def checking_client():
    return CheckingClient()


def public_paths():
    """Every URL of the site that takes no argument, in both languages, admin aside."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    paths = set()
    for name in names:
        if name.startswith("admin:"):
            continue
        for language in ["sv", "en"]:
            with translation.override(language):
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:
                    continue
    return sorted(paths)


def browse_everything(client, **headers):
    for path in [*public_paths(), "/sidan-finns-inte/", "/en/no-such-page/"]:
        client.get(path, headers=headers, follow=True)


def test_the_page_list_covers_the_public_pages():
    paths = public_paths()
    for name in ["home", "about", "contact", "policy:current", "consent:cookies", "account_login"]:
        assert reverse(name) in paths
    with translation.override("en"):
        assert reverse("consent:cookies") in paths


def test_browsing_every_page_without_a_choice(checking_client):
    browse_everything(checking_client)
    browse_everything(checking_client, **{"Sec-GPC": "1"})


@pytest.mark.parametrize("choice", ["accept_all", "necessary_only", "withdraw"])
def test_browsing_every_page_after_each_choice(checking_client, choice):
    checking_client.post(reverse("consent:choose"), {"choice": choice, "next": "/"}, follow=True)
    browse_everything(checking_client)


def test_closing_the_policy_notice(checking_client, staff_user):
    version = PolicyVersion.objects.create(body_sv="Ny.", body_en="New.", is_major=True)
    version.publish(by=staff_user, effective_date=timezone.localdate())
    response = checking_client.post(
        reverse("policy:dismiss_notice", args=[version.number]), {"next": "/"}, follow=True
    )
    assert response.redirect_chain
    browse_everything(checking_client)


def test_signing_up_signing_in_and_out(checking_client, user):
    checking_client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.se",
            "password1": "ett-nytt-lösenord-2016",
            "password2": "ett-nytt-lösenord-2016",
            "language": "sv",
            "country": "SE",
        },
        follow=True,
    )
    assert len(mail.outbox) == 1
    checking_client.post(reverse("account_login"), {"login": user.email, "password": "fel"})
    checking_client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    checking_client.post(
        reverse("account_login"),
        {"login": user.email, "password": "ett-långt-lösenord-2016"},
        follow=True,
    )
    assert "_auth_user_id" in checking_client.session
    checking_client.post(
        reverse("consent:choose"), {"choice": "accept_all", "next": "/"}, follow=True
    )
    browse_everything(checking_client)
    checking_client.post(reverse("account_logout"), follow=True)
    assert "_auth_user_id" not in checking_client.session


def test_messages_ride_in_the_session_not_in_a_cookie_of_their_own(checking_client, verified_user):
    response = checking_client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": "ett-långt-lösenord-2016"},
    )
    assert response.status_code == 302
    assert "messages" not in response.cookies


def test_the_declared_lifetimes_match_the_settings_that_set_the_cookies(settings):
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) == timedelta(weeks=2)
    assert timedelta(seconds=settings.CSRF_COOKIE_AGE) == timedelta(weeks=52)
    assert declared(settings.SESSION_COOKIE_NAME).lifetime.startswith("Högst 2 veckor")
    assert declared(settings.CSRF_COOKIE_NAME).lifetime == "1 år"


def test_the_check_fails_on_an_undeclared_cookie():
    response = HttpResponse()
    response.set_cookie("messages", "hello", max_age=60)
    response.request = {"PATH_INFO": "/"}
    with pytest.raises(AssertionError, match="undeclared cookie messages"):
        assert_cookies_allowed(response, Client())


def test_the_check_fails_on_a_statistics_cookie_without_statistics_consent(client):
    response = HttpResponse()
    response.set_cookie(VISITOR_COOKIE.name, "a-visitor-id", max_age=60)
    response.request = {"PATH_INFO": "/"}
    with pytest.raises(AssertionError, match="without statistics consent"):
        assert_cookies_allowed(response, client)

    client.post(reverse("consent:choose"), {"choice": "accept_all", "next": "/"})
    assert_cookies_allowed(response, client)


def test_the_check_fails_on_a_cookie_outliving_its_declaration(client):
    response = HttpResponse()
    response.set_cookie(
        VISITOR_COOKIE.name, "a-visitor-id", max_age=int(timedelta(days=800).total_seconds())
    )
    response.request = {"PATH_INFO": "/"}
    client.post(reverse("consent:choose"), {"choice": "accept_all", "next": "/"})
    with pytest.raises(AssertionError, match=VISITOR_COOKIE.name):
        assert_cookies_allowed(response, client)
