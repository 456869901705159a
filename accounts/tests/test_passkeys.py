"""Passkeys (WebAuthn, allauth.mfa) for staff and customers: settings, headers, pages and the
admin's second-factor rule. The ceremony itself runs in Chromium (e2e/test_passkeys.py)."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.tests.mfa import add_passkey, record_authentication


def test_passkeys_are_a_second_factor_and_a_way_to_sign_in():
    assert set(settings.MFA_SUPPORTED_TYPES) == {"totp", "recovery_codes", "webauthn"}
    assert settings.MFA_PASSKEY_LOGIN_ENABLED is True
    assert not getattr(settings, "MFA_PASSKEY_SIGNUP_ENABLED", False)
    assert not getattr(settings, "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)


@pytest.mark.django_db
def test_permissions_policy_allows_only_webauthn_and_only_from_the_site_itself(client):
    header = client.get(reverse("account_login"), secure=True)["Permissions-Policy"]
    policy = dict(part.strip().split("=", 1) for part in header.split(","))

    assert policy.pop("publickey-credentials-create") == "(self)"
    assert policy.pop("publickey-credentials-get") == "(self)"
    assert set(policy) >= {"camera", "microphone", "geolocation", "payment", "usb"}
    assert set(policy.values()) == {"()"}


def assert_no_inline_script(response):
    """Scripts come from the site's static files; the rest are JSON data blocks, never run."""
    scripts = re.findall(r"<script\b([^>]*)>", response.content.decode())
    assert scripts
    for attributes in scripts:
        src = re.search(r'src="([^"]+)"', attributes)
        assert (src and src.group(1).startswith(settings.STATIC_URL)) or (
            'type="application/json"' in attributes
        ), attributes


@pytest.mark.django_db
def test_sign_in_page_offers_a_passkey_with_scripts_from_static_files(client):
    response = client.get(reverse("account_login"))

    assert "Logga in med inloggningsnyckel" in response.text
    assert f'action="{reverse("mfa_login_webauthn")}"' in response.text
    assert "mfa/js/webauthn.js" in response.text
    assert_no_inline_script(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words", "untranslated"),
    [
        (
            "sv",
            ["Lägg till inloggningsnyckel", "Namn på inloggningsnyckeln", "Logga in utan lösenord"],
            "Name",
        ),
        ("en", ["Add passkey", "Passkey name", "sign in without a password"], "Namn"),
    ],
)
def test_a_customer_adds_a_passkey_on_a_page_in_their_language(
    client, user, language, words, untranslated
):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    record_authentication(client, user, ("password", {}))

    with translation.override(language):
        response = client.get(reverse("mfa_add_webauthn"))

    assert response.status_code == 200
    for text in words:
        assert text in response.text
    assert f">{untranslated}:<" not in response.text
    assert 'maxlength="100"' in response.text
    assert_no_inline_script(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "unused", "used", "label"),
    [
        (
            "sv",
            "Inte använd ännu.",
            "Senast använd 2 december 2026 kl. 05:52",
            "Namn på inloggningsnyckeln",
        ),
        ("en", "Not used yet.", "Last used 2 December 2026, 05:52", "Passkey name"),
    ],
)
def test_the_list_of_keys_names_each_passkey_and_when_it_was_used(
    client, user, language, unused, used, label
):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    passkey = add_passkey(user, "Mobilen")
    client.force_login(user)
    record_authentication(client, user, ("password", {}))

    with translation.override(language):
        before = client.get(reverse("mfa_list_webauthn"))
        passkey.last_used_at = datetime.datetime(2026, 12, 2, 4, 52, tzinfo=datetime.UTC)
        passkey.save()
        after = client.get(reverse("mfa_list_webauthn"))
        edit = client.get(reverse("mfa_edit_webauthn", kwargs={"pk": passkey.pk}))

    assert before.status_code == 200
    assert "Mobilen" in before.text
    assert {"sv": "Inloggningsnycklar", "en": "Passkeys"}[language] in before.text
    assert unused in before.text
    assert used in after.text
    assert "Not used." not in before.text
    assert edit.status_code == 200
    assert f">{label}:<" in edit.text
    assert 'value="Mobilen"' in edit.text
    assert 'maxlength="100"' in edit.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "methods",
    [
        pytest.param([("password", {}), ("mfa", {"type": "webauthn"})], id="password-and-key"),
        pytest.param([("mfa", {"type": "webauthn", "passwordless": True})], id="passkey-alone"),
    ],
)
def test_a_passkey_authentication_satisfies_the_admin_s_second_factor_rule(
    client, staff_user, methods
):
    Authenticator.objects.filter(user=staff_user).delete()
    passkey = add_passkey(staff_user, "Arbetsdatorn")
    client.force_login(staff_user)
    record_authentication(
        client,
        staff_user,
        *[
            (method, {**extra, "id": passkey.pk}) if method == "mfa" else (method, extra)
            for method, extra in methods
        ],
    )

    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_staff_with_only_a_passkey_and_a_password_session_are_asked_for_the_passkey(
    client, staff_user
):
    Authenticator.objects.filter(user=staff_user).delete()
    add_passkey(staff_user, "Arbetsdatorn")
    client.force_login(staff_user)
    record_authentication(client, staff_user, ("password", {}))

    to_login = client.get(reverse("admin:index"))
    to_second_factor = client.get(to_login["Location"])
    to_passkey = client.get(to_second_factor["Location"])

    assert to_login["Location"].startswith(reverse("admin:login"))
    assert to_second_factor["Location"].startswith(reverse("mfa_reauthenticate"))
    assert to_passkey["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    assert "next=%2Fadmin%2F" in to_passkey["Location"]


@pytest.mark.django_db
def test_my_data_and_the_export_show_each_passkey_by_name(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    passkey = add_passkey(user, "Mobilen")
    passkey.created_at = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    passkey.save()
    client.force_login(user)

    page = client.get(reverse("accounts:my_data"))
    with translation.override("en"):
        english = client.get(reverse("accounts:my_data"))
    export = client.get(reverse("accounts:export")).json()

    assert "Mobilen – tillagd 1 december 2026 kl. 10:00, inte använd ännu" in page.text
    assert "Mobilen – added 1 December 2026, 10:00, not used yet" in english.text
    assert export["account"]["passkeys"] == [
        {"name": "Mobilen", "added_at": passkey.created_at.isoformat(), "last_used_at": None}
    ]


@pytest.mark.django_db
def test_the_two_step_overview_offers_its_actions_as_a_row_of_buttons(client, user):
    add_passkey(user, "Mobilen")
    client.force_login(user)

    page = client.get(reverse("mfa_index")).text

    rows = re.findall(r'<p class="actions">\s*<a href="[^"]+" class="button', page)
    assert len(rows) == 3  # authenticator app, security keys, recovery codes
    assert not re.search(r"<li>\s*<a [^>]*class=\"button", page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "term", "other_terms"),
    [
        ("sv", "inloggningsnyck", ["passkey", "säkerhetsnyckel", "säkerhetsnycklar"]),
        ("en", "passkey", ["security key"]),
    ],
)
def test_the_passkey_pages_use_one_term(client, user, language, term, other_terms):
    add_passkey(user, "Mobilen")
    client.force_login(user)
    record_authentication(client, user, ("password", {}))

    with translation.override(language):
        pages = [
            client.get(reverse(name)).text.lower()
            for name in ("mfa_index", "mfa_list_webauthn", "mfa_add_webauthn", "accounts:my_data")
        ]

    for page in pages:
        assert term in page
        for other in other_terms:
            assert other not in page
