"""The pages the load benchmark drives, with the cookies a real visitor would send.

Built inside the benchmark's Django process (production settings, the bench database), so
the cookies are real: the consent cookie comes from POSTing the consent form, the session
cookie from a signed-in client. Every page view records a visit, so each scenario's visits
are counted against the requests served.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from benchmarks.wrk import USER_AGENT
from consent.cookies import CONSENT_COOKIE
from visits import spool
from visits.models import Visit
from visits.visitor_cookie import VISITOR_COOKIE

BENCH_EMAIL = "bench@example.se"


@dataclass
class Scenario:
    name: str
    path: str
    cookie: str = ""


def count_visits():
    """Visits in the database once the spool is drained, as the statistics page will see them."""
    spool.drain()
    return Visit.objects.count()


def cookie_header(client):
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def consenting_visitor():
    """A client that accepted every cookie category through the banner's form."""
    client = Client(HTTP_HOST="127.0.0.1")
    # As a browser posts the banner's form: the site refuses multipart bodies to views that
    # take no file (core/requestbody.py), and the test client's default is multipart.
    response = client.post(
        reverse("consent:choose"),
        urlencode({"choice": "accept_all", "next": "/"}),
        content_type="application/x-www-form-urlencoded",
    )
    if response.status_code != 302:
        raise RuntimeError(f"consent POST answered {response.status_code}")
    # The first page after consenting sets the visitor id; later requests send it back. Only a
    # browser's user agent gets one: the site records no visit for an empty one, which the test
    # client sends.
    client.get(reverse("home"), headers={"user-agent": USER_AGENT})
    if VISITOR_COOKIE.name not in client.cookies:
        raise RuntimeError("the first page after consenting set no visitor id")
    return client


def verified_customer():
    user, _ = get_user_model().objects.get_or_create(email=BENCH_EMAIL)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def build_scenarios():
    consenting = consenting_visitor()
    return [
        Scenario("home (no choice)", reverse("home")),
        Scenario("home (statistics consent)", reverse("home"), cookie=cookie_header(consenting)),
        # Consent but no visitor id yet: each request is a first visit, given a new id.
        Scenario(
            "home (consent, 1st visit)",
            reverse("home"),
            cookie=f"{CONSENT_COOKIE.name}={consenting.cookies[CONSENT_COOKIE.name].value}",
        ),
        Scenario("policy page", reverse("policy:current")),
        Scenario("cookie settings page", reverse("consent:cookies")),
        Scenario("policy archive", reverse("policy:archive")),
        Scenario(
            "portal (signed in)",
            reverse("registrations:portal"),
            cookie=cookie_header(verified_customer()),
        ),
    ]
