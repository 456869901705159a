import pytest
from allauth.account.models import EmailAddress
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
        assert response["Location"] == reverse("home")
    assert response["Location"] == "/en/"
