import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import reverse

from accounts.admin_site import CentiroAdminSite
from accounts.tests.mfa import activate_totp, record_authentication, totp_code


@pytest.mark.django_db
def test_staff_client_opens_the_admin(staff_client):
    assert staff_client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_staff_with_a_password_only_cannot_open_the_admin(client, staff_user):
    client.force_login(staff_user)
    record_authentication(client, staff_user, ("password", {}))

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


@pytest.mark.django_db
def test_staff_without_an_authenticator_is_sent_to_set_one_up(client, staff_user):
    Authenticator.objects.filter(user=staff_user).delete()
    client.force_login(staff_user)
    record_authentication(client, staff_user, ("password", {}))

    to_login = client.get(reverse("admin:index"))
    response = client.get(to_login["Location"])

    assert to_login["Location"].startswith(reverse("admin:login"))
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_totp_qr_code_is_an_image_the_csp_allows(client, staff_user):
    Authenticator.objects.filter(user=staff_user).delete()
    client.force_login(staff_user)
    record_authentication(client, staff_user, ("password", {"reauthenticated": True}))

    response = client.get(reverse("mfa_activate_totp"))

    assert 'src="data:image/svg+xml;base64,' in response.text
    assert "data:" in response["Content-Security-Policy"].split("img-src")[1].split(";")[0]


@pytest.mark.django_db
def test_customers_get_403_at_the_admin(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    record_authentication(client, user, ("password", {}))

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403


@pytest.mark.django_db
def test_staff_reach_the_admin_after_password_and_authenticator_code(client, staff_user):
    Authenticator.objects.filter(user=staff_user).delete()
    secret = activate_totp(staff_user)
    login_url = client.get(reverse("admin:index"), follow=True).redirect_chain[-1][0]

    to_mfa = client.post(
        login_url, {"login": staff_user.email, "password": "personalens-lösenord-2016"}
    )
    assert to_mfa["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get(reverse("admin:index")).status_code == 302

    to_admin = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert to_admin["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_is_centiro_s_site_set_through_its_app_config():
    # No patching: the instance's methods are the class's own.
    assert isinstance(admin.site, CentiroAdminSite)
    assert "has_permission" not in vars(admin.site._wrapped)
    assert "login" not in vars(admin.site._wrapped)
