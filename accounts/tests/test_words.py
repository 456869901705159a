"""The words on the account pages: allauth's, corrected in locale_allauth/, and our own."""

import html
import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.tests.mfa import activate_totp, record_authentication, totp_code
from registrations.models import ProductNotice
from registrations.services import register_product

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
    # One Swedish term for a passkey ("inloggningsnyckel"), no "Vänligen", "mejl" not "mail".
    "sv": re.compile(
        r"epost|tvåfaktor|\bsite\b|\bsajt|passkey|säkerhetsnyckel|vänligen|\bmail|-mail",
        re.IGNORECASE,
    ),
    # "Email address" is the one English term for the address ("by email" names the channel).
    "en": re.compile(
        r"Sign In|Sign Up|Reset My Password|Two-Factor|E-mail|\bEmail\b(?! address)"
        r"|(?:Add|Change|Current) email(?! address)"
        r"|Delete the account|no longer reach|reach the customer portal|\bMaterial\b"
    ),
}


def visible_text(response):
    """The text of the page's main content (the cookie banner and notice bar are not ours)."""
    content = response.content.decode()
    body = content[content.index("<main") : content.index("</main>")]
    body = re.sub(r"<script\b.*?</script>", "", body, flags=re.DOTALL)
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
        "mfa_add_webauthn",
        "mfa_list_webauthn",
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("sv", "Bekräfta att {email} är din e-postadress."),
        ("en", "Please confirm that {email} is your email address."),
    ],
)
def test_the_verification_page_asks_about_your_address_once(client, user, language, sentence):
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key

    with translation.override(language):
        response = client.get(reverse("account_confirm_email", args=[key]))

    assert sentence.format(email=user.email) in visible_text(response)


@pytest.mark.django_db
def test_the_mail_sent_message_and_the_mail_say_it_the_swedish_way(client, signup_data):
    response = client.post(reverse("account_signup"), signup_data())

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Vi har skickat ett verifieringsmejl till ny@example.se."
    ]
    assert "Var det inte du, kan du bortse från det här meddelandet" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "tab", "words"),
    [
        (
            "en",
            "Resources",
            {
                "account_signup": "With an account you register your products and use the "
                "customer portal",
                "accounts:delete": "you will no longer have access to the material",
            },
        ),
        ("sv", "Material", {"accounts:delete": "du når inte längre materialet"}),
    ],
)
def test_the_portal_tab_and_the_account_pages_in_plain_words(
    client, verified_user, language, tab, words
):
    with translation.override(language):
        texts = {"account_signup": visible_text(client.get(reverse("account_signup")))}
        client.force_login(verified_user)
        record_authentication(client, verified_user, ("password", {"reauthenticated": True}))
        for name in ("accounts:delete", "registrations:portal"):
            texts[name] = visible_text(client.get(reverse(name), follow=True))

    assert f"{tab} " in texts["registrations:portal"]
    for name, text in words.items():
        assert text in texts[name], name
    if language == "en":
        assert "Delete your account" in texts["accounts:delete"]


@pytest.mark.django_db
def test_a_reused_authenticator_code_says_so_and_to_wait_for_the_next(client, staff_user):
    Authenticator.objects.filter(user=staff_user).delete()
    secret = activate_totp(staff_user)
    code = totp_code(secret)
    credentials = {"login": staff_user.email, "password": "personalens-lösenord-2016"}

    client.post(reverse("account_login"), credentials)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), credentials)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    wrong = client.post(reverse("mfa_authenticate"), {"code": f"{(int(code) + 1) % 10**6:06d}"})

    assert "Koden har redan använts. Vänta tills appen visar nästa kod och ange den." in (
        visible_text(again)
    )
    assert "Felaktig kod." in visible_text(wrong)
    page = visible_text(wrong)
    assert "Ange koden från din autentiseringsapp" in page
    assert not BANNED["sv"].findall(page)


