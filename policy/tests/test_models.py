import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from policy.models import PolicyVersion
from policy.models.versions import DraftAlreadyOpen, PublishedVersionChanged

pytestmark = pytest.mark.django_db


def test_changing_a_published_version_is_refused(policy_version):
    policy_version.body_sv = "Något helt annat."

    with pytest.raises(PublishedVersionChanged):
        policy_version.save()

    policy_version.refresh_from_db()
    assert "Centiro värnar om din integritet" in policy_version.body_sv


def test_a_published_version_cannot_be_deleted_one_by_one_or_in_bulk(policy_version):
    with pytest.raises(PublishedVersionChanged):
        policy_version.delete()
    with pytest.raises(PublishedVersionChanged):
        PolicyVersion.objects.all().delete()

    assert PolicyVersion.objects.filter(pk=policy_version.pk).exists()


def test_a_draft_can_be_edited_and_deleted(make_draft):
    draft = make_draft()
    draft.body_sv = "Ändrad text."
    draft.save()
    assert PolicyVersion.objects.get(pk=draft.pk).body_sv_html == "<p>Ändrad text.</p>"

    draft.delete()
    assert not PolicyVersion.objects.filter(pk=draft.pk).exists()


def test_drafts_deleted_in_bulk_are_reported_as_django_reports_any_delete(make_draft):
    """The guard against deleting published versions keeps QuerySet.delete's answer."""
    drafts = [make_draft().pk, make_draft().pk]

    deleted, per_model = PolicyVersion.objects.filter(pk__in=drafts).delete()

    assert (deleted, per_model) == (2, {"policy.PolicyVersion": 2})


def test_a_new_draft_copies_the_text_and_gets_the_next_number(policy_version, staff_user):
    PolicyVersion.objects.open_draft().delete()  # the seeded version 2 draft, discarded

    draft = PolicyVersion.new_draft_from(policy_version, by=staff_user)

    assert draft.number == 2
    assert draft.status == PolicyVersion.Status.DRAFT
    assert draft.body_sv == policy_version.body_sv
    assert draft.body_en == policy_version.body_en
    assert draft.created_by == staff_user
    assert not draft.is_major


def test_no_second_draft_while_one_is_open(policy_version, staff_user):
    seeded = PolicyVersion.objects.open_draft()

    with pytest.raises(DraftAlreadyOpen) as refused:
        PolicyVersion.new_draft_from(policy_version, by=staff_user)

    assert refused.value.draft == seeded
    assert PolicyVersion.objects.filter(status="draft").count() == 1


def test_published_numbers_run_without_holes_whichever_draft_is_published_first(
    policy_version, staff_user
):
    seeded = PolicyVersion.objects.open_draft()  # version 2
    later = PolicyVersion.objects.create(body_sv="Ett senare utkast.")  # made past the check
    assert later.number == 3

    later.publish(by=staff_user, effective_date=timezone.localdate())

    seeded.refresh_from_db()
    assert later.number == 2
    assert seeded.number == 3
    published = PolicyVersion.objects.published().order_by("number")
    assert list(published.values_list("number", flat=True)) == [1, 2]


def test_publishing_records_who_when_and_a_hash_of_the_text(make_draft, staff_user):
    draft = make_draft()
    today = timezone.localdate()

    draft.publish(by=staff_user, effective_date=today)

    assert draft.status == PolicyVersion.Status.PUBLISHED
    assert draft.effective_date == today
    assert draft.published_by == staff_user
    assert draft.published_at is not None
    assert len(draft.sha256) == 64


def test_two_texts_differing_by_one_character_get_different_hashes(make_draft, staff_user):
    first, second = make_draft(body_sv="Text A."), make_draft(body_sv="Text B.")
    first.publish(by=staff_user, effective_date=timezone.localdate())
    second.publish(by=staff_user, effective_date=timezone.localdate())

    assert first.sha256 != second.sha256


@pytest.mark.parametrize(
    ("body_sv", "days", "field"),
    [
        ("", 0, "body_sv"),
        ("   \n", 0, "body_sv"),
        ("Text.", -1, "effective_date"),
    ],
)
def test_publishing_refuses_a_missing_swedish_text_or_a_past_date(
    make_draft, staff_user, body_sv, days, field
):
    draft = make_draft(body_sv=body_sv)

    with pytest.raises(ValidationError) as error:
        draft.publish(by=staff_user, effective_date=timezone.localdate() + dt.timedelta(days=days))

    assert field in error.value.message_dict
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.DRAFT
    assert draft.sha256 == ""


def test_publishing_refuses_a_date_before_the_latest_published_version(make_draft, staff_user):
    later = make_draft()
    later.publish(by=staff_user, effective_date=timezone.localdate() + dt.timedelta(days=10))
    draft = make_draft()

    with pytest.raises(ValidationError) as error:
        draft.publish(by=staff_user, effective_date=timezone.localdate() + dt.timedelta(days=5))

    assert "effective_date" in error.value.message_dict
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyVersion.Status.DRAFT


def test_a_published_version_cannot_be_published_again(policy_version, staff_user):
    with pytest.raises(ValidationError) as error:
        policy_version.publish(by=staff_user, effective_date=timezone.localdate())
    assert "status" in error.value.message_dict


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_the_announcement_ends_30_days_after_the_effective_date(make_draft, staff_user):
    draft = make_draft(is_major=True)
    draft.publish(by=staff_user, effective_date=dt.date(2026, 3, 1))

    assert draft.announcement_ends == dt.date(2026, 3, 31)


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_a_version_can_be_scheduled_up_to_366_days_ahead_and_no_later(make_draft, staff_user):
    """A year ahead, whatever the year; a later date is a typing error."""
    too_late = make_draft()
    with pytest.raises(ValidationError) as error:
        too_late.publish(by=staff_user, effective_date=dt.date(2027, 3, 3))
    assert "effective_date" in error.value.message_dict

    furthest = make_draft()
    furthest.publish(by=staff_user, effective_date=dt.date(2027, 3, 2))  # 366 days ahead
    assert furthest.is_published


def test_a_draft_without_an_effective_date_has_no_last_updated_text(make_draft):
    draft = make_draft()
    draft.effective_date = None

    assert draft.last_updated == ""
