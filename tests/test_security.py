import os
import subprocess
import sys
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.net import client_ip

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    """manage.py with production settings; explicit values win over a developer's .env file."""
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(DEBUG="off", SECRET_KEY="", SECURE_SSL_REDIRECT="on", STATIC_MANIFEST="on")
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_silenced_csrf_check_stands_for_a_subclass_of_django_s_middleware():
    """security.W003 is silenced only because Django's CSRF middleware runs as a subclass."""
    from django.conf import settings
    from django.middleware.csrf import CsrfViewMiddleware
    from django.utils.module_loading import import_string

    assert settings.SILENCED_SYSTEM_CHECKS == ["security.W003"]
    classes = {path: import_string(path) for path in settings.MIDDLEWARE}
    csrf = [
        path
        for path, middleware in classes.items()
        if isinstance(middleware, type) and issubclass(middleware, CsrfViewMiddleware)
    ]
    assert csrf == ["core.crossorigin.CrossOriginProtectionMiddleware"]
    assert settings.MIDDLEWARE.index(csrf[0]) < settings.MIDDLEWARE.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "-production-like-key-0123456789",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# One page of each kind: public, policy, consent, account form, and the site's 404.
PAGES = ["home", "policy:current", "consent:cookies", "account_login", "/finns-inte/"]


def url_for(page):
    return page if page.startswith("/") else reverse(page)


@pytest.mark.parametrize("page", PAGES)
def test_security_headers_on_pages(client, page):
    response = client.get(url_for(page), secure=True)

    hsts = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
    assert hsts[0].startswith("max-age=")
    assert int(hsts[0].removeprefix("max-age=")) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Request-ID"]


@pytest.mark.parametrize("page", PAGES)
def test_content_security_policy_is_strict(client, page):
    csp = client.get(url_for(page), secure=True)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}

    assert directives["default-src"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    for sources in directives.values():
        for source in sources:
            assert source in {"'self'", "'none'", "data:"}, f"unexpected source {source}"


@pytest.mark.parametrize("page", PAGES)
def test_content_security_policy_is_byte_identical_to_django_csp(client, page):
    """Built once per process, the header is exactly what django-csp builds per response."""
    response = client.get(url_for(page), secure=True)
    request = RequestFactory().get(url_for(page))
    expected = CSPMiddleware(lambda request: HttpResponse()).process_response(
        request, HttpResponse()
    )["Content-Security-Policy"]

    assert response["Content-Security-Policy"] == expected


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_redirects_to_https_except_healthz(client, db):
    response = client.get(reverse("about"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")

    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),  # forged header ignored when no proxy is trusted
        (0, "", "192.0.2.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # leftmost entry is client-controlled
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.1"),  # fewer entries than proxies: use the socket
        (1, "not-an-address", "192.0.2.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_exactly_the_configured_proxies(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_gunicorn_access_log_holds_no_address_agent_or_query():
    namespace = {}
    exec((BASE_DIR / "centiro_site" / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    log_format = namespace["access_log_format"]
    for forbidden in ["%(h)s", "%(a)s", "%(f)s", "%(q)s", "%(r)s", "%(u)s", "{x-forwarded-for}"]:
        assert forbidden not in log_format
    assert "%(U)s" in log_format


class CookieJournal(Client):
    """A browser on HTTPS that keeps every Set-Cookie it is sent, in order."""

    def __init__(self):
        super().__init__(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Firefox/128.0")
        self.set_cookies = []

    def request(self, **request):
        response = super().request(**{**request, "wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        self.set_cookies.extend(response.cookies.values())
        return response


def walk_main_journeys(browser, user):
    """Consent, statistics, withdrawal, signup, sign-in, portal, registration, sign-out."""
    browser.get(reverse("home"))
    browser.post(reverse("consent:choose"), {"choice": "accept_all", "next": "/"})
    browser.get(reverse("home"))
    browser.get(reverse("policy:current"))
    browser.post(reverse("consent:choose"), {"choice": "necessary_only", "next": "/"})
    browser.get(reverse("account_signup"))
    browser.post(
        reverse("account_signup"),
        {
            "email": "ny@example.se",
            "password1": "ett-långt-lösenord-2016",
            "password2": "ett-långt-lösenord-2016",
            "language": "sv",
            "country": "SE",
        },
    )
    browser.get(reverse("account_login"))
    browser.post(
        reverse("account_login"), {"login": user.email, "password": "ett-långt-lösenord-2016"}
    )
    browser.get(reverse("registrations:portal"))
    browser.post(reverse("registrations:register"), {"key": "ABCD1234EFGH5678"})
    browser.get(reverse("registrations:list"))
    browser.get(reverse("accounts:my_data"))
    browser.post(reverse("account_logout"))


@pytest.mark.django_db
def test_every_cookie_on_the_main_journeys_is_secure_samesite_and_httponly(
    verified_user, licence_key
):
    browser = CookieJournal()

    walk_main_journeys(browser, verified_user)

    set_by_name = {cookie.key for cookie in browser.set_cookies if cookie.value}
    assert {"csrftoken", "sessionid", "centiro_consent", "centiro_vid"} <= set_by_name
    for cookie in browser.set_cookies:
        assert cookie["samesite"] in {"Lax", "Strict"}, cookie.output()
        if not cookie.value:
            continue  # a deletion: expired at once, it carries nothing
        assert cookie["secure"], cookie.output()
        # No script on the site reads a cookie, so every one of them can be HttpOnly.
        assert cookie["httponly"], cookie.output()
