import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from accounts.tests.mfa import totp_code
from registrations.models import LicenceKey, Registration, Resource


def run_demo_data():
    out = StringIO()
    call_command("demo_data", stdout=out)
    return out.getvalue()


def printed(pattern, output):
    return re.search(pattern, output).group(1)


@pytest.mark.django_db
def test_demo_data_refuses_to_run_without_debug():
    with override_settings(DEBUG=False), pytest.raises(CommandError):
        call_command("demo_data")


@pytest.fixture
def demo(db, tmp_path, settings):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    first = run_demo_data()
    second = run_demo_data()
    # The second run finds everything in place and prints the same sign-in details.
    assert second == first
    return second


def test_demo_data_twice_creates_everything_once(demo, django_user_model):
    assert django_user_model.objects.count() == 2
    assert LicenceKey.objects.count() == 5
    assert Registration.objects.count() == 1
    assert Resource.objects.count() == 2
    staff = django_user_model.objects.get(
        email=printed(r"email (\S+), password", demo.split("Staff")[1])
    )
    assert set(staff.groups.all()) == set(Group.objects.all())
    assert staff.groups.exists()


def test_demo_customer_signs_in_and_sees_the_portal(demo, client):
    customer = demo.split("Customer:")[1]
    response = client.post(
        reverse("account_login"),
        {
            "login": printed(r"email (\S+),", customer),
            "password": printed(r"password (\S+)", customer),
        },
    )
    assert response.status_code == 302

    portal = client.get(reverse("registrations:portal"))

    assert portal.status_code == 200
    assert "Installationsguide (demo)" in portal.text


def test_demo_staff_reach_the_admin_with_the_printed_secret(demo, client):
    staff = demo.split("Staff")[1]
    secret = printed(r"TOTP secret \(base32\): (\S+)", staff)
    assert f"secret={secret}" in printed(r"URI: (otpauth://\S+)", staff)
    login_url = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]

    to_mfa = client.post(
        login_url,
        {"login": printed(r"email (\S+),", staff), "password": printed(r"password (\S+)", staff)},
    )
    assert to_mfa["Location"].startswith(reverse("mfa_authenticate"))
    code = totp_code(secret)
    to_admin = client.post(reverse("mfa_authenticate"), {"code": code})

    assert to_admin["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
