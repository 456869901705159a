"""The admin in Swedish and English: its name, one section per app under a name of its own."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def index(client):
    return client.get(reverse("admin:index"))


def sections(response, language):
    """The section names (lazy translations) as they read in `language`.

    The admin has no language prefix, so it is served in Swedish, the default language.
    """
    with translation.override(language):
        return [str(app["name"]) for app in response.context["app_list"]]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            {
                "Konton",
                "E-postadresser",
                "Tvåstegsverifiering",
                "Sekretesspolicy",
                "Kakor och samtycke",
                "Produktregistreringar",
            },
        ),
        (
            "en",
            {
                "Accounts",
                "Email addresses",
                "Two-factor authentication",
                "Privacy policy",
                "Cookies and consent",
                "Product registrations",
            },
        ),
    ],
)
def test_every_section_has_a_name_of_its_own_in_the_language(staff_client, language, expected):
    names = sections(index(staff_client), language)

    assert len(names) == len(set(names))
    assert expected <= set(names)


def test_the_authenticator_model_is_named_in_swedish(staff_client):
    models = [
        str(model["name"])
        for app in index(staff_client).context["app_list"]
        for model in app["models"]
    ]
    assert "Autentiseringsmetoder" in models
    assert not any("uthenticator" in name for name in models)


def visible_text(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    return " | ".join(" ".join(part.split()) for part in re.split(r"<[^>]+>", html) if part.strip())


def test_every_label_of_the_authenticator_pages_is_swedish(staff_client, staff_user):
    """allauth names the model and its fields in English only; the admin shows them all over."""
    pk = Authenticator.objects.get(user=staff_user).pk
    pages = {
        name: visible_text(staff_client.get(reverse(f"admin:mfa_authenticator_{name}", args=args)))
        for name, args in [
            ("changelist", []),
            ("add", []),
            ("change", [pk]),
            ("delete", [pk]),
            ("history", [pk]),
        ]
    }

    listing = pages["changelist"]
    for label in ["Användare", "Typ", "Skapad", "Senast använd"]:
        assert f"| {label} |" in listing  # column headers
    for title in ["På typ", "På skapad", "På senast använd"]:
        assert title in listing  # filters
    assert "Lägg till autentiseringsmetod" in listing
    assert "Ta bort markerade autentiseringsmetoder" in listing
    assert "| 1 autentiseringsmetod |" in listing
    for label in ["Användare:", "Typ:", "Skapad:", "Senast använd:"]:
        assert label in pages["change"]
        assert label in pages["add"]
    assert "Ändra autentiseringsmetod" in pages["change"]
    assert "Autentiseringsmetoder: 1" in pages["delete"]
    for name, text in pages.items():
        assert "| Autentiseringsmetoder |" in text, name  # breadcrumbs
        assert not re.search(r"uthenticator|created at|last used|\btype\b|\buser\b", text, re.I), (
            name
        )


def test_the_header_and_title_are_centiros(staff_client):
    response = index(staff_client)
    html = response.content.decode()

    assert re.search(r'<a href="/admin/"><img [^>]*alt=""[^>]*>Centiro – administration</a>', html)
    title = "Webbplatsens innehåll och inställningar | Centiro – administration"
    assert f"<title>{title}</title>" in html
    assert "Django" not in html


def test_the_statistics_link_is_shown_only_with_the_statistics_permission(
    staff_member, django_user_model
):
    client = staff_member()
    link = f'href="{reverse("visits:statistics")}"'
    assert link not in index(client).content.decode()

    member = django_user_model.objects.get(email="medarbetare@centiro.se")
    member.user_permissions.add(Permission.objects.get(codename="view_visit"))

    assert link in index(client).content.decode()
