import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from accounts import registry
from accounts.registry import PersonalDataSection
from accounts.services import set_visit_linking


@pytest.fixture
def notes_section():
    """A section registered the way another app would, keeping one note per user."""
    notes = {}
    revoked = []
    section = PersonalDataSection(
        key="notes",
        title="Anteckningar",
        collect=lambda user: notes.get(user.pk, []),
        delete=lambda user: notes.pop(user.pk, None),
        on_visit_link_revoked=revoked.append,
    )
    with registry.override(section):
        yield notes, revoked


@pytest.fixture
def signed_in(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_my_data_shows_every_fact_and_is_not_cached(signed_in, user, notes_section):
    notes, _ = notes_section
    notes[user.pk] = ["registrerade Centiro One"]

    response = signed_in.get(reverse("accounts:my_data"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for fact in [user.email, "verifierad", "Sverige", "Svenska", "registrerade Centiro One"]:
        assert fact in response.text


@pytest.mark.django_db
def test_my_data_requires_sign_in(client):
    response = client.get(reverse("accounts:my_data"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_changing_language_saves_it_and_moves_to_that_language(signed_in, user):
    response = signed_in.post(
        reverse("accounts:my_data"), {"language": "en", "country": "NO", "link_visits": ""}
    )

    user.refresh_from_db()
    assert (user.language, user.country.code) == ("en", "NO")
    with translation.override("en"):
        assert response["Location"] == reverse("accounts:my_data")


@pytest.mark.django_db
def test_unknown_codes_are_rejected_and_nothing_is_saved(signed_in, user):
    response = signed_in.post(
        reverse("accounts:my_data"), {"language": "xx", "country": "QQ", "link_visits": "on"}
    )

    assert set(response.context["form"].errors) == {"language", "country"}
    user.refresh_from_db()
    assert (user.language, user.country.code, user.visit_link_consented_at) == ("sv", "SE", None)


@pytest.mark.django_db
def test_visit_linking_is_off_by_default_and_turning_it_off_removes_the_links(
    signed_in, user, notes_section
):
    _, revoked = notes_section
    assert user.visit_link_consented_at is None

    signed_in.post(
        reverse("accounts:my_data"), {"language": "sv", "country": "SE", "link_visits": "on"}
    )
    user.refresh_from_db()
    assert user.visit_link_consented_at is not None
    assert revoked == []

    signed_in.post(reverse("accounts:my_data"), {"language": "sv", "country": "SE"})
    user.refresh_from_db()
    assert user.visit_link_consented_at is None
    assert revoked == [user]


@pytest.mark.django_db
def test_turning_linking_on_twice_keeps_the_first_consent_time(user):
    set_visit_linking(user, True)
    first = user.visit_link_consented_at

    set_visit_linking(user, True)

    assert user.visit_link_consented_at == first


@pytest.mark.django_db
def test_export_has_all_of_my_data_and_none_of_anothers(
    signed_in, user, django_user_model, notes_section
):
    notes, _ = notes_section
    other = django_user_model.objects.create_user(email="annan@example.se", language="en")
    notes[user.pk] = ["min anteckning"]
    notes[other.pk] = ["hemlig anteckning"]
    set_visit_linking(user, True)

    response = signed_in.get(reverse("accounts:export"))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "centiro-personal-data/1"
    assert data["account"]["email"] == user.email
    assert data["account"]["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]
    assert data["account"]["language"] == "sv"
    assert data["account"]["country"] == "SE"
    assert data["account"]["mfa_enabled"] is False
    assert data["account"]["visit_link_consented_at"] == user.visit_link_consented_at.isoformat()
    assert data["account"]["date_joined"] == user.date_joined.isoformat()
    assert data["sections"] == {"notes": ["min anteckning"]}
    assert "annan@example.se" not in response.text
    assert "hemlig" not in response.text


@pytest.mark.django_db
def test_export_is_for_signed_in_users_only(client):
    assert client.get(reverse("accounts:export")).status_code == 302
