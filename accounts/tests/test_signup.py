import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from policy.models import PolicyAcceptance

PASSWORD = "ett-långt-lösenord-2016"


def test_the_user_model_keeps_only_the_allowed_fields():
    """The policy promises email, language and country. A new personal field must fail here."""
    names = {field.name for field in User._meta.concrete_fields}

    assert names == {
        "id",
        "password",
        "last_login",
        "is_superuser",
        "email",
        "language",
        "country",
        "visit_link_consented_at",
        "is_active",
        "is_staff",
        "date_joined",
    }


@pytest.mark.django_db
def test_swedish_signup_page_preselects_swedish_and_sweden(client):
    response = client.get(reverse("account_signup"))

    form = response.context["form"]
    assert set(form.fields) == {"email", "password1", "password2", "language", "country"}
    assert form["language"].value() == "sv"
    assert form["country"].value() == "SE"


@pytest.mark.django_db
def test_english_signup_page_defaults_to_english_and_no_country(client):
    with translation.override("en"):
        url = reverse("account_signup")

    form = client.get(url).context["form"]

    assert form["language"].value() == "en"
    assert not form["country"].value()


@pytest.mark.django_db
def test_signup_saves_language_country_and_the_policy_shown(client, policy_version, signup_data):
    response = client.post(
        reverse("account_signup"), signup_data(email="Ny@Example.SE", language="en", country="NO")
    )

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.language, user.country.code) == ("ny@example.se", "en", "NO")
    assert PolicyAcceptance.objects.filter(user=user, version=policy_version).exists()
    assert not EmailAddress.objects.get(user=user).verified


@pytest.mark.django_db
def test_no_sign_in_before_the_address_is_verified(client, signup_data):
    client.post(reverse("account_signup"), signup_data())

    client.post(reverse("account_login"), {"login": "ny@example.se", "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    client.get(reverse("home"))
    assert not client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_verification_link_in_the_mail_verifies_and_lets_the_user_in(client, signup_data):
    client.post(reverse("account_signup"), signup_data())
    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    client.post("/" + path)
    response = client.post(
        reverse("account_login"), {"login": "ny@example.se", "password": PASSWORD}
    )

    assert EmailAddress.objects.get(email="ny@example.se").verified
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"country": "XX"}, "country", "Välj ett land i listan."),
        ({"country": ""}, "country", "Välj land."),
        ({"language": "de"}, "language", "Välj svenska eller engelska."),
        ({"email": "a" * 250 + "@example.se"}, "email", "som mest 254 tecken"),
    ],
)
def test_bad_signup_input_is_rejected_with_a_clear_message_and_nothing_saved(
    client, overrides, field, message, signup_data
):
    response = client.post(reverse("account_signup"), signup_data(**overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not User.objects.exists()


@pytest.mark.django_db
def test_django_password_validators_apply(client, signup_data):
    response = client.post(
        reverse("account_signup"), signup_data(password1="12345678", password2="12345678")
    )

    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_with_an_existing_email_looks_the_same_as_a_new_one(
    client, verified_user, signup_data
):
    new = client.post(reverse("account_signup"), signup_data(email="annan@example.se"))
    Client().get(reverse("home"))
    existing = Client().post(reverse("account_signup"), signup_data(email="KUND@example.se"))

    assert (new.status_code, new["Location"]) == (existing.status_code, existing["Location"])
    assert User.objects.filter(email__iexact="kund@example.se").count() == 1
    # The owner of the address is told by mail instead.
    assert [m.to for m in mail.outbox] == [["annan@example.se"], ["kund@example.se"]]


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_looks_the_same_as_for_a_known_one(
    client, verified_user
):

    known = client.post(reverse("account_reset_password"), {"email": verified_user.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "okand@example.se"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_login_rate_limit_holds_across_two_clients_sharing_the_cache(verified_user):
    wrong = {"login": verified_user.email, "password": "fel-lösenord"}
    first, second = Client(), Client()

    for _ in range(3):
        first.post(reverse("account_login"), wrong)
    for _ in range(2):
        second.post(reverse("account_login"), wrong)
    blocked = second.post(
        reverse("account_login"), {"login": verified_user.email, "password": PASSWORD}
    )

    assert "För många misslyckade inloggningsförsök" in blocked.text
    assert "_auth_user_id" not in second.session


def test_session_cookie_is_not_readable_by_scripts(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_changing_email_keeps_the_old_address_until_the_new_one_is_verified(client, verified_user):
    client.force_login(verified_user)

    client.post(reverse("account_email"), {"action_add": "", "email": "Ny.Adress@Example.se"})

    verified_user.refresh_from_db()
    assert verified_user.email == "kund@example.se"
    new = EmailAddress.objects.get(email="ny.adress@example.se")
    assert (new.user, new.verified) == (verified_user, False)
    assert mail.outbox[-1].to == ["ny.adress@example.se"]


@pytest.mark.django_db
def test_email_change_page_hides_its_pending_form_without_inline_style(client, verified_user):
    EmailAddress.objects.create(user=verified_user, email="ny@example.se", verified=False)
    client.force_login(verified_user)

    response = client.get(reverse("account_email"))

    assert 'id="pending-email"' in response.text
    assert "style=" not in response.text


@pytest.mark.django_db
def test_signing_in_with_the_email_in_other_case_is_the_same_account(client, verified_user):

    client.post(reverse("account_login"), {"login": "KUND@Example.SE", "password": PASSWORD})

    assert client.session["_auth_user_id"] == str(verified_user.pk)
