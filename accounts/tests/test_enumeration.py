"""An address with an account and one without do the same costly work (issue 24, item 2).

ACCOUNT_PREVENT_ENUMERATION gives both the same page; these tests hold that they also hash a
password as many times and send one mail through the same function, so the response time tells
nothing either. The times themselves are measured by benchmarks/enumeration.py with Argon2.
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, get_hasher
from django.core import mail
from django.urls import reverse

from accounts.adapter import AccountAdapter

PASSWORD = "ett-långt-lösenord-2016"
TAKEN = "kund@example.se"
FREE = "ingen@example.se"


@pytest.fixture
def work(monkeypatch):
    """Each password hash computed ("hash") and each mail sent ("mail: <template>"), in order.

    The tests' hasher is MD5, whose check computes the hash with `encode` as setting it does,
    so every hash computed passes through `encode` once.
    """
    assert isinstance(get_hasher(), MD5PasswordHasher)
    done = []
    encode, send_mail = MD5PasswordHasher.encode, AccountAdapter.send_mail

    def counting_encode(self, password, salt):
        done.append("hash")
        return encode(self, password, salt)

    def counting_send_mail(self, template_prefix, email, context):
        done.append(f"mail: {template_prefix}")
        return send_mail(self, template_prefix, email, context)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting_encode)
    monkeypatch.setattr(AccountAdapter, "send_mail", counting_send_mail)
    return done


def each_address(client, work, post):
    """What posting for the taken address and for the free one does: (responses, work)."""
    results = []
    for address in (TAKEN, FREE):
        work.clear()
        mail.outbox.clear()
        response = post(address)
        results.append(
            ((response.status_code, response.get("Location")), list(work), mail.outbox[:])
        )
    return results


@pytest.mark.django_db
def test_signup_hashes_the_password_and_sends_one_mail_whether_or_not_the_address_is_taken(
    client, user_factory, signup_data, work
):
    user_factory(TAKEN)

    (taken_answer, taken_work, taken_mails), (free_answer, free_work, free_mails) = each_address(
        client,
        work,
        lambda address: client.post(reverse("account_signup"), signup_data(email=address)),
    )

    assert taken_answer == free_answer
    assert taken_work == ["hash", "mail: account/email/account_already_exists"]
    assert free_work == ["hash", "mail: account/email/email_confirmation_signup"]
    assert (len(taken_mails), len(free_mails)) == (1, 1)


@pytest.mark.django_db
def test_signin_hashes_as_often_for_an_unknown_address_as_for_a_wrong_password(
    client, user_factory, work
):
    user_factory(TAKEN)

    (taken_answer, taken_work, _), (free_answer, free_work, _) = each_address(
        client,
        work,
        lambda address: client.post(
            reverse("account_login"), {"login": address, "password": PASSWORD + "-fel"}
        ),
    )

    assert taken_answer == free_answer
    assert taken_work == free_work
    assert "hash" in taken_work


@pytest.mark.django_db
def test_password_reset_sends_one_mail_through_the_adapter_whether_or_not_the_address_is_known(
    client, user_factory, work
):
    user_factory(TAKEN)

    (taken_answer, taken_work, taken_mails), (free_answer, free_work, free_mails) = each_address(
        client,
        work,
        lambda address: client.post(reverse("account_reset_password"), {"email": address}),
    )

    assert taken_answer == free_answer
    assert taken_work == ["mail: account/email/password_reset_key"]
    assert free_work == ["mail: account/email/unknown_account"]
    assert (len(taken_mails), len(free_mails)) == (1, 1)
