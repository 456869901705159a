"""The words on the account pages: allauth's, corrected in locale_allauth/, and our own."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.tests.mfa import record_authentication

SENTENCES = {
    "sv": {
        "account_login": ("Inget konto? Skapa ett.", "Skapa ett", "account_signup"),
        "account_signup": ("Har du redan ett konto? Logga in.", "Logga in", "account_login"),
    },
    "en": {
        "account_login": ("No account? Create one.", "Create one", "account_signup"),
        "account_signup": ("Already have an account? Sign in.", "Sign in", "account_login"),
    },
}
PURPOSE = {
    "sv": "vi sparar bara din e-postadress, ditt språk och ditt land (sekretesspolicy)",
    "en": "we store only your email address, language and country (privacy policy)",
}
BANNED = {
    "sv": re.compile(r"epost|tvåfaktor|\bsite\b|\bsajt", re.IGNORECASE),
    # "Email address" is the one English term for the address ("by email" names the channel).
    "en": re.compile(
        r"Sign In|Sign Up|Reset My Password|Two-Factor|E-mail|\bEmail\b(?! address)"
        r"|(?:Add|Change|Current) email(?! address)"
    ),
}


def visible_text(response):
    """The text of the page's main content (the cookie banner and notice bar are not ours)."""
    content = response.content.decode()
    body = content[content.index("<main") : content.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def link_target(response, text):
    match = re.search(rf'<a href="([^"]+)">\s*{re.escape(text)}\s*</a>', response.content.decode())
    assert match, f"no link {text!r}"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_sign_in_and_sign_up_point_to_each_other_and_say_what_the_account_is_for(
    client, language, page
):
    sentence, link_text, target = SENTENCES[language][page]
    with translation.override(language):
        response = client.get(reverse(page))
        expected_target, policy_url = reverse(target), reverse("policy:current")

    text = visible_text(response)
    assert sentence in text
    assert link_target(response, link_text) == expected_target
    assert PURPOSE[language] in text
    assert link_target(response, PURPOSE[language].rsplit("(", 1)[1][:-1]) == policy_url


@pytest.mark.django_db
def test_english_headings_and_buttons_are_in_sentence_case(client):
    with translation.override("en"):
        login = visible_text(client.get(reverse("account_login")))
        reset = visible_text(client.get(reverse("account_reset_password")))
    assert "Sign in" in login
    assert "Reset my password" in reset


def _account_journey_names(signed_in):
    if not signed_in:
        return [
            "account_login",
            "account_signup",
            "account_reset_password",
            "account_reset_password_done",
            "account_email_verification_sent",
        ]
    return [
        "accounts:my_data",
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "accounts:delete",
        "registrations:portal",
        "registrations:list",
        "registrations:register",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_account_page_uses_a_banned_spelling(client, verified_user, language):
    pages = {}
    with translation.override(language):
        for name in _account_journey_names(signed_in=False):
            pages[name] = client.get(reverse(name), follow=True)
        client.force_login(verified_user)
        record_authentication(client, verified_user, ("password", {}))
        for name in _account_journey_names(signed_in=True):
            pages[name] = client.get(reverse(name), follow=True)

    for name, response in pages.items():
        assert response.status_code == 200, name
        found = BANNED[language].findall(visible_text(response))
        assert not found, f"{name} ({language}): {found}"
    verified = {"sv": "verifierad", "en": "verified"}[language]
    assert f"{verified_user.email} – {verified}" in visible_text(pages["accounts:my_data"])


@pytest.mark.django_db
def test_a_rate_limited_sign_in_keeps_the_address_drops_the_password_and_says_when(
    client, verified_user
):
    data = {"login": verified_user.email, "password": "fel-lösenord-1"}
    for _ in range(5):
        client.post(reverse("account_login"), data)

    response = client.post(reverse("account_login"), data)

    page = response.content.decode()
    assert "För många misslyckade inloggningsförsök. Försök igen om 5 minuter." in page
    assert f'value="{verified_user.email}"' in page
    assert "fel-lösenord-1" not in page
