import pytest
from django.utils import timezone

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
