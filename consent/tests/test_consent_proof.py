"""Proof of what was shown and chosen; the consent part of "my data"."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.registry import sections
from consent import records, texts
from consent.cookies import NECESSARY, STATISTICS
from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision
from consent.tests.consent_utils import BANNER_SENTENCE, choose, state_of
from core.cookies import declaration

pytestmark = pytest.mark.django_db


def at(day, hour=12):
    return datetime(2026, 4, day, hour, 0, tzinfo=UTC)


def test_each_revision_s_texts_are_stored_once_in_both_languages(client):
    choose(client, "accept_all")
    choose(client, "withdraw")
    choose(Client(), "necessary_only")

    stored = ConsentTextRevision.objects.get()
    assert ConsentRecord.objects.filter(revision=stored).count() == 3
    assert stored.texts["sv"]["banner"]["intro"] == BANNER_SENTENCE
    assert stored.texts["en"]["banner"]["intro"] == (
        "If you accept, we set a single optional cookie: a random id used only to count "
        "visits to our pages, nothing else. Nothing is shared with third parties."
    )
    for language in ["sv", "en"]:
        assert [c["name"] for c in stored.texts[language]["cookies"]] == [
            c.name for c in declaration()
        ]
    canonical = json.dumps(stored.texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert stored.revision == hashlib.sha256(canonical.encode()).hexdigest()


def test_proof_answers_what_a_consent_id_had_agreed_to_at_a_time(client):
    with time_machine.travel(at(1), tick=False):
        choose(client, "accept_all")
    consent_id = state_of(client).consent_id
    with time_machine.travel(at(10), tick=False):
        choose(client, "withdraw")

    assert records.proof(consent_id, at(1, hour=11)) is None
    on_the_fifth = records.proof(consent_id, at(5))
    assert on_the_fifth.categories == {NECESSARY, STATISTICS}
    assert on_the_fifth.record.action == ConsentRecord.Action.ACCEPT_ALL
    assert on_the_fifth.texts["sv"]["banner"]["intro"] == BANNER_SENTENCE
    assert on_the_fifth.valid_until == datetime(2027, 4, 1, 12, 0, tzinfo=UTC)
    assert records.proof(consent_id, at(11)).categories == {NECESSARY}
    assert records.proof(consent_id, datetime(2027, 4, 10, 12, 0, tzinfo=UTC)) is None


def test_records_are_appended_never_changed(client):
    choose(client, "accept_all")
    first = ConsentRecord.objects.values().get()
    choose(client, "necessary_only")
    choose(client, "withdraw")

    assert ConsentRecord.objects.count() == 3
    assert ConsentRecord.objects.values().get(pk=first["id"]) == first


def test_records_hold_no_personal_data(client, user):
    client.force_login(user)
    choose(client, "accept_all")
    record = ConsentRecord.objects.values().get()
    assert user.email not in json.dumps(record, default=str)
    assert set(record) == {
        "id",
        "consent_id",
        "action",
        "categories",
        "policy_version",
        "revision_id",
        "gpc",
        "language",
        "created_at",
    }


def test_my_data_lists_the_users_consent_ids_with_their_records(client, user):
    client.force_login(user)
    choose(client, "accept_all")
    choose(client, "withdraw")
    section = next(s for s in sections() if s.key == "cookie_consents")

    data = section.collect(user)

    assert len(data) == 1
    assert data[0]["consent_id"] == str(state_of(client).consent_id)
    assert [r["action"] for r in data[0]["records"]] == ["accept_all", "withdraw"]
    assert json.loads(json.dumps(data)) == data


def test_deleting_personal_data_removes_the_owner_rows_and_keeps_the_records(client, user):
    client.force_login(user)
    choose(client, "accept_all")
    section = next(s for s in sections() if s.key == "cookie_consents")

    section.delete(user)

    assert not ConsentOwner.objects.exists()
    assert ConsentRecord.objects.count() == 1
    assert section.collect(user) == []


def test_the_admin_shows_consent_proof_read_only(staff_client, client):
    choose(client, "accept_all")
    record = ConsentRecord.objects.get()

    assert staff_client.get(reverse("admin:consent_consentrecord_changelist")).status_code == 200
    change_page = staff_client.get(reverse("admin:consent_consentrecord_change", args=[record.pk]))
    assert change_page.status_code == 200
    assert 'type="submit"' not in change_page.content.decode().split('id="content-main"')[1]
    assert staff_client.get(reverse("admin:consent_consentrecord_add")).status_code == 403
    delete_url = reverse("admin:consent_consentrecord_delete", args=[record.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ConsentRecord.objects.count() == 1
    text_url = reverse("admin:consent_consenttextrevision_add")
    assert staff_client.get(text_url).status_code == 403


@pytest.mark.parametrize(
    ("language", "choice"),
    [
        ("sv", "10:30</time>: Godkänn alla. Tillåtna kakor: Nödvändiga, Statistik"),
        ("en", "10:30</time>: Accept all. Cookies allowed: Necessary, Statistics"),
    ],
)
def test_the_my_data_template_lists_each_choice_in_the_page_s_language(
    client, user, language, choice
):
    client.force_login(user)
    with time_machine.travel(datetime(2026, 4, 2, 8, 30, tzinfo=UTC), tick=False):
        choose(client, "accept_all")
    section = next(s for s in sections() if s.key == "cookie_consents")

    with translation.override(language):
        html = render_to_string(section.template, {"data": section.collect(user)})

    assert str(state_of(client).consent_id) in html
    assert choice in html
    assert "necessary" not in html


# The revision visitors consented under today. A change asks every visitor again and deletes every
# visitor id: update it only with a change to what a visitor is told, never for a refactor.
PINNED_REVISION = "5063ec3d1a0b59d67767f866eaf10b73a67fc25326a44c19903a9b0f3d8c697a"


def test_the_revision_is_the_one_visitors_consented_under():
    assert texts.current_revision().revision == PINNED_REVISION
