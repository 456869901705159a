"""Hostile input to every form and query parameter: never a 500, nothing stored when rejected.

Every form and query parameter the site reads is listed once, in FORMS. A new form goes
there; the tests below then post random and hostile values to it (very long strings,
control characters, invalid UTF-8, SQL/HTML/script payloads, wrong types, repeated and
missing fields), and post it without a CSRF token.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.mfa import sign_in_staff
from registrations.services import register_product

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Form:
    url_name: str
    fields: tuple
    method: str = "post"
    who: str = "anonymous"  # "customer": signed in and verified; "staff": with MFA
    needs_registration: bool = False  # the URL takes the pk of the customer's registration

    def __str__(self):
        return f"{self.method.upper()} {self.url_name}"


FORMS = [
    Form("consent:choose", ("choice", "categories", "next")),
    Form("policy:acknowledge", ("next",), who="customer"),
    Form("account_signup", ("email", "password1", "password2", "language", "country")),
    Form("account_login", ("login", "password", "remember")),
    Form("account_reset_password", ("email",)),
    Form("registrations:register", ("key", "purchase_date", "updates_opt_in"), who="customer"),
    Form("registrations:updates", ("updates_opt_in",), who="customer", needs_registration=True),
    Form("accounts:my_data", ("language", "country", "link_visits"), who="customer"),
    Form("accounts:delete", (), who="customer"),
    Form("account_email", ("email", "action_add", "action_remove"), who="customer"),
    Form("account_change_password", ("oldpassword", "password1", "password2"), who="customer"),
    Form("account_reauthenticate", ("password",), who="customer"),
    Form("account_logout", (), who="customer"),
    Form("consent:cookies", ("next",), method="get"),
    Form("account_login", ("next",), method="get"),
    Form("visits:statistics", ("start", "end"), method="get", who="staff"),
    Form("visits:export", ("start", "end"), method="get", who="staff"),
]
POST_FORMS = [form for form in FORMS if form.method == "post"]

PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE accounts_user; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    "{{ settings.SECRET_KEY }}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "𝕮𝖊𝖓𝖙𝖎𝖗𝖔 ß ẞ ǅ",
    "accept_all",
    "statistics",
    "1",
    "-1",
    "1e309",
    "2016-02-30",
    "9999-12-31",
    "",
]

values = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20),
    st.binary(max_size=30),  # mostly invalid UTF-8
    st.integers().map(str),
    st.sampled_from(["a" * 10_000, "ö" * 5_000, "1" * 2_000]),
)
# Each field: missing, one value, or several (a list where one value is expected).
field_values = st.one_of(st.none(), values.map(lambda v: [v]), st.lists(values, max_size=3))


def encode(fields):
    pairs = [(name, value) for name, given in fields.items() if given for value in given]
    return urlencode(pairs)


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def row_counts(tables):
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(tables):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the ORM's own SQL)
            counts[table] = cursor.fetchone()[0]
        return counts


def assert_nothing_stored(savepoint, queries):
    """No table holds a row more or a row less than at `savepoint`.

    Only an INSERT or a DELETE changes how many rows a table holds, so only the tables the
    request's SQL inserted into or deleted from are counted: now, then once more after
    rolling back to the savepoint taken before the request (which costs a rejected request
    nothing it kept)."""
    tables = {match[1] for query in queries for match in [WRITE.match(query["sql"])] if match}
    after = row_counts(tables)
    transaction.savepoint_rollback(savepoint)
    assert after == row_counts(tables), f"rows stored in {sorted(tables)}"


@pytest.fixture
def clients(verified_user, staff_user, product, licence_key_factory):
    licence_key_factory(product, "OWNED0000001")
    registration = register_product(verified_user, "OWNED0000001", updates_opt_in=False)
    customer, staff = Client(raise_request_exception=False), Client(raise_request_exception=False)
    customer.force_login(verified_user)
    sign_in_staff(staff, staff_user)
    return {
        "anonymous": lambda: Client(raise_request_exception=False),
        "customer": lambda: customer,
        "staff": lambda: staff,
        "registration": registration,
    }


def url_of(form, clients):
    if form.needs_registration:
        return reverse(form.url_name, args=[clients["registration"].pk])
    if form.url_name == "policy:acknowledge":
        return reverse(form.url_name, args=[1])
    return reverse(form.url_name)


@pytest.mark.parametrize("form", FORMS, ids=str)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_breaks_a_form_and_a_rejected_one_stores_nothing(form, clients, data):
    fields = {name: data.draw(field_values, label=name) for name in form.fields}
    client = clients[form.who]()
    url = url_of(form, clients)
    cache.clear()  # rate limits would otherwise answer 429 before the form is read

    if form.method == "get":
        response = client.get(f"{url}?{encode(fields)}")
        assert response.status_code < 500, response.content[:500]
        return
    savepoint = transaction.savepoint()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url, encode(fields), content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code < 500, response.content[:500]
    if response.status_code != 302:
        assert_nothing_stored(savepoint, queries)
    else:
        transaction.savepoint_commit(savepoint)


@pytest.mark.parametrize("form", POST_FORMS, ids=str)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}],
    ids=["no headers", "foreign Origin", "cross-site"],
)
def test_a_form_posted_without_csrf_token_is_refused_and_stores_nothing(form, headers, clients):
    client = clients[form.who]()
    client.handler.enforce_csrf_checks = True
    url = url_of(form, clients)
    if not headers and getattr(resolve(url).func, "cross_origin_protected", False):
        pytest.skip("protected by its headers alone (core/crossorigin.py)")
    savepoint = transaction.savepoint()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url,
            encode({name: ["accept_all"] for name in form.fields}),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )

    assert response.status_code == 403
    assert_nothing_stored(savepoint, queries)


@pytest.mark.parametrize("form", [FORMS[0], FORMS[1]], ids=str)
def test_a_next_value_that_looks_like_a_view_name_is_not_reversed(form, clients):
    """Found by the fuzzing above: redirect("' OR '1'='1") tried to reverse it and failed."""
    response = clients[form.who]().post(
        url_of(form, clients), {"choice": "accept_all", "next": "' OR '1'='1"}
    )
    assert response.status_code == 302
