import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from registrations.models import LicenceKey, Registration, Resource

pytestmark = pytest.mark.django_db


def register(user, product, key):
    licence_key = LicenceKey.objects.create(
        product=product, key=key, status=LicenceKey.Status.CLAIMED, claimed_at=timezone.now()
    )
    return Registration.objects.create(user=user, product=product, licence_key=licence_key)


def test_portal_shows_public_resources_and_those_of_registered_products_only(
    verified_client, verified_user, product, other_product
):
    register(verified_user, product, "MINE00000001")
    Resource.objects.create(title_sv="För alla", title_en="For everyone")
    Resource.objects.create(title_sv="Leveransguide", title_en="Delivery guide", product=product)
    Resource.objects.create(title_sv="Returguide", title_en="Returns guide", product=other_product)

    response = verified_client.get(reverse("registrations:portal"))

    titles = {resource.title_sv for resource in response.context["resources"]}
    assert titles == {"För alla", "Leveransguide"}
    assert "no-store" in response["Cache-Control"]


def test_portal_in_english_shows_english_titles(verified_client, product):
    Resource.objects.create(title_sv="För alla", title_en="For everyone")
    response = verified_client.get("/en" + reverse("registrations:portal"))
    assert response.status_code == 200
    assert "For everyone" in response.content.decode()


