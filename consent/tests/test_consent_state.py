"""Reading the consent cookie: valid, tampered, expired, outdated."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from consent import records, texts
from consent import state as consent_state
from consent.cookies import CONSENT_COOKIE, NECESSARY, STATISTICS
from consent.models import ConsentRecord, ConsentTextRevision, years_after
from consent.tests.consent_utils import banner_html, choose, state_of
from core.cookies import REGISTRY, Cookie
from policy.services import NO_CHOICE, chosen_under

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    texts.current_revision.cache_clear()
    yield
    cache.clear()
    texts.current_revision.cache_clear()


def request_with_cookie(value, **headers):
    request = RequestFactory().get("/", headers=headers)
    request.COOKIES[CONSENT_COOKIE.name] = value
    return request


def signed(payload):
    return signing.dumps(payload, salt=consent_state.SIGNING_SALT)


def valid_payload(**changes):
    payload = {
        "id": str(uuid.uuid4()),
        "c": [NECESSARY, STATISTICS],
        "v": 1,
        "r": texts.current_revision().revision,
        "t": int(datetime.now(UTC).timestamp()),
    }
    payload.update(changes)
    return payload


def test_without_a_cookie_there_is_no_choice_and_only_necessary_cookies_are_allowed():
    state = consent_state.get(RequestFactory().get("/"))
    assert not state.chosen
    assert state.consent_id is None
    assert state.given_at is None
    assert state.expires_at is None
    assert state.allows(NECESSARY)
    assert not state.allows(STATISTICS)
    assert not state.gpc


def test_a_choice_is_read_back_from_the_signed_cookie_without_a_database_query(
    client, django_assert_num_queries
):
    choose(client, "accept_all")
    record = ConsentRecord.objects.get()
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}

    with django_assert_num_queries(0):
        state = consent_state.get(request)

    assert state.chosen
    assert state.consent_id == record.consent_id
    assert state.allows(STATISTICS)
    assert state.given_at.tzinfo is not None
    assert state.expires_at == years_after(state.given_at)


def test_a_cookie_set_by_an_earlier_release_is_still_read(client):
    """The salt and the payload's keys are part of every visitor's stored choice: a rename
    would ask every visitor again at the next deploy, so they are spelled out here."""
    consent_id = uuid.uuid4()
    given_at = datetime.now(UTC).replace(microsecond=0)
    earlier = signing.dumps(
        {
            "id": str(consent_id),
            "c": [NECESSARY, STATISTICS],
            "v": 1,
            "r": texts.current_revision().revision,
            "t": int(given_at.timestamp()),
        },
        salt="policy.consent",
    )

    state = consent_state.get(request_with_cookie(earlier))

    assert state.chosen
    assert state.consent_id == consent_id
    assert state.categories == {NECESSARY, STATISTICS}
    assert state.given_at == given_at
    assert state.policy_version == 1

    choose(client, "accept_all")
    written = signing.loads(client.cookies[CONSENT_COOKIE.name].value, salt="policy.consent")
    assert set(written) == {"id", "c", "v", "r", "t"}


@pytest.mark.parametrize(
    "value",
    [
        "not-a-signed-value",
        "",
        ":::",
        "eyJ9:bad:signature",
        signing.dumps({"id": str(uuid.uuid4()), "c": [NECESSARY]}, salt="another-salt"),
    ],
)
def test_a_malformed_or_foreign_cookie_counts_as_no_choice(value):
    assert not consent_state.get(request_with_cookie(value)).chosen


def test_a_tampered_cookie_counts_as_no_choice(client):
    choose(client, "necessary_only")
    value = client.cookies[CONSENT_COOKIE.name].value
    body, signature = value.rsplit(":", 1)
    tampered_signature = f"{body}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    forged_body = signed(valid_payload()).rsplit(":", 1)[0]

    assert not consent_state.get(request_with_cookie(tampered_signature)).chosen
    assert not consent_state.get(request_with_cookie(f"{forged_body}:{signature}")).chosen


@pytest.mark.parametrize(
    "payload",
    [
        ["a", "list"],
        "a string",
        {"id": "not-a-uuid", "c": [NECESSARY], "v": 1, "r": "x", "t": 0},
        {"c": [NECESSARY]},
        None,
    ],
)
def test_a_correctly_signed_but_malformed_payload_counts_as_no_choice(payload):
    assert not consent_state.get(request_with_cookie(signed(payload))).chosen


def test_unknown_categories_or_a_non_numeric_version_count_as_no_choice():
    assert not consent_state.get(request_with_cookie(signed(valid_payload(c=["marketing"])))).chosen
    assert not consent_state.get(request_with_cookie(signed(valid_payload(v="1")))).chosen
    assert consent_state.get(request_with_cookie(signed(valid_payload(v=None)))).chosen


def test_pages_with_a_tampered_cookie_answer_normally_with_the_banner(client):
    client.cookies[CONSENT_COOKIE.name] = "tampered:value"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert banner_html(response) is not None


def test_consent_expires_after_twelve_months_and_the_banner_returns(client):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=UTC), tick=False):
        choose(client, "accept_all")
        consent_id = state_of(client).consent_id
    with time_machine.travel(datetime(2027, 3, 10, 8, 59, tzinfo=UTC), tick=False):
        assert state_of(client).allows(STATISTICS)
        assert banner_html(client.get(reverse("home"))) is None
    with time_machine.travel(datetime(2027, 3, 10, 9, 0, tzinfo=UTC), tick=False):
        state = state_of(client)
        assert not state.chosen
        assert not state.allows(STATISTICS)
        assert banner_html(client.get(reverse("home"))) is not None
        choose(client, "necessary_only")
        assert state_of(client).consent_id == consent_id


def test_the_cookie_lives_exactly_as_long_as_the_consent(client):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=UTC), tick=False):
        response = choose(client, "accept_all")
    morsel = response.cookies[CONSENT_COOKIE.name]
    assert int(morsel["max-age"]) == int(timedelta(days=365).total_seconds())
    assert morsel["httponly"]
    assert morsel["secure"]
    assert morsel["samesite"] == "Lax"


def test_twelve_months_after_29_february_is_28_february():
    moment = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert years_after(moment) == datetime(2029, 2, 28, 12, 0, tzinfo=UTC)


def test_a_changed_declaration_asks_again_and_keeps_the_consent_id(client, monkeypatch):
    choose(client, "accept_all")
    first = state_of(client)
    old_revision = texts.current_revision().revision

    new_cookie = Cookie(
        name="centiro_example",
        category=STATISTICS,
        purpose="Ett nytt syfte",
        data="Något nytt",
        lifetime="1 dag",
        max_age=timedelta(days=1),
        position=70,
    )
    monkeypatch.setitem(REGISTRY, new_cookie.name, new_cookie)
    texts.current_revision.cache_clear()

    assert texts.current_revision().revision != old_revision
    again = state_of(client)
    assert not again.chosen
    assert not again.allows(STATISTICS)
    assert banner_html(client.get(reverse("home"))) is not None

    choose(client, "accept_all")
    assert state_of(client).consent_id == first.consent_id
    shown = ConsentRecord.objects.order_by("created_at", "id").last().revision
    assert shown.revision == texts.current_revision().revision
    assert "centiro_example" in [c["name"] for c in shown.texts["sv"]["cookies"]]
    assert ConsentTextRevision.objects.count() == 2


def test_a_gpc_signal_is_noticed():
    assert consent_state.get(RequestFactory().get("/", headers={"Sec-GPC": "1"})).gpc
    assert not consent_state.get(RequestFactory().get("/", headers={"Sec-GPC": "0"})).gpc


def test_a_new_policy_version_does_not_bring_the_cookie_banner_back(client, monkeypatch):
    monkeypatch.setattr(records.services, "current_version", lambda: SimpleNamespace(number=1))
    choose(client, "accept_all")
    monkeypatch.setattr(records.services, "current_version", lambda: SimpleNamespace(number=2))

    state = state_of(client)
    assert state.chosen
    assert state.policy_version == 1
    assert banner_html(client.get(reverse("home"))) is None


def test_summary_and_the_version_a_choice_was_made_under_come_from_the_cookie(client):
    nobody = RequestFactory().get("/", headers={"Sec-GPC": "1"})
    assert consent_state.summary(nobody) == "-:gpc=1"
    assert chosen_under(nobody) == NO_CHOICE

    choose(client, "accept_all")
    visitor = request_with_cookie(client.cookies[CONSENT_COOKIE.name].value)
    assert consent_state.summary(visitor) == f"{NECESSARY},{STATISTICS}:gpc=0"
    assert chosen_under(visitor) == 1
