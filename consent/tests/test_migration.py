"""A database from before the consent app keeps its proof and its permissions."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consent.models import ConsentRecord

LAST_WITHOUT_CONSENT_APP = ("policy", "0003_version_2_draft")

# Migrating needs a real transaction (SQLite's schema editor refuses to run inside one).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _data_back_for_later_tests(django_db_blocker):
    """The flush after the test empties every table and recreates the content types under
    new ids: put back the rows that were there before (the seeded ones), with their ids."""
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        ContentType.objects.all().delete()
        connection.creation.deserialize_db_from_string(before)


def test_migrating_forward_keeps_the_records_and_moves_their_content_types():
    executor = MigrationExecutor(connection)
    executor.migrate([("consent", None)])
    old = executor.loader.project_state(LAST_WITHOUT_CONSENT_APP).apps
    consent_id = uuid.uuid4()
    texts = old.get_model("policy", "ConsentTextRevision").objects.create(
        revision="a" * 64, texts={"sv": {}, "en": {}}
    )
    old.get_model("policy", "ConsentRecord").objects.create(
        consent_id=consent_id, action="accept_all", categories=["necessary"], revision=texts
    )
    assert ContentType.objects.filter(app_label="policy", model="consentrecord").exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    record = ConsentRecord.objects.get()
    assert record.consent_id == consent_id
    assert record.revision.revision == "a" * 64
    assert not ContentType.objects.filter(app_label="policy", model__startswith="consent")
    content_type = ContentType.objects.get_for_model(ConsentRecord)
    assert content_type.app_label == "consent"
    assert Permission.objects.filter(
        content_type=content_type, codename="view_consentrecord"
    ).exists()
