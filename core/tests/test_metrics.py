"""The Prometheus endpoint: who may read it, that its counters move, what its labels hold."""

import datetime
import re
import smtplib

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import DatabaseError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from consent.cookies import STATISTICS
from core import metrics
from core.days import day_bounds
from core.mail import send_to_user
from registrations.attempts import FAILURES_PER_ACCOUNT
from registrations.models import LicenceKey, Product
from visits.models import DailyVisitors, RollupMark

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def url_names(patterns=None, namespace=""):
    """Every view name the URLconf can resolve to (what the `view` label may say)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            # Django names an unnamed pattern's match by its view's module and name (the admin's
            # catch-all view): still one of a closed set.
            view = getattr(pattern.callback, "view_class", pattern.callback)
            names.add(namespace + (pattern.name or f"{view.__module__}.{view.__name__}"))
    return names


def scrape(client):
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    return list(text_string_to_metric_families(response.content.decode()))


def value(families, name, **labels):
    return sum(
        sample.value
        for family in families
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


def test_metrics_are_served_to_allowed_addresses_only(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.5"]

    assert client.get(reverse("metrics"), REMOTE_ADDR="10.0.0.5").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get(reverse("metrics")).status_code == 404


def test_a_forged_forwarded_address_does_not_open_the_metrics(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    forged = client.get(
        reverse("metrics"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert forged.status_code == 404


def test_request_counts_and_latency_move_by_view_and_status(client):
    before = scrape(client)
    client.get(reverse("about"), HTTP_USER_AGENT=BROWSER)
    client.get(reverse("about"), HTTP_USER_AGENT=BROWSER)
    client.get("/finns-inte/12345/")
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("centiro_requests_total", view="about", method="GET", status="200") == 2
    assert delta("centiro_requests_total", view="unresolved", status="404") == 1
    assert delta("centiro_request_duration_seconds_count", view="about") == 2
    assert delta("centiro_visits_total", outcome="recorded") == 2


def test_consent_choices_rate_limits_and_mail_failures_are_counted(
    client, django_user_model, monkeypatch
):
    before = scrape(client)
    client.post(reverse("consent:choose"), {"choice": "accept_all"}, HTTP_SEC_FETCH_SITE="none")
    client.post(reverse("consent:choose"), {"choice": "necessary_only"}, HTTP_SEC_FETCH_SITE="none")
    user = django_user_model.objects.create_user(email="kund@example.se", password="x-y-z-2016")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    for _ in range(FAILURES_PER_ACCOUNT + 1):
        client.post(reverse("registrations:register"), {"key": "FELNYCKEL0001"})

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    with pytest.raises(smtplib.SMTPException):
        send_to_user(user, "registrations/email/notice", {"subject": "x", "body": "y"})
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("centiro_consent_choices_total", kind="accept_all") == 1
    assert delta("centiro_consent_choices_total", kind="necessary_only") == 1
    assert delta("centiro_rate_limit_rejections_total", scope="registrations.register.user") == 1
    assert delta("centiro_mail_send_failures_total") == 1


def test_database_errors_are_counted(client, verified_user, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("the database is down")

    # Verified: the user comes from the cache, the portal's render needs the database.
    client.force_login(verified_user)
    before = scrape(client)

    def full_disk(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr("visits.spool.append", full_disk)
    assert client.get(reverse("about"), HTTP_USER_AGENT=BROWSER).status_code == 200
    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    assert client.get(reverse("healthz")).status_code == 503
    # As in production: the exception becomes the 503 page instead of reaching the test.
    client.raise_request_exception = False
    assert client.get(reverse("registrations:portal")).status_code == 503
    monkeypatch.undo()
    after = scrape(client)

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("centiro_database_errors_total", source="healthz") == 1
    assert delta("centiro_database_errors_total", source="request") == 1
    assert delta("centiro_requests_total", view="registrations:portal", status="503") == 1
    assert delta("centiro_visits_total", outcome="lost") == 1


def test_the_rollup_age_is_the_time_since_the_last_rolled_up_day_ended(client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DailyVisitors.objects.create(day=yesterday - datetime.timedelta(days=3), distinct_ids=0)
    DailyVisitors.objects.create(day=yesterday, distinct_ids=0)

    age = value(scrape(client), "centiro_visit_rollup_age_seconds")

    expected = timezone.now() - day_bounds(yesterday)[1]
    assert abs(age - expected.total_seconds()) < 5


def test_the_rollup_age_counts_whole_days_not_todays_increments(client):
    today = timezone.localdate()
    two_days_ago = today - datetime.timedelta(days=2)
    DailyVisitors.objects.create(day=two_days_ago - datetime.timedelta(days=5), distinct_ids=0)
    RollupMark.objects.create(day=two_days_ago, complete=True)
    DailyVisitors.objects.create(day=two_days_ago, distinct_ids=0)
    RollupMark.objects.create(day=today)  # drain_visits' increments
    DailyVisitors.objects.create(day=today, distinct_ids=0)

    age = value(scrape(client), "centiro_visit_rollup_age_seconds")

    expected = timezone.now() - day_bounds(two_days_ago)[1]
    assert abs(age - expected.total_seconds()) < 5


def test_no_label_carries_a_path_an_id_or_personal_data(client, django_user_model):
    email = "hemlig.person@example.se"
    user = django_user_model.objects.create_user(email=email, password="x-y-z-2016")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    product = Product.objects.create(slug="lager", name_sv="Lager", name_en="Warehouse")
    LicenceKey.objects.create(product=product, key="SECRETKEY0042")
    client.post(reverse("account_login"), {"login": email, "password": "fel"})
    client.force_login(user)
    client.get(reverse("registrations:resource", args=[987654]), HTTP_USER_AGENT=BROWSER)
    client.post(reverse("registrations:register"), {"key": "SECRETKEY0042"})
    client.get("/sekretesspolicy/version/424242/?email=" + email)
    client.get(f"/en/{email}/", HTTP_X_FORWARDED_FOR="198.51.100.77")
    client.post(
        reverse("consent:choose"),
        {"choice": "custom", "categories": [STATISTICS]},
        HTTP_SEC_FETCH_SITE="none",
    )

    allowed = {
        "view": url_names() | {metrics.UNRESOLVED},
        "method": metrics.METHODS | {"other"},
        "source": metrics.DATABASE_ERROR_SOURCES,
        "outcome": {"recorded", "lost"},
        "kind": {"accept_all", "necessary_only", "custom", "withdraw"},
        "scope": {
            "consent",
            "own_visits",
            "erase_visits",
            "registrations.register.user",
            "registrations.register.ip",
            "allauth.login_failed",
        },
        "operation": {"add", "get", "set", "touch", "delete", "get_many", "has_key", "incr"}
        | {"set_many", "delete_many", "clear"},
    }
    seen = set()
    for family in scrape(client):
        if not family.name.startswith("centiro_"):
            continue
        for sample in family.samples:
            for label, label_value in sample.labels.items():
                seen.add(label_value)
                if label == "status":
                    assert re.fullmatch(r"[1-5]\d\d", label_value)
                elif label == "le":
                    float(label_value)
                else:
                    assert label_value in allowed[label], (family.name, label, label_value)
    assert {"registrations:resource", "policy:version", "account_login"} <= seen
    for secret in [email, "987654", "424242", "SECRETKEY0042", "198.51.100.77"]:
        assert not any(secret in label_value for label_value in seen)
