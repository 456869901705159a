"""Each staff role (a group from the data migration) does its job in the admin, and no more."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from policy.models import PolicyVersion
from registrations.models import LicenceKey, Product, Registration

pytestmark = pytest.mark.django_db

ADMIN_AREAS = {
    "policy": "admin:policy_policyversion_changelist",
    "products": "admin:registrations_product_changelist",
    "licence keys": "admin:registrations_licencekey_changelist",
    "resources": "admin:registrations_resource_changelist",
    "notices": "admin:registrations_productnotice_changelist",
    "registrations": "admin:registrations_registration_changelist",
    "users": "admin:accounts_user_changelist",
    "consent records": "admin:consent_consentrecord_changelist",
}


def areas_open_to(client):
    """The admin areas the member is shown on the admin index and can open."""
    index = client.get(reverse("admin:index")).text
    shown = {area for area, name in ADMIN_AREAS.items() if reverse(name) in index}
    opened = {
        area for area, name in ADMIN_AREAS.items() if client.get(reverse(name)).status_code == 200
    }
    assert shown == opened
    return shown


@pytest.fixture
def draft():
    return PolicyVersion.objects.create(body_sv="Ny text.", body_en="New text.")


def test_policy_editor_writes_drafts_but_cannot_publish(staff_member, draft):
    client = staff_member("Policyredaktör")

    assert areas_open_to(client) == {"policy"}
    new_draft = client.post(reverse("admin:policy_policyversion_new_draft"))
    assert new_draft.status_code == 302
    change = reverse("admin:policy_policyversion_change", args=[draft.pk])
    form = {"title_sv": "Sekretesspolicy", "title_en": "Privacy policy"}
    form |= {"body_sv": "Ändrad text.", "body_en": "Changed text."}
    assert client.post(change, form).status_code == 302
    draft.refresh_from_db()
    assert draft.body_sv == "Ändrad text."
    publish = reverse("admin:policy_policyversion_publish", args=[draft.pk])
    assert client.get(publish).status_code == 403
    assert client.post(publish, {"effective_date": timezone.localdate()}).status_code == 403
    assert client.get(reverse("visits:statistics")).status_code == 403


def test_policy_publisher_publishes(staff_member, draft, django_capture_on_commit_callbacks):
    client = staff_member("Policyutgivare")

    assert areas_open_to(client) == {"policy"}
    publish = reverse("admin:policy_policyversion_publish", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish, {"effective_date": timezone.localdate()})
    draft.refresh_from_db()
    assert draft.is_published


def test_product_manager_runs_products_and_only_sees_registrations(staff_member, user):
    client = staff_member("Produktansvarig")

    assert areas_open_to(client) == {
        "products",
        "licence keys",
        "resources",
        "notices",
        "registrations",
    }
    client.post(
        reverse("admin:registrations_product_add"),
        {"slug": "returns", "name_sv": "Returer", "name_en": "Returns"},
    )
    product = Product.objects.get(slug="returns")
    assert client.get(reverse("admin:registrations_licencekey_import")).status_code == 200
    assert client.get(reverse("admin:registrations_resource_add")).status_code == 200
    assert client.get(reverse("admin:registrations_productnotice_add")).status_code == 200

    key = LicenceKey.objects.create(product=product, key="ABCD1234EFGH5678")
    registration = Registration.objects.create(
        user=user, product=product, licence_key=key, registered_at=timezone.now()
    )
    change = reverse("admin:registrations_registration_change", args=[registration.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"updates_opt_in": "on"})
    registration.refresh_from_db()
    assert registration.updates_opt_in is False
    assert client.get(reverse("admin:policy_policyversion_add")).status_code == 403
    assert client.get(reverse("visits:statistics")).status_code == 403


def test_statistics_reader_reads_statistics_and_nothing_in_the_admin(staff_member):
    client = staff_member("Statistikläsare")

    assert areas_open_to(client) == set()
    assert client.get(reverse("visits:statistics")).status_code == 200
    assert client.get(reverse("visits:export")).status_code == 200


def test_staff_without_a_role_sees_nothing(staff_member):
    client = staff_member()

    assert areas_open_to(client) == set()
    assert client.get(reverse("visits:statistics")).status_code == 403


def test_create_staff_gives_the_new_member_their_roles(django_user_model):
    call_command(
        "create_staff",
        "--email=ny@centiro.se",
        "--role=Policyredaktör",
        "--role=Statistikläsare",
        stdout=StringIO(),
    )

    member = django_user_model.objects.get(email="ny@centiro.se")
    assert set(member.groups.values_list("name", flat=True)) == {
        "Policyredaktör",
        "Statistikläsare",
    }
    assert member.has_perm("visits.view_visit")
    assert not member.has_perm("policy.publish_policyversion")


def test_create_staff_refuses_an_unknown_role(django_user_model):
    with pytest.raises(CommandError, match="Unknown role"):
        call_command("create_staff", "--email=ny@centiro.se", "--role=Chef", stdout=StringIO())

    assert not django_user_model.objects.exists()
