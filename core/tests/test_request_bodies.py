"""Request bodies: files only where staff upload them, and a size limit everywhere."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation

from consent.cookies import CONSENT_COOKIE
from consent.models import ConsentRecord
from registrations.models import Resource

pytestmark = pytest.mark.django_db

BOUNDARY = "centiro-test-boundary"


def multipart(data):
    return encode_multipart(BOUNDARY, data)


def multipart_type():
    return f"multipart/form-data; boundary={BOUNDARY}"


def test_a_multipart_sign_in_is_refused_and_signs_nobody_in(client, verified_user):
    body = {
        "login": verified_user.email,
        "password": "ett-långt-lösenord-2016",
        "file": SimpleUploadedFile("x.bin", b"x" * 1000),
    }
    response = client.post(reverse("account_login"), body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 400
    assert "Felaktig förfrågan" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The same form sent as a form, not multipart, signs in: only the encoding was refused.
    form = {"login": verified_user.email, "password": "ett-långt-lösenord-2016"}
    assert client.post(reverse("account_login"), form).status_code == 302
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_a_multipart_consent_choice_is_refused_and_stores_nothing(client):
    response = client.post(
        reverse("consent:choose"),
        multipart({"choice": "accept_all", "next": "/"}),
        content_type=multipart_type(),
    )
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()
    assert CONSENT_COOKIE.name not in response.cookies


def test_a_body_over_the_limit_gets_the_413_page_and_stores_nothing(client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post(
        reverse("consent:choose"),
        "choice=accept_all&next=/&pad=" + "x" * 1000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "För stor förfrågan" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_the_413_page_is_translated(client, settings):
    settings.REQUEST_MAX_BYTES = 10
    with translation.override("en"):
        url = reverse("account_login")
    response = client.post(url, "login=a&password=" + "x" * 20, content_type="text/plain")
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


@pytest.fixture
def upload_limits(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REQUEST_MAX_BYTES = 2000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    settings.RESOURCE_MAX_UPLOAD_BYTES = 5000


def upload(staff_client, size):
    return staff_client.post(
        reverse("admin:registrations_resource_add"),
        {
            "title_sv": "Handbok",
            "title_en": "Manual",
            "created_at_0": "2016-02-01",
            "created_at_1": "12:00:00",
            "file": SimpleUploadedFile("handbok.pdf", b"x" * size),
        },
    )


def test_the_resource_upload_takes_a_file_up_to_its_limit(staff_client, upload_limits):
    response = upload(staff_client, 5000)
    assert response.status_code == 302
    assert Resource.objects.get().file.size == 5000


def test_the_resource_upload_refuses_a_file_over_its_limit(staff_client, upload_limits):
    response = upload(staff_client, 5001)
    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    response = upload(staff_client, 8000)
    assert response.status_code == 413
    assert not Resource.objects.exists()


def test_a_too_large_form_is_logged_as_one_warning_without_a_traceback(
    staff_client, upload_limits, caplog
):
    # Under the upload view's limit, over Django's for form fields: Django itself refuses it.
    with caplog.at_level(logging.INFO):
        response = staff_client.post(
            reverse("admin:registrations_resource_add"),
            "title_sv=" + "x" * 3000,
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 413
    assert not Resource.objects.exists()
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    names = {record.name for record in records}
    assert "django.security.RequestDataTooBig" in names
    assert {record.levelname for record in records} == {"WARNING"}
    assert all(record.exc_info is None and record.exc_text is None for record in records)


def test_a_multipart_body_to_a_page_without_files_is_logged_as_a_warning(client, caplog):
    with caplog.at_level(logging.INFO):
        client.post(reverse("home"), multipart({"a": "b"}), content_type=multipart_type())
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelname, r.exc_info) for r in records] == [
        ("django.request", "WARNING", None)
    ]
