import json

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.registry import sections
from registrations.models import LicenceKey, NoticeDelivery, ProductNotice, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return next(s for s in sections() if s.key == "registrations")


@pytest.fixture
def registration(verified_user, licence_key):
    licence_key.status = LicenceKey.Status.CLAIMED
    licence_key.claimed_at = timezone.now()
    licence_key.save()
    registration = Registration.objects.create(
        user=verified_user,
        product=licence_key.product,
        licence_key=licence_key,
        updates_opt_in=True,
    )
    notice = ProductNotice.objects.create(
        product=licence_key.product,
        kind="service",
        subject_sv="Säkerhet",
        subject_en="Security",
        body_sv="Text",
        body_en="Text",
    )
    NoticeDelivery.objects.create(notice=notice, user=verified_user)
    return registration


def test_my_data_lists_registrations_with_masked_keys_and_notices(
    section, verified_user, registration
):
    data = section.collect(verified_user)
    [entry] = data["registrations"]
    assert entry["product"] == "Leverans"
    assert entry["licence_key"] == "••••••••••••5678"
    assert entry["updates_opt_in"] is True
    assert entry["registered_at"] == registration.registered_at.isoformat()
    assert [n["subject"] for n in data["notices_received"]] == ["Säkerhet"]


def test_deleting_the_user_data_removes_registrations_but_keeps_the_key_claimed(
    section, verified_user, registration, licence_key
):
    section.delete(verified_user)

    assert not Registration.objects.exists()
    assert not NoticeDelivery.objects.exists()
    licence_key.refresh_from_db()
    assert licence_key.status == LicenceKey.Status.CLAIMED


def test_the_english_my_data_page_and_export_use_english_names_subjects_and_file_name(
    client, verified_user, registration
):
    client.force_login(verified_user)
    with translation.override("en"):
        my_data_url = reverse("accounts:my_data")
        export_url = reverse("accounts:export")

    page = client.get(my_data_url).content.decode()
    response = client.get(export_url)

    assert "Delivery" in page
    assert "Security" in page
    assert "Leverans" not in page
    assert "Säkerhet" not in page
    data = json.loads(response.content)["sections"]["registrations"]
    assert [r["product"] for r in data["registrations"]] == ["Delivery"]
    assert [(n["product"], n["subject"]) for n in data["notices_received"]] == [
        ("Delivery", "Security")
    ]
    assert "Leverans" not in response.text
    assert "Säkerhet" not in response.text
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="centiro-my-data-{day}.json"'


def test_the_swedish_export_keeps_swedish_names_and_file_name(client, verified_user, registration):
    client.force_login(verified_user)
    response = client.get(reverse("accounts:export"))
    data = json.loads(response.content)["sections"]["registrations"]
    assert data["registrations"][0]["product"] == "Leverans"
    assert data["notices_received"][0]["subject"] == "Säkerhet"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="centiro-mina-uppgifter-{day}.json"'
    )


def test_a_notice_without_an_english_subject_is_exported_with_the_swedish_one(
    client, verified_user, registration
):
    ProductNotice.objects.update(subject_en="")
    client.force_login(verified_user)
    with translation.override("en"):
        response = client.get(reverse("accounts:export"))
    data = json.loads(response.content)["sections"]["registrations"]
    assert data["notices_received"][0]["subject"] == "Säkerhet"
