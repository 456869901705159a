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
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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
