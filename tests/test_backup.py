"""The README's backup runbook works: pg_dump -Fc, pg_restore into a fresh database, serve it."""

import os
import subprocess
import uuid
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision
from policy.models import PolicyVersion
from registrations.models import LicenceKey, Product, Registration

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"
)


def pg(command, *args):
    """Run a PostgreSQL client program against the test database's server."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    options = ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    # The arguments are the test settings and literals, not outside input.
    subprocess.run([command, *options, *args], env=env, check=True, capture_output=True)  # noqa: S603


@contextmanager
def serving_from(database):
    """Point the site's default connection at `database` for the duration."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database
    cache.clear()
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        cache.clear()
        ContentType.objects.clear_cache()


@pytest.fixture
def scratch_databases(django_db_blocker):
    """A production-like database to back up and a name to restore it under, both dropped after.

    Not the test database: committing data there would empty it for the tests that follow.
    """
    base = f"{connection.settings_dict['NAME']}_{uuid.uuid4().hex[:8]}"
    source, restored = f"{base}_source", f"{base}_restored"
    with django_db_blocker.unblock():
        pg("createdb", source)
        try:
            with serving_from(source):
                call_command("migrate", verbosity=0)
            yield source, restored
        finally:
            pg("dropdb", "--if-exists", source)
            pg("dropdb", "--if-exists", restored)


def populate():
    User = get_user_model()
    staff_user = User.objects.create_superuser(email="personal@centiro.se", password="x")
    version = PolicyVersion.objects.create(body_sv="Ny policy.", body_en="New policy.")
    version.publish(by=staff_user, effective_date=timezone.localdate())
    customer = User.objects.create_user(email="kund@example.se", password="x")
    EmailAddress.objects.create(user=customer, email=customer.email, verified=True, primary=True)
    product = Product.objects.create(slug="delivery", name_sv="Leveransmodul", name_en="Delivery")
    key = LicenceKey.objects.create(product=product, key="ABCD1234EFGH5678")
    Registration.objects.create(
        user=customer, product=product, licence_key=key, registered_at=timezone.now()
    )
    texts = ConsentTextRevision.objects.create(revision="a" * 64, texts={"sv": {}, "en": {}})
    consent_id = uuid.uuid4()
    for action in [ConsentRecord.Action.ACCEPT_ALL, ConsentRecord.Action.WITHDRAW]:
        ConsentRecord.objects.create(
            consent_id=consent_id, action=action, categories=["necessary"], revision=texts
        )
    ConsentOwner.objects.create(consent_id=consent_id, user=customer)
    return customer


def snapshot():
    return {
        "policy": list(PolicyVersion.objects.order_by("number").values_list("number", "sha256")),
        "registrations": list(
            Registration.objects.values_list("user__email", "product__slug", "licence_key__key")
        ),
        "consent": list(
            ConsentRecord.objects.order_by("pk").values_list(
                "consent_id", "action", "revision__revision", "created_at"
            )
        ),
        "owners": list(ConsentOwner.objects.values_list("consent_id", "user__email")),
    }


def test_a_dump_restored_into_a_fresh_database_serves_the_same_data(scratch_databases, tmp_path):
    source, restored = scratch_databases
    dump = tmp_path / "centiro.dump"
    with serving_from(source):
        customer = populate()
        before = snapshot()

    pg("pg_dump", "-Fc", "--no-owner", "-f", str(dump), source)
    pg("createdb", restored)
    pg("pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump))

    with serving_from(restored):
        call_command("migrate", "--check", verbosity=0)
        assert snapshot() == before
        client = Client()
        client.force_login(customer)
        # Drafts are numbered too (the seeded draft of version 2 moved up when one was published).
        newest = PolicyVersion.objects.published().order_by("number").last().number
        version_page = client.get(reverse("policy:version", args=[newest])).text
        my_data = client.get(reverse("accounts:my_data")).text
        products = client.get(reverse("registrations:list")).text

    assert "Ny policy." in version_page
    assert "Leveransmodul" in products
    assert str(before["consent"][0][0]) in my_data
    assert "Leveransmodul" in my_data
