import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision
from consent.texts import current_revision

pytestmark = pytest.mark.django_db

# Twelve months of validity, then the retention period (1095 days by default).
EXPIRED_LONG_AGO = timedelta(days=366 + 1095 + 1)
EXPIRED_RECENTLY = timedelta(days=365 + 1095 - 1)


@pytest.fixture
def revision():
    def make(name):
        return ConsentTextRevision.objects.create(revision=name, texts={"sv": {}, "en": {}})

    return make


def record(consent_id, revision, age):
    return ConsentRecord.objects.create(
        consent_id=consent_id,
        action=ConsentRecord.Action.ACCEPT_ALL,
        categories=["necessary", "statistics"],
        policy_version=1,
        revision=revision,
        created_at=timezone.now() - age,
    )


def purge(**options):
    out = StringIO()
    call_command("purge_consent_records", stdout=out, **options)
    return out.getvalue()


def test_records_go_once_the_retention_period_after_their_validity_has_passed(revision):
    texts = revision("a" * 64)
    old = record(uuid.uuid4(), texts, EXPIRED_LONG_AGO)
    kept = record(uuid.uuid4(), texts, EXPIRED_RECENTLY)

    output = purge()

    assert list(ConsentRecord.objects.all()) == [kept]
    assert not ConsentRecord.objects.filter(pk=old.pk).exists()
    assert "Done: 1 consent records, 0 owner links and 0 unused text revisions deleted." in output


def test_the_retention_period_comes_from_the_setting(revision, settings):
    settings.CONSENT_RECORD_RETENTION_DAYS = 30
    record(uuid.uuid4(), revision("a" * 64), timedelta(days=366 + 31))

    purge()

    assert not ConsentRecord.objects.exists()


def test_owner_links_go_with_the_last_record_of_their_consent_id(revision, user):
    texts = revision("a" * 64)
    forgotten, still_proven = uuid.uuid4(), uuid.uuid4()
    record(forgotten, texts, EXPIRED_LONG_AGO)
    record(still_proven, texts, EXPIRED_LONG_AGO)
    record(still_proven, texts, timedelta(days=10))
    ConsentOwner.objects.create(consent_id=forgotten, user=user)
    ConsentOwner.objects.create(consent_id=still_proven, user=user)

    purge()

    assert list(ConsentOwner.objects.values_list("consent_id", flat=True)) == [still_proven]
    assert ConsentRecord.objects.filter(consent_id=still_proven).count() == 1


def test_texts_stay_while_any_record_shows_them(revision):
    only_old, shared = revision("a" * 64), revision("b" * 64)
    record(uuid.uuid4(), only_old, EXPIRED_LONG_AGO)
    record(uuid.uuid4(), shared, EXPIRED_LONG_AGO)
    record(uuid.uuid4(), shared, EXPIRED_RECENTLY)

    purge()

    assert list(ConsentTextRevision.objects.all()) == [shared]


def test_purging_is_idempotent_and_reports_progress_per_batch(revision):
    texts = revision("a" * 64)
    for _ in range(3):
        record(uuid.uuid4(), texts, EXPIRED_LONG_AGO)

    output = purge(batch_size=2)

    assert output.splitlines()[1:3] == ["  2 deleted", "  3 deleted"]
    assert "Done: 3 consent records, 0 owner links and 1 unused text revisions deleted." in output
    assert "Done: 0 consent records, 0 owner links and 0 unused text revisions deleted." in purge()


def test_the_texts_the_banner_shows_now_stay_even_when_no_record_is_left():
    current = current_revision()
    texts = ConsentTextRevision.objects.create(revision=current.revision, texts=current.texts)
    record(uuid.uuid4(), texts, EXPIRED_LONG_AGO)

    purge()

    assert not ConsentRecord.objects.exists()
    assert list(ConsentTextRevision.objects.all()) == [texts]
