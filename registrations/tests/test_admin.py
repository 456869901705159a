import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registrations.models import LicenceKey, Registration

pytestmark = pytest.mark.django_db


def upload(staff_client, product, text):
    return staff_client.post(
        reverse("admin:registrations_licencekey_import"),
        {
            "product": product.pk,
            "file": SimpleUploadedFile("keys.csv", text.encode(), content_type="text/csv"),
        },
    )


def test_import_page_is_linked_from_the_key_list(staff_client):
    response = staff_client.get(reverse("admin:registrations_licencekey_changelist"))
    assert reverse("admin:registrations_licencekey_import") in response.content.decode()


def test_import_normalises_every_key_and_reports_how_many(staff_client, product):
    response = upload(staff_client, product, "licensnyckel\nabcd-1234-efgh\n\n IJKL 5678 MNOP \n")

    assert response.status_code == 302
    assert set(LicenceKey.objects.values_list("key", flat=True)) == {
        "ABCD1234EFGH",
        "IJKL5678MNOP",
    }
    assert all(k.status == "available" and k.product == product for k in LicenceKey.objects.all())
    followed = staff_client.get(response.url)
    assert "2 nycklar importerades för Leverans" in followed.content.decode()


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_line(
    staff_client, product, licence_key
):
    text = "\n".join(
        [
            "GOOD00000001",  # 1
            "bad!",  # 2
            "good-0000-0001",  # 3: the same key as line 1
            "abcd-1234-efgh-5678",  # 4: already in the database
            "GOOD00000002",  # 5
        ]
    )

    response = upload(staff_client, product, text)

    assert response.status_code == 200
    assert response.context["errors"] == [
        (2, "ogiltig nyckel (8 till 64 tecken, bara A-Z och 0-9)"),
        (3, "samma nyckel som på rad 1"),
        (4, "nyckeln finns redan"),
    ]
    content = response.content.decode()
    assert "Rad 3" in content
    assert list(LicenceKey.objects.values_list("key", flat=True)) == [licence_key.key]


def test_an_empty_file_is_refused(staff_client, product):
    response = upload(staff_client, product, "key\n")
    assert response.context["errors"]
    assert not LicenceKey.objects.exists()


def test_export_gives_only_available_keys_as_csv(staff_client, product):
    available = LicenceKey.objects.create(product=product, key="FREE00000001")
    claimed = LicenceKey.objects.create(
        product=product, key="USED00000001", status="claimed", claimed_at=timezone.now()
    )
    response = staff_client.post(
        reverse("admin:registrations_licencekey_changelist"),
        {"action": "export_available", "_selected_action": [available.pk, claimed.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [["product", "key"], ["delivery", "FREE00000001"]]


def test_revoke_action_revokes_available_keys_and_leaves_claimed_ones(staff_client, product):
    available = LicenceKey.objects.create(product=product, key="FREE00000001")
    claimed = LicenceKey.objects.create(
        product=product, key="USED00000001", status="claimed", claimed_at=timezone.now()
    )
    staff_client.post(
        reverse("admin:registrations_licencekey_changelist"),
        {"action": "revoke", "_selected_action": [available.pk, claimed.pk]},
    )
    available.refresh_from_db()
    claimed.refresh_from_db()
    assert available.status == "revoked"
    assert available.revoked_at is not None
    assert claimed.status == "claimed"


def test_registration_admin_shows_personal_fields_read_only(
    staff_client, verified_user, licence_key
):
    licence_key.status = "claimed"
    licence_key.claimed_at = timezone.now()
    licence_key.save()
    registration = Registration.objects.create(
        user=verified_user, product=licence_key.product, licence_key=licence_key
    )
    url = reverse("admin:registrations_registration_change", args=[registration.pk])

    response = staff_client.get(url)
    assert response.status_code == 200
    assert 'name="purchase_date"' not in response.content.decode()

    staff_client.post(url, {"purchase_date": "2016-01-01", "updates_opt_in": "on"})
    registration.refresh_from_db()
    assert registration.purchase_date is None
    assert registration.updates_opt_in is False


@pytest.mark.parametrize(
    "name",
    ["product", "resource", "licencekey", "registration", "productnotice", "noticedelivery"],
)
def test_admin_lists_open(staff_client, name):
    response = staff_client.get(reverse(f"admin:registrations_{name}_changelist"))
    assert response.status_code == 200


def test_staff_find_a_key_typed_with_dashes_in_lower_case(staff_client, product, licence_key):
    LicenceKey.objects.create(product=product, key="OTHER0000001")
    response = staff_client.get(
        reverse("admin:registrations_licencekey_changelist"), {"q": "abcd-1234-efgh-5678"}
    )
    assert list(response.context["cl"].result_list) == [licence_key]


def test_resource_change_page_links_the_file_to_the_admin_download(staff_client, product_resource):
    response = staff_client.get(
        reverse("admin:registrations_resource_change", args=[product_resource.pk])
    )
    download_url = reverse("admin:registrations_resource_file", args=[product_resource.pk])
    content = response.content.decode()
    assert f'href="{download_url}"' in content
    assert f'href="{product_resource.file.name}' not in content

    download = staff_client.get(download_url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 manual"
    assert download["Content-Disposition"].startswith("attachment;")


def test_staff_attach_an_english_file_and_download_it_from_the_change_page(
    staff_client, product_resource
):
    url = reverse("admin:registrations_resource_change", args=[product_resource.pk])
    response = staff_client.post(
        url,
        {
            "title_sv": product_resource.title_sv,
            "title_en": product_resource.title_en,
            "product": product_resource.product_id,
            "created_at_0": "2016-02-01",
            "created_at_1": "12:00:00",
            "file_en": SimpleUploadedFile("delivery manual.pdf", b"%PDF-1.4 en"),
        },
    )
    assert response.status_code == 302
    product_resource.refresh_from_db()
    assert product_resource.file_en.name.endswith("/delivery_manual.pdf")

    content = staff_client.get(url).content.decode()
    download_url = reverse("admin:registrations_resource_file_en", args=[product_resource.pk])
    assert f'href="{download_url}"' in content
    assert "delivery_manual.pdf</a>" in content
    download = staff_client.get(download_url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 en"


def test_admin_file_download_is_for_staff_only(client, verified_user, product_resource):
    client.force_login(verified_user)
    response = client.get(reverse("admin:registrations_resource_file", args=[product_resource.pk]))
    assert response.status_code == 302
    assert not hasattr(response, "streaming_content")


def test_a_key_added_by_hand_is_stored_normalised_and_checked_for_duplicates(
    staff_client, product, licence_key
):
    url = reverse("admin:registrations_licencekey_add")
    created = staff_client.post(
        url,
        {
            "product": product.pk,
            "key": " wxyz-0000-1111 ",
            "created_at_0": "2016-02-01",
            "created_at_1": "12:00:00",
        },
    )
    duplicate = staff_client.post(
        url,
        {
            "product": product.pk,
            "key": "abcd-1234-efgh-5678",
            "created_at_0": "2016-02-01",
            "created_at_1": "12:00:00",
        },
    )
    assert created.status_code == 302
    assert duplicate.status_code == 200
    assert set(LicenceKey.objects.values_list("key", flat=True)) == {
        "ABCD1234EFGH5678",
        "WXYZ00001111",
    }
