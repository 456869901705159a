"""The admin in Swedish and English: its name, one section per app under a name of its own."""

import pytest
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


def test_the_header_and_title_are_centiros(staff_client):
    response = index(staff_client)
    html = response.content.decode()

    assert '<a href="/admin/">Centiro – administration</a>' in html
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