@pytest.mark.django_db
def test_the_swedish_admin_speaks_swedish_after_an_english_sign_in(client, staff_user):
    Authenticator.objects.filter(user=staff_user).delete()
    secret = activate_totp(staff_user)
    with translation.override("en"):
        login = reverse("account_login")
    client.post(
        f"{login}?next=/admin/",
        {"login": staff_user.email, "password": "personalens-lösenord-2016"},
    )
    to_admin = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    admin = client.get(to_admin["Location"]).content.decode()

    assert to_admin["Location"] == "/admin/"
    assert f"Du har loggat in som {staff_user.email}." in admin
    assert "Successfully signed in" not in admin
    assert "Senaste händelser" in admin
    assert "Senaste Händelser" not in admin


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("recipients", "message"),
    [
        (1, "skickat till 1 ny mottagare, 1 totalt."),
        (2, "skickat till 2 nya mottagare, 2 totalt."),
    ],
)
def test_sending_a_notice_counts_its_recipients_in_swedish(
    staff_client, django_user_model, product, licence_key_factory, recipients, message
):
    for number in range(recipients):
        customer = django_user_model.objects.create_user(email=f"kund{number}@example.se")
        key = licence_key_factory(product, key=f"KUNDNYCKEL{number:04d}")
        register_product(customer, key.key, updates_opt_in=False)
    notice = ProductNotice.objects.create(
        product=product,
        kind=ProductNotice.Kind.SERVICE,
        subject_sv="Driftstörning",
        subject_en="Outage",
        body_sv="Text.",
        body_en="Text.",
    )

    response = staff_client.post(
        reverse("admin:registrations_productnotice_changelist"),
        {"action": "send", "_selected_action": [notice.pk]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [f"{notice}: {message}"]


def country_options(client, language):
    with translation.override(language):
        page = client.get(reverse("account_signup")).content.decode()
    select = page[
        page.index('name="country"') : page.index("</select>", page.index('name="country"'))
    ]
    return [
        html.unescape(name)
        for name in re.findall(r"<option value=\"[A-Z]{2}\"[^>]*>([^<]+)<", select)
    ]


SWEDISH_NAMES = {
    "Albanien": "Albania",
    "Australien": "Australia",
    "Brasilien": "Brazil",
    "Kanada": "Canada",
    "Egypten": "Egypt",
    "Indien": "India",
    "Filippinerna": "Philippines",
    "Kokosöarna": "Cocos (Keeling) Islands",
    "Kuba": "Cuba",
    "Georgien": "Georgia",
    "Indonesien": "Indonesia",
    "Jordanien": "Jordan",
    "Kambodja": "Cambodia",
    "Libanon": "Lebanon",
    "Tchad": "Chad",
    "Sydsudan": "South Sudan",
}


@pytest.mark.django_db
def test_the_swedish_country_list_is_in_swedish_and_in_swedish_order(client):
    names = country_options(client, "sv")

    for swedish, english in SWEDISH_NAMES.items():
        assert swedish in names
        assert english not in names
    # Å, Ä, Ö are letters after Z.
    assert names.index("Zimbabwe") < names.index("Åland") < names.index("Österrike")
    assert names.index("Vietnam") < names.index("Västsahara")


@pytest.mark.django_db
def test_the_english_country_list_says_bahamas(client):
    names = country_options(client, "en")

    assert "Bahamas" in names
    assert "Bahamas (The)" not in names
    assert names.index("Zimbabwe") > names.index("Åland Islands")


@pytest.mark.django_db
def test_my_data_names_the_address_once(client, verified_user):
    client.force_login(verified_user)

    text = visible_text(client.get(reverse("accounts:my_data")))

    assert text.count("E-postadress") == 1
    assert text.count(verified_user.email) == 1


@pytest.mark.django_db
def test_the_portal_asks_for_a_first_registration_only(client, verified_user, licence_key):
    hint = "Registrera en produkt för att se materialet som hör till den."
    client.force_login(verified_user)
    before = visible_text(client.get(reverse("registrations:portal")))
    register_product(verified_user, licence_key.key, updates_opt_in=False)

    after = visible_text(client.get(reverse("registrations:portal")))

    assert hint in before
    assert hint not in after
