"""Passkeys (WebAuthn) in Chromium, with a virtual authenticator from the DevTools protocol.

The live server runs on http://localhost, which Chromium treats as a secure context and which
the relying party id (the request's host) matches.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.tests.mfa import activate_totp, sign_in_staff
from e2e.site import share_session

PASSWORD = "personalens-lösenord-2016"


@pytest.fixture
def authenticator(context, page):
    """A platform authenticator that holds passkeys and verifies the user (PIN or biometrics)."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
    yield lambda: cdp.send(
        "WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]}
    )["credentials"]
    cdp.detach()


def test_staff_member_adds_a_passkey_and_signs_in_with_it_to_the_admin(
    page, context, live_server, client, django_user_model, authenticator
):
    staff = django_user_model.objects.create_superuser(email="nyckel@centiro.se", password=PASSWORD)
    staff.emailaddress_set.create(email=staff.email, verified=True, primary=True)
    activate_totp(staff)
    share_session(context, live_server, sign_in_staff(client, staff))
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(live_server.url + reverse("mfa_add_webauthn"))
    page.get_by_label("Namn på inloggningsnyckeln").fill("Arbetsdatorn")
    page.get_by_label("Logga in utan lösenord").check()
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(live_server.url + reverse("mfa_view_recovery_codes"))

    passkey = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Arbetsdatorn"
    assert passkey.wrap().is_passwordless is True
    assert [credential["isResidentCredential"] for credential in authenticator()] == [True]

    page.get_by_role("button", name="Logga ut").click()
    page.goto(live_server.url + reverse("admin:index"))
    page.wait_for_url(f"{live_server.url}{reverse('account_login')}**")
    page.get_by_role("button", name="Logga in med inloggningsnyckel").click()

    page.wait_for_url(live_server.url + reverse("admin:index"))
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert page.get_by_role("heading", level=1).count()
    assert not [text for text in console if "Content Security Policy" in text]
    assert not [text for text in console if "Permissions policy" in text]


def test_customer_adds_a_security_key_and_uses_it_after_the_password(
    page, live_server, django_user_model, authenticator, assert_accessible, sign_in_with_form
):
    customer = django_user_model.objects.create_user(email="kund@example.se", password=PASSWORD)
    customer.emailaddress_set.create(email=customer.email, verified=True, primary=True)
    console = []
    page.on("console", lambda message: console.append(message.text))

    def sign_in_with_password():
        page.goto(live_server.url + reverse("account_login"))
        sign_in_with_form(page, customer.email, PASSWORD)

    sign_in_with_password()
    page.wait_for_url(live_server.url + reverse("registrations:portal"))
    page.goto(live_server.url + reverse("mfa_add_webauthn"))
    assert_accessible(page)
    page.get_by_label("Namn på inloggningsnyckeln").fill("Mobilen")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(live_server.url + reverse("mfa_view_recovery_codes"))
    page.goto(live_server.url + reverse("mfa_list_webauthn"))
    assert page.get_by_role("cell", name="Mobilen").count() == 1
    assert_accessible(page)

    page.get_by_role("button", name="Logga ut").click()
    sign_in_with_password()
    page.wait_for_url(live_server.url + reverse("mfa_authenticate"))
    assert_accessible(page)
    page.get_by_role("button", name="Använd en inloggningsnyckel").click()

    page.wait_for_url(live_server.url + reverse("registrations:portal"))
    assert Authenticator.objects.get(user=customer, type="webauthn").last_used_at is not None
    assert not [text for text in console if "Content Security Policy" in text]