def test_download_streams_the_file_as_a_private_attachment(
    verified_client, verified_user, product, product_resource
):
    register(verified_user, product, "MINE00000001")

    response = verified_client.get(reverse("registrations:resource", args=[product_resource.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 manual"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''manual_f%C3%B6r_leverans.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def english(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_an_english_page_offers_and_serves_the_english_file_and_a_swedish_page_the_swedish(
    verified_client, verified_user, product, product_resource
):
    product_resource.file_en.save("delivery manual.pdf", ContentFile(b"%PDF-1.4 en"), save=True)
    register(verified_user, product, "MINE00000001")
    url = reverse("registrations:resource", args=[product_resource.pk])
    portal = reverse("registrations:portal")

    english_portal = verified_client.get(english("registrations:portal")).content
    swedish_portal = verified_client.get(portal).content
    english_file = verified_client.get(english("registrations:resource", product_resource.pk))
    swedish_file = verified_client.get(url)

    assert "Download delivery_manual.pdf" in english_portal.decode()
    assert "Ladda ner manual_för_leverans.pdf" in swedish_portal.decode()
    assert b"".join(english_file.streaming_content) == b"%PDF-1.4 en"
    assert english_file["Content-Disposition"] == 'attachment; filename="delivery_manual.pdf"'
    assert b"".join(swedish_file.streaming_content) == b"%PDF-1.4 manual"


def test_an_english_page_falls_back_to_the_swedish_file(
    verified_client, verified_user, product, product_resource
):
    register(verified_user, product, "MINE00000001")
    response = verified_client.get(english("registrations:resource", product_resource.pk))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 manual"


def test_the_english_file_keeps_the_access_check(
    verified_client, other_user, product, product_resource
):
    product_resource.file_en.save("delivery manual.pdf", ContentFile(b"%PDF-1.4 en"), save=True)
    register(other_user, product, "THEIRS000001")
    assert (
        verified_client.get(english("registrations:resource", product_resource.pk)).status_code
        == 404
    )


def test_an_english_file_needs_a_swedish_one():
    resource = Resource(
        title_sv="Guide", title_en="Guide", file_en=SimpleUploadedFile("guide.pdf", b"%PDF")
    )
    with pytest.raises(ValidationError) as caught:
        resource.full_clean()
    assert "file_en" in caught.value.message_dict


def test_resource_of_a_product_the_user_did_not_register_is_not_found(
    verified_client, other_user, product, product_resource
):
    register(other_user, product, "THEIRS000001")
    response = verified_client.get(reverse("registrations:resource", args=[product_resource.pk]))
    assert response.status_code == 404


def test_user_without_verified_email_gets_no_file(client, user, product_resource):
    client.force_login(user)
    Resource.objects.filter(pk=product_resource.pk).update(product=None)
    response = client.get(reverse("registrations:resource", args=[product_resource.pk]))
    assert response.status_code == 403
    assert not hasattr(response, "streaming_content")


def test_staff_upload_of_a_disallowed_type_is_refused_in_the_admin(staff_client, settings):
    settings.RESOURCE_ALLOWED_EXTENSIONS = ["pdf"]
    response = staff_client.post(
        reverse("admin:registrations_resource_add"),
        {
            "title_sv": "Skript",
            "title_en": "Script",
            "created_at_0": "2016-02-01",
            "created_at_1": "12:00:00",
            "file": SimpleUploadedFile("run.html", b"<script>alert(1)</script>"),
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not Resource.objects.exists()


def test_missing_resource_is_not_found(verified_client):
    response = verified_client.get(reverse("registrations:resource", args=[999999]))
    assert response.status_code == 404


def test_anonymous_download_goes_to_login_and_back(client, product_resource):
    url = reverse("registrations:resource", args=[product_resource.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_uploaded_files_sit_in_a_private_folder_no_url_serves(product_resource, settings):
    assert product_resource.file.name.startswith("private/resources/")
    assert product_resource.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(Resolver404):
        resolve("/media/" + product_resource.file.name)
    with pytest.raises(Resolver404):
        resolve("/" + product_resource.file.name)


def test_upload_of_a_disallowed_type_is_refused(settings):
    settings.RESOURCE_ALLOWED_EXTENSIONS = ["pdf"]
    resource = Resource(
        title_sv="Skript", title_en="Script", file=SimpleUploadedFile("run.exe", b"MZ")
    )
    with pytest.raises(ValidationError) as caught:
        resource.full_clean()
    assert "file" in caught.value.message_dict


def test_upload_over_the_size_limit_is_refused(settings):
    settings.RESOURCE_MAX_UPLOAD_BYTES = 10
    resource = Resource(
        title_sv="Stor", title_en="Big", file=SimpleUploadedFile("big.pdf", b"x" * 11)
    )
    with pytest.raises(ValidationError) as caught:
        resource.full_clean()
    assert "file" in caught.value.message_dict


def test_list_shows_only_the_users_own_registrations(
    verified_client, verified_user, other_user, product
):
    register(verified_user, product, "MINE00000001")
    register(other_user, product, "THEIRS000001")
    response = verified_client.get(reverse("registrations:list"))
    content = response.content.decode()
    assert "0001" in content
    assert "MINE00000001" not in content  # keys are masked
    assert [r.user for r in response.context["registrations"]] == [verified_user]
    assert "no-store" in response["Cache-Control"]


def test_user_turns_product_updates_on_and_off(verified_client, verified_user, product):
    registration = register(verified_user, product, "MINE00000001")
    url = reverse("registrations:updates", args=[registration.pk])

    verified_client.post(url, {"updates_opt_in": "on"})
    registration.refresh_from_db()
    assert registration.updates_opt_in is True

    response = verified_client.post(url, {})
    registration.refresh_from_db()
    assert registration.updates_opt_in is False
    assert response.url == reverse("registrations:list")


def test_changing_someone_elses_opt_in_is_not_found(verified_client, other_user, product):
    theirs = register(other_user, product, "THEIRS000001")
    response = verified_client.post(
        reverse("registrations:updates", args=[theirs.pk]), {"updates_opt_in": "on"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.updates_opt_in is False


def test_opt_in_cannot_be_changed_with_get(verified_client, verified_user, product):
    registration = register(verified_user, product, "MINE00000001")
    response = verified_client.get(reverse("registrations:updates", args=[registration.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("count", [1, 20])
def test_portal_and_list_cost_a_constant_number_of_queries(
    verified_client, verified_user, product, django_assert_max_num_queries, count
):
    for number in range(count):
        register(verified_user, product, f"KEY{number:09d}")
        Resource.objects.create(title_sv=f"Guide {number}", title_en="Guide", product=product)
        Resource.objects.create(title_sv=f"Allmänt {number}", title_en="General")
    verified_client.get(reverse("registrations:list"))  # the session is now in the cache
    # A render: the user, the verified-address check and the resources (a cached portal costs
    # none, test_portalcache.py); the session comes from the cache.
    with django_assert_max_num_queries(3):
        assert verified_client.get(reverse("registrations:portal")).status_code == 200
    with django_assert_max_num_queries(6):
        assert verified_client.get(reverse("registrations:list")).status_code == 200


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Tiden kan inte vara före 2000-01-01."),
        ("9999-12-31", "Tiden kan inte ligga i framtiden."),
    ],
)
def test_staff_cannot_date_a_resource_outside_its_range(staff_client, day, message):
    response = staff_client.post(
        reverse("admin:registrations_resource_add"),
        {
            "title_sv": "Handbok",
            "title_en": "Manual",
            "created_at_0": day,
            "created_at_1": "12:00:00",
            "file": SimpleUploadedFile("handbok.pdf", b"%PDF"),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["created_at"] == [message]
    assert not Resource.objects.exists()


def test_emptying_the_cache_signs_nobody_out(verified_client):
    verified_client.get(reverse("registrations:portal"))
    cache.clear()  # what a Redis restart without persistence leaves

    response = verified_client.get(reverse("registrations:portal"))

    assert response.status_code == 200
