"""Dates, times and numbers as people read them; ISO 8601 only in the export."""

import datetime
import html
import json
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.mfa import record_authentication
from policy import services as policy_services
from registrations import services as registration_services
from tests.pages import PUBLIC_PAGES

ISO_LOOKING = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?|\d{2}:\d{2}:\d{2}\.\d+|\bUTC\b|[+-]00:00"
)
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")
SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
PAGES = [
    *PUBLIC_PAGES,
    ("registrations:portal", {}),
    ("registrations:list", {}),
    ("registrations:register", {}),
    ("accounts:my_data", {}),
    ("accounts:delete", {}),
    ("account_email", {}),
    ("account_change_password", {}),
    ("mfa_index", {}),
]


def visible_text(response):
    content = response.content.decode()
    body = content[content.index("<body") :]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def customer_with_history(client, user_factory, licence_key, policy_version):
    """Signed in, with a registration, a policy acknowledgement and a cookie choice."""
    user = user_factory()
    registration_services.register_product(
        user, licence_key.key, purchase_date=datetime.date(2016, 3, 1), updates_opt_in=True
    )
    policy_services.record_shown(user, policy_version)
    policy_services.acknowledge(user, policy_version)
    client.force_login(user)
    record_authentication(client, user, ("password", {"reauthenticated": True}))
    client.post(reverse("consent:choose"), {"choice": "accept_all", "next": "/"})
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_of_the_journeys_shows_an_iso_timestamp(client, customer_with_history, language):
    with translation.override(language):
        for name, kwargs in PAGES:
            response = client.get(reverse(name, kwargs=kwargs))
            assert response.status_code == 200, name
            found = ISO_LOOKING.findall(visible_text(response))
            assert not found, f"{name} ({language}): {found}"


@pytest.mark.django_db
def test_my_data_shows_stockholm_time_in_the_pages_language(client, customer_with_history):
    registered = customer_with_history.registrations.get().registered_at
    local = timezone.localtime(registered)
    month = SWEDISH_MONTHS[local.month - 1]
    sv = f"{local.day} {month} {local.year} kl. {local:%H:%M}"
    assert sv in visible_text(client.get(reverse("accounts:my_data")))
    with translation.override("en"):
        en = f"{local.day} {local:%B} {local.year}, {local:%H:%M}"
        assert en in visible_text(client.get(reverse("accounts:my_data")))


@pytest.mark.django_db
def test_the_export_keeps_iso_8601_with_offset(client, customer_with_history):
    data = json.loads(client.get(reverse("accounts:export")).content)
    registration = data["sections"]["registrations"]["registrations"][0]
    assert ISO_WITH_OFFSET.match(registration["registered_at"])
    assert ISO_WITH_OFFSET.match(data["account"]["date_joined"])


@pytest.mark.parametrize(
    ("language", "expected"), [("sv", "1\xa0234\xa0567,5"), ("en", "1,234,567.5")]
)
def test_numbers_use_the_languages_separators(language, expected):
    with translation.override(language):
        rendered = Template('{{ n|floatformat:"1g" }}').render(Context({"n": 1234567.5}))
    assert rendered == expected
