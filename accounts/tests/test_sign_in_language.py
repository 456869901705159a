"""After signing in, the `next` page in the user's language (issue 26, item 1)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse


def sign_in(client, user, next_url):
    return client.post(
        f"{reverse('account_login')}?next={next_url}",
        {"login": user.email, "password": "ett-långt-lösenord-2016"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "next_url", "landing"),
    [
        ("en", "/portal/", "/en/portal/"),
        ("en", "/konto/mina-uppgifter/?tab=1", "/en/account/my-data/?tab=1"),
        ("sv", "/en/portal/", "/portal/"),
        ("sv", "/portal/", "/portal/"),
        # A page in one language only stays as it is.
        ("en", "/admin/", "/admin/"),
        # Another site is never a landing: the portal in the user's language instead.
        ("en", "https://evil.example/portal/", "/en/portal/"),
    ],
)
def test_the_next_page_is_in_the_users_language(client, verified_user, language, next_url, landing):
    verified_user.language = language
    verified_user.save()

    response = sign_in(client, verified_user, next_url)

    assert response.status_code == 302
    assert response["Location"] == landing


@pytest.mark.django_db
def test_the_signed_in_message_is_in_the_language_of_the_landing_page(client, verified_user):
    verified_user.language = "en"
    verified_user.save()

    response = sign_in(client, verified_user, "/portal/")

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Successfully signed in as {verified_user.email}."
    ]
