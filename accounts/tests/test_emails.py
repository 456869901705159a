import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.tests.test_signup import signup_data


@pytest.mark.django_db
def test_verification_mail_is_in_the_chosen_language_with_links_to_that_language(client):
    client.post(reverse("account_signup"), signup_data(language="en", country="GB"))

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "/en/account/" in message.body
    assert "Confirm" in message.subject or "confirm" in message.subject.lower()
    assert 'lang="en"' in html
    assert html.count("Centiro Solutions AB") == 1


@pytest.mark.django_db
def test_swedish_user_gets_swedish_mail_from_an_english_page(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with translation.override("en"):
        url = reverse("account_reset_password")

    client.post(url, {"email": user.email})

    (message,) = mail.outbox
    assert "/konto/" in message.body
    assert "/en/" not in message.body
    assert "lösenord" in message.subject.lower()


@pytest.mark.django_db
def test_after_login_the_site_follows_the_users_language(client, user):
    user.language = "en"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "ett-långt-lösenord-2016"}
    )

    with translation.override("en"):
        assert response["Location"] == reverse("registrations:portal")
    assert response["Location"] == "/en/portal/"


@pytest.mark.django_db
def test_notice_of_a_changed_address_reaches_the_old_address_in_the_users_language(
    django_user_model, rf
):
    user = django_user_model.objects.create_user(email="new@example.com", language="en")
    with context.request_context(rf.get("/")):
        get_adapter().send_notification_mail(
            "account/email/email_changed",
            user,
            {"from_email": "old@example.com", "to_email": user.email},
            email="old@example.com",
        )

    (message,) = mail.outbox
    assert message.to == ["old@example.com"]
    assert message.subject == "Centiro: Your email address has been changed"


@pytest.mark.django_db
def test_links_in_allauth_mails_point_to_site_url_whichever_host_was_asked(client):
    client.post(
        reverse("account_signup"), signup_data(language="sv", country="SE"), HTTP_HOST="centiro.com"
    )

    (message,) = mail.outbox
    assert "https://www.centiro.se/konto/" in message.body
    assert "centiro.com" not in message.body
