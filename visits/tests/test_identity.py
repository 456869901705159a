"""The visitor id and truncated address exist only with statistics consent."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.registry import sections
from accounts.services import set_visit_linking
from consent.tests.consent_utils import choose
from visits.models import VisitorLink
from visits.recording import LINKED_SESSION_KEY
from visits.tests.factories import FIREFOX_LINUX, recorded_visits
from visits.visitor_cookie import VISITOR_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client):
    client.defaults["HTTP_USER_AGENT"] = FIREFOX_LINUX
    return client


@pytest.fixture
def consenting(visitor):
    assert choose(visitor, "accept_all").status_code == 302
    return visitor


def test_with_statistics_consent_the_visit_gets_an_id_and_a_truncated_address(consenting):
    response = consenting.get(reverse("home"), REMOTE_ADDR="192.0.2.123")
    visit = recorded_visits().get()
    cookie = response.cookies[VISITOR_COOKIE.name]
    assert visit.visitor_id.hex == cookie.value
    assert visit.network == "192.0.2.0"
    assert cookie["httponly"]
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 366 * 24 * 3600


def test_the_id_is_kept_across_page_views(consenting):
    consenting.get(reverse("home"))
    second = consenting.get(reverse("about"))
    assert VISITOR_COOKIE.name not in second.cookies
    assert recorded_visits().values("visitor_id").distinct().count() == 1


def test_ipv6_addresses_keep_only_their_48_bit_prefix(consenting):
    consenting.get(reverse("home"), REMOTE_ADDR="2001:db8:85a3:8d3:1319:8a2e:370:7348")
    assert recorded_visits().get().network == "2001:db8:85a3::"


def test_a_forged_forwarded_for_is_ignored_without_trusted_proxies(consenting, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    consenting.get(reverse("home"), REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert recorded_visits().get().network == "192.0.2.0"


def test_the_trusted_proxy_entry_is_used_behind_a_proxy(consenting, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    consenting.get(
        reverse("home"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.77",
    )
    assert recorded_visits().get().network == "198.51.100.0"


def test_recording_with_consent_costs_no_query(consenting, django_assert_num_queries):
    consenting.get(reverse("about"))
    with django_assert_num_queries(0):
        consenting.get(reverse("home"))
    assert recorded_visits().filter(visitor_id__isnull=False).count() == 2


@pytest.mark.parametrize("choice", [None, "necessary_only", "withdraw"])
def test_without_statistics_consent_no_id_no_address_and_no_cookie(visitor, choice):
    if choice:
        assert choose(visitor, choice).status_code == 302
    response = visitor.get(reverse("home"), REMOTE_ADDR="192.0.2.123")
    visit = recorded_visits().get()
    assert visit.visitor_id is None
    assert visit.network is None
    assert (
        VISITOR_COOKIE.name not in response.cookies
        or response.cookies[VISITOR_COOKIE.name].value == ""
    )


def test_a_visitor_id_cookie_without_consent_is_not_used(visitor):
    visitor.cookies[VISITOR_COOKIE.name] = "0" * 32
    visitor.get(reverse("home"))
    assert recorded_visits().get().visitor_id is None


def test_a_tampered_visitor_id_is_replaced(consenting):
    consenting.cookies[VISITOR_COOKIE.name] = "not-an-id"
    response = consenting.get(reverse("home"))
    assert recorded_visits().get().visitor_id.hex == response.cookies[VISITOR_COOKIE.name].value


def test_the_id_cookie_never_outlives_the_consent(visitor):
    with time_machine.travel(datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        assert choose(visitor, "accept_all").status_code == 302
    with time_machine.travel(datetime.datetime(2026, 12, 10, 12, tzinfo=datetime.UTC), tick=False):
        response = visitor.get(reverse("home"))
    max_age = int(response.cookies[VISITOR_COOKIE.name]["max-age"])
    assert max_age <= 31 * 24 * 3600
    assert max_age > 30 * 24 * 3600


# Linking visitor ids to accounts


@pytest.fixture
def signed_in(consenting, user):
    consenting.force_login(user)
    return consenting


def test_no_link_without_the_users_opt_in(signed_in, user):
    signed_in.get(reverse("home"))
    assert recorded_visits().get().visitor_id is not None
    assert not VisitorLink.objects.exists()


def test_browsing_after_opt_in_links_the_visitor_id(signed_in, user):
    user.visit_link_consented_at = timezone.now()
    user.save()
    signed_in.get(reverse("home"))
    signed_in.get(reverse("about"))
    link = VisitorLink.objects.get()
    assert link.user == user
    assert link.visitor_id == recorded_visits().first().visitor_id


def test_an_existing_link_costs_no_query_per_page_view(signed_in, user, django_assert_num_queries):
    user.visit_link_consented_at = timezone.now()
    user.save()
    signed_in.get(reverse("home"))
    assert LINKED_SESSION_KEY in signed_in.session
    # Nothing: the session and the user come from the cache, the visit is spooled, and the link
    # is remembered in the session.
    with django_assert_num_queries(0) as captured:
        signed_in.get(reverse("about"))
    assert not any("visits_visitorlink" in q["sql"] for q in captured.captured_queries)


def test_opting_out_removes_the_links_and_opting_in_again_relinks(signed_in, user):
    user.visit_link_consented_at = timezone.now()
    user.save()
    signed_in.get(reverse("home"))
    assert VisitorLink.objects.filter(user=user).exists()

    set_visit_linking(user, enabled=False)
    signed_in.get(reverse("about"))
    assert not VisitorLink.objects.exists()

    set_visit_linking(user, enabled=True)
    signed_in.get(reverse("home"))
    assert VisitorLink.objects.filter(user=user).count() == 1


def test_my_data_shows_linked_ids_with_their_visit_counts(signed_in, user):
    user.visit_link_consented_at = timezone.now()
    user.save()
    signed_in.get(reverse("home"))
    signed_in.get(reverse("about"))
    visit = recorded_visits().first()
    section = next(s for s in sections() if s.key == "visits")
    [entry] = section.collect(user)
    assert entry["visitor_id"] == f"{visit.visitor_id.hex[:8]}…"
    assert entry["visits"] == 2
    page = signed_in.get(reverse("accounts:my_data")).content.decode()
    export = signed_in.get(reverse("accounts:export")).content.decode()
    assert f"{visit.visitor_id.hex[:8]}…" in page
    for text in (page, export):
        assert visit.visitor_id.hex not in text
        assert str(visit.visitor_id) not in text


def test_deleting_the_account_removes_the_links_but_keeps_the_visits(signed_in, user):
    user.visit_link_consented_at = timezone.now()
    user.save()
    signed_in.get(reverse("home"))
    section = next(s for s in sections() if s.key == "visits")
    section.delete(user)
    user.delete()
    assert not VisitorLink.objects.exists()
    assert recorded_visits().count() == 1
