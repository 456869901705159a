"""One declaration per cookie, by its owner app, and one helper that sets and deletes it."""

import ast
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

from accounts.devices import DEVICE_COOKIE
from consent.cookies import CONSENT_COOKIE
from core import cookies
from core.cookies import CSRF_COOKIE, NECESSARY, REGISTRY, SESSION_COOKIE, Cookie
from policy.cookies import NOTICE_COOKIE
from tests.test_architecture import application_modules
from visits.visitor_cookie import VISITOR_COOKIE

EXAMPLE = Cookie(
    name="centiro_example",
    category=NECESSARY,
    purpose="Ett exempel",
    data="Ingenting",
    lifetime="1 dag",
    max_age=timedelta(days=1),
    position=1000,
    same_site="Strict",
)


@pytest.fixture
def example(monkeypatch):
    monkeypatch.setitem(REGISTRY, EXAMPLE.name, EXAMPLE)
    return EXAMPLE


def test_each_owner_declares_its_cookie_in_the_order_visitors_are_shown():
    assert cookies.declaration() == (
        CONSENT_COOKIE,
        SESSION_COOKIE,
        CSRF_COOKIE,
        DEVICE_COOKIE,
        NOTICE_COOKIE,
        VISITOR_COOKIE,
    )


def test_a_cookie_is_set_for_its_declared_lifetime_and_never_longer(example):
    response = HttpResponse()
    cookies.set_cookie(response, example, "a")
    assert response.cookies[example.name]["max-age"] == 24 * 3600
    cookies.set_cookie(response, example, "a", max_age=timedelta(days=400))
    assert response.cookies[example.name]["max-age"] == 24 * 3600
    cookies.set_cookie(response, example, "a", max_age=timedelta(hours=1))
    assert response.cookies[example.name]["max-age"] == 3600
    cookies.set_cookie(response, example, "a", max_age=timedelta(seconds=-5))
    assert response.cookies[example.name]["max-age"] == 0


def test_a_cookie_carries_its_declared_same_site_and_http_only_and_the_one_secure_setting(
    example, settings
):
    response = HttpResponse()
    cookies.set_cookie(response, example, "a")
    morsel = response.cookies[example.name]
    assert (morsel["samesite"], morsel["httponly"], morsel["secure"]) == ("Strict", True, True)

    settings.SESSION_COOKIE_SECURE = False
    response = HttpResponse()
    cookies.set_cookie(response, example, "a")
    assert not response.cookies[example.name]["secure"]


def test_a_deleted_cookie_keeps_its_same_site(example):
    response = HttpResponse()
    cookies.delete_cookie(response, example)
    morsel = response.cookies[example.name]
    assert (morsel.value, morsel["max-age"], morsel["samesite"]) == ("", 0, "Strict")


def test_an_undeclared_cookie_is_refused():
    with pytest.raises(ImproperlyConfigured, match="centiro_example is not declared"):
        cookies.set_cookie(HttpResponse(), EXAMPLE, "a")


@pytest.mark.parametrize("change", [{"position": 2000}, {"name": "centiro_other"}])
def test_two_cookies_with_one_name_or_one_position_are_refused(example, change):
    clash = Cookie(**{**EXAMPLE.__dict__, **change})
    with pytest.raises(ImproperlyConfigured, match="collide"):
        cookies.declare(clash)


def test_django_s_cookies_are_declared_as_the_settings_set_them():
    assert SESSION_COOKIE.name == settings.SESSION_COOKIE_NAME
    assert SESSION_COOKIE.max_age == timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert CSRF_COOKIE.name == settings.CSRF_COOKIE_NAME
    assert CSRF_COOKIE.max_age == timedelta(seconds=settings.CSRF_COOKIE_AGE)
    assert settings.CSRF_COOKIE_SECURE == settings.SESSION_COOKIE_SECURE


def test_no_app_sets_or_deletes_a_cookie_but_through_the_helper():
    root = settings.BASE_DIR
    helper = root / "core" / "cookies.py"
    offenders = []
    # Every application module of the project, as the architecture test reads them.
    for path in application_modules().values():
        if path == helper:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            sets = isinstance(node, ast.Attribute) and node.attr in {"set_cookie", "delete_cookie"}
            if sets and not (isinstance(node.value, ast.Name) and node.value.id == "cookies"):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
