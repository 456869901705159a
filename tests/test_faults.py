"""The site under faults: the database failing, Redis gone, the mail server refusing.

The healthz and monkeypatched "database down" basics are in test_health.py, a real
PostgreSQL outage under gunicorn in test_workers.py; the interrupted notice run that
resumes is in registrations/tests/test_notices.py.
"""

import re
import smtplib
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from prometheus_client import REGISTRY

from accounts.models import User
from consent.cookies import CONSENT_COOKIE
from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision
from consent.views import RATE_LIMIT as CONSENT_RATE_LIMIT
from registrations.attempts import FAILURES_PER_ACCOUNT
from registrations.models import LicenceKey, Registration

PASSWORD = "ett-långt-lösenord-2016"
UNAVAILABLE = "Tillfälligt otillgänglig"
NOTHING_SAVED = "Inget av det du skickade har sparats"
MAYBE_SAVED = "Det du skickade kan ha sparats"

REDIS_DOWN = {
    **settings.CACHES,
    "default": {
        "BACKEND": "core.cache.FallbackRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    },
}


@contextmanager
def database_fails_at(statement_start, error=OperationalError):
    """The database connection breaks when the site sends a statement starting so.

    Earlier statements of the same transaction have run: this is the database going
    away in the middle of a write, the case a missing transaction would half-write.
    `InterfaceError` is the connection already closed under the worker (psycopg's
    "connection already closed"), which Django raises as no DatabaseError.
    """

    def fail(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(statement_start.upper()):
            raise error("server closed the connection unexpectedly (simulated)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def assert_try_again_page(response):
    assert response.status_code == 503
    assert UNAVAILABLE in response.text
    assert response["Retry-After"]
    assert "Traceback" not in response.text


# Database


@pytest.mark.django_db
def test_consent_choice_is_not_half_written_when_the_database_fails(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    choice = {"choice": "accept_all", "next": "/"}
    tables = (ConsentTextRevision, ConsentRecord, ConsentOwner)
    before = [model.objects.count() for model in tables]

    with database_fails_at('INSERT INTO "policy_consentowner"'):
        response = client.post(reverse("consent:choose"), choice)

    assert_try_again_page(response)
    assert [model.objects.count() for model in tables] == before
    assert CONSENT_COOKIE.name not in response.cookies

    retried = client.post(reverse("consent:choose"), choice)
    assert retried.status_code == 302
    assert ConsentRecord.objects.count() == before[1] + 1


@pytest.mark.django_db
def test_registration_is_not_half_written_when_the_database_fails(
    verified_user, licence_key, django_capture_on_commit_callbacks
):
    client = Client(raise_request_exception=False)
    client.force_login(verified_user)
    form = {"key": licence_key.key}

    with (
        django_capture_on_commit_callbacks(execute=True),
        database_fails_at('INSERT INTO "registrations_registration"'),
    ):
        response = client.post(reverse("registrations:register"), form)

    assert_try_again_page(response)
    licence_key.refresh_from_db()
    assert licence_key.status == LicenceKey.Status.AVAILABLE
    assert not Registration.objects.exists()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("registrations:register"), form).status_code == 302
    assert Registration.objects.get().licence_key == licence_key
    assert len(mail.outbox) == 1


REGISTERED = "Leverans är registrerad"


def with_a_message_waiting(user, licence_key):
    """A signed-in client whose next page shows a message, and so writes its session."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    registered = client.post(reverse("registrations:register"), {"key": licence_key.key})
    assert registered.status_code == 302
    return client


def database_errors_counted():
    labels = {"source": "request"}
    return REGISTRY.get_sample_value("centiro_database_errors_total", labels) or 0


@pytest.mark.django_db
def test_a_session_write_during_a_database_outage_answers_503_not_400(verified_user, licence_key):
    client = with_a_message_waiting(verified_user, licence_key)
    before = database_errors_counted()

    with database_fails_at('UPDATE "django_session"'):
        response = client.get(reverse("home"))

    # Django's database store calls any failed session update an UpdateError, which its
    # middleware answers 400 "session was deleted"; an outage is no deleted session.
    assert_try_again_page(response)
    assert database_errors_counted() == before + 1
    # Nothing was written: the message is still waiting once the database is back.
    assert REGISTERED in client.get(reverse("home")).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ['INSERT INTO "registrations_registration"', 'UPDATE "django_session"']
)
def test_a_connection_closed_under_the_worker_answers_503_and_is_counted(
    verified_user, licence_key, statement
):
    """InterfaceError, in a view or in the session write, is the database failing too."""
    client = Client(raise_request_exception=False)
    client.force_login(verified_user)
    before = database_errors_counted()

    with database_fails_at(statement, InterfaceError):
        response = client.post(reverse("registrations:register"), {"key": licence_key.key})

    assert_try_again_page(response)
    assert database_errors_counted() == before + 1


@pytest.mark.django_db
def test_a_registration_saved_before_its_session_write_failed_is_not_called_unsaved(
    verified_user, licence_key
):
    client = Client(raise_request_exception=False)
    client.force_login(verified_user)

    with database_fails_at('UPDATE "django_session"'):
        response = client.post(reverse("registrations:register"), {"key": licence_key.key})

    assert_try_again_page(response)
    assert Registration.objects.get().user == verified_user
    assert NOTHING_SAVED not in response.text
    assert MAYBE_SAVED in response.text


@pytest.mark.django_db
def test_a_registration_the_database_refused_is_called_unsaved(verified_user, licence_key):
    client = Client(raise_request_exception=False)
    client.force_login(verified_user)

    with database_fails_at('INSERT INTO "registrations_registration"'):
        response = client.post(reverse("registrations:register"), {"key": licence_key.key})

    assert_try_again_page(response)
    assert not Registration.objects.exists()
    assert NOTHING_SAVED in response.text


@pytest.mark.django_db
def test_a_session_deleted_while_the_request_runs_still_answers_400(verified_user, licence_key):
    client = with_a_message_waiting(verified_user, licence_key)
    # Signed out elsewhere after this request read its session from the cache: the update
    # finds no row (Django's SessionInterrupted, kept).
    Session.objects.filter(session_key=client.session.session_key).delete()

    response = client.get(reverse("home"))

    assert response.status_code == 400
    assert UNAVAILABLE not in response.text


# Redis


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
@pytest.mark.parametrize("name", ["home", "about", "policy:current", "consent:cookies"])
def test_public_pages_serve_while_redis_is_down(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_login_guessing_is_stopped_while_redis_is_down(client, verified_user):
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": verified_user.email, "password": "gissning"}
        )

    blocked = client.post(
        reverse("account_login"), {"login": verified_user.email, "password": PASSWORD}
    )

    assert "För många misslyckade inloggningsförsök" in blocked.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_licence_key_guessing_is_stopped_while_redis_is_down(client, verified_user):
    client.force_login(verified_user)
    statuses = [
        client.post(reverse("registrations:register"), {"key": f"GUESS{n:07d}"}).status_code
        for n in range(FAILURES_PER_ACCOUNT + 2)
    ]
    assert statuses == [200] * FAILURES_PER_ACCOUNT + [429, 429]


@pytest.mark.django_db
@override_settings(CACHES=REDIS_DOWN)
def test_consent_posts_are_still_limited_while_redis_is_down(client):
    choice = {"choice": "necessary_only", "next": "/"}
    statuses = [
        client.post(reverse("consent:choose"), choice).status_code
        for _ in range(CONSENT_RATE_LIMIT + 1)
    ]
    assert statuses == [302] * CONSENT_RATE_LIMIT + [429]


# Mail


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (simulated)")


REFUSING_MAIL = "tests.test_faults.RefusingEmailBackend"


@pytest.mark.django_db
def test_signup_completes_when_mail_fails_and_the_user_can_ask_again(client, time_machine):
    signup = {
        "email": "ny@example.se",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "sv",
        "country": "SE",
    }
    time_machine.move_to(timezone.now())
    with override_settings(EMAIL_BACKEND=REFUSING_MAIL):
        response = client.post(reverse("account_signup"), signup)

    assert response.status_code == 302
    assert User.objects.filter(email="ny@example.se").exists()

    # Signing in with the unverified address sends the verification mail again, once the
    # resend limit (one mail per address every three minutes) has passed.
    time_machine.shift(181)
    client.post(reverse("account_login"), {"login": "ny@example.se", "password": PASSWORD})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/\S+", mail.outbox[0].body).group(0)
    assert reverse("account_confirm_email", args=["x"]).rsplit("x", 1)[0] in link


@pytest.mark.django_db
def test_registration_completes_when_the_confirmation_mail_fails(
    client, verified_user, licence_key, django_capture_on_commit_callbacks
):
    client.force_login(verified_user)

    with (
        override_settings(EMAIL_BACKEND=REFUSING_MAIL),
        django_capture_on_commit_callbacks(execute=True) as sent_after_commit,
    ):
        response = client.post(reverse("registrations:register"), {"key": licence_key.key})

    # The mail was handed over after the commit (and refused); the other callbacks renew the
    # user's cache stamp (accounts/usercache.py).
    [_mail] = [c for c in sent_after_commit if c.__qualname__.startswith("register_product.")]
    assert response.status_code == 302
    assert Registration.objects.get().user == verified_user
