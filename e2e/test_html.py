"""The Nu HTML checker (vnu.jar from the npm package vnu-jar) finds no error on the public pages,
the portal and account pages and the statistics page in both languages, nor on forms with errors,
the rate-limited sign-in and the 404 page."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.test import Client

from accounts.tests.mfa import activate_totp, add_passkey, sign_in_staff
from e2e.site import (
    CUSTOMER_PAGES,
    PUBLIC_PAGES,
    address,
    customer_with_registrations,
    staff_member,
)
from registrations.models import Resource

VNU = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
# Signed in with password and TOTP, with recovery codes and a passkey.
STAFF_PAGES = [
    ("visits:statistics", []),
    ("mfa_index", []),
    ("mfa_add_webauthn", []),
    ("mfa_view_recovery_codes", []),
]


@pytest.fixture
def java():
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed, so the Nu HTML checker (vnu.jar) cannot run")
    assert VNU.exists(), f"{VNU} is missing: run `npm ci --ignore-scripts` in the project root"
    return java


def nu_errors(java, folder):
    """Every error the checker finds in the folder's pages, in one java process (starting the
    JVM takes longer than checking them all)."""
    pages = sorted(folder.iterdir())
    checked = subprocess.run(  # noqa: S603 (our own java and files)
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return [
        f"{Path(message['url']).name}:{message.get('lastLine', '?')}: {message['message']}"
        for message in json.loads(checked.stderr)["messages"]
    ]


def test_pages_pass_the_nu_html_checker(java, django_user_model, tmp_path):
    customer = customer_with_registrations(django_user_model)
    staff = staff_member(django_user_model)
    activate_totp(staff)
    add_passkey(staff, "Arbetsdatorn")
    Authenticator.objects.create(
        user=staff,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": get_adapter().encrypt("0" * 40), "used_mask": 0},
    )
    clients = {"visitor": Client(), "customer": Client(), "staff": Client()}
    clients["customer"].force_login(customer)
    sign_in_staff(clients["staff"], staff)
    resource_page = ("registrations:resource", [Resource.objects.first().pk])
    pages = [
        ("visitor", PUBLIC_PAGES),
        ("customer", [*CUSTOMER_PAGES, resource_page, ("account_reauthenticate", [])]),
        ("staff", STAFF_PAGES),
    ]

    def save(who, path, response, expected=200):
        assert response.status_code == expected, path
        (tmp_path / f"{who}{path.replace('/', '_')}.html").write_bytes(response.content)

    for language in ["sv", "en"]:
        for who, names in pages:
            for name, args in names:
                path = address(name, args, language)
                save(who, path, clients[who].get(path))
        login = address("account_login", [], language)
        wrong = {"login": "ingen@example.se", "password": "fel-lösenord"}
        save("error-visitor", login, Client().post(login, wrong))
        register = address("registrations:register", [], language)
        save("error-customer", register, clients["customer"].post(register, {"key": "fel"}))
    save("visitor", "/finns-inte/", Client().get("/finns-inte/"), expected=404)
    login = address("account_login", [], "sv")
    for _ in range(100):  # allauth's per-IP sign-in limit is far lower
        refused = Client().post(login, wrong)
        if refused.status_code == 429:
            break
    save("rate-limited", login, refused, expected=429)  # the sign-in form again

    errors = nu_errors(java, tmp_path)
    assert not errors, "The Nu HTML checker found:\n" + "\n".join(errors)
