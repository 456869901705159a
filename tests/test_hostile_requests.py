"""Any request, however made, gets an answer without a server error and without a link or a
redirect off the site (issue 24, items 1, 4 and 5).

Requests go to the WSGI application gunicorn serves (centiro_site.wsgi.application, page cache
layer included) as a server hands them over: PATH_INFO is the path's bytes read as Latin-1.
Every URL pattern of the site, in both languages, signed out, as a customer and as staff, is
requested plainly and with hostile paths; hypothesis then mixes paths, query strings, headers,
cookies and methods.
"""

import html
import io
import re
import sys
import uuid
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.mfa import sign_in_staff
from centiro_site.wsgi import application

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
FOREIGN = "evil.example"
OWN_HOSTS = {"", "testserver", "www.centiro.se"}
LINKS = re.compile(r'(?:href|action|src|content)="([^"]*)"', re.I)
SAMPLE_ARGUMENTS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "1",
    "uuid": str(uuid.UUID(int=1)),
}
HOSTILE_PREFIXES = ["", f"//{FOREIGN}", f"/%2F{FOREIGN}", "/", f"/\\{FOREIGN}"]
HOSTILE_SUFFIXES = [
    "",
    "%E2%82%AC",
    "%F0%9F%98%80",
    "%E2%80%AE/",
    "€",
    "%2F",
    "%2e%2e/%2e%2e/",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "%ff%fe",
    "a" * 4000,
]
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]


def every_named_pattern(patterns=None, namespace=""):
    """(URL name, pattern) of every named URL pattern of the site."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_named_pattern(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def sample_kwargs(pattern):
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {
        arg: SAMPLE_ARGUMENTS.get(type(converter).__name__.removesuffix("Converter").lower())
        for arg, converter in converters.items()
    }
    kwargs.update({arg: "1" for arg in pattern.pattern.regex.groupindex if arg not in kwargs})
    return kwargs


def every_path():
    """One path for every reversible URL pattern of the site, in both languages."""
    paths = set()
    for name, pattern in every_named_pattern():
        for language in ("sv", "en"):
            with translation.override(language):
                try:
                    paths.add(reverse(name, kwargs=sample_kwargs(pattern)))
                except NoReverseMatch:
                    continue
    return sorted(paths)


def environ(path, method="GET", query="", host="testserver", cookie="", language=""):
    """As gunicorn builds it: the URL's path unquoted to bytes, read as Latin-1."""
    result = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": BROWSER,
        "CONTENT_LENGTH": "0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    for key, value in (("HTTP_HOST", host), ("HTTP_COOKIE", cookie)):
        if value:
            result[key] = value
    if language:
        result["HTTP_ACCEPT_LANGUAGE"] = language
    return result


def answer(environ):
    """(status code, headers, body) as a server would send them."""
    sent = {}

    def start_response(status, headers, exc_info=None):
        sent.update(status=int(status[:3]), headers=headers)

    # As Django's test client: a request must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        iterable = application(environ, start_response)
        body = b"".join(iterable)
        if hasattr(iterable, "close"):
            iterable.close()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return sent["status"], sent["headers"], body


def off_site(url):
    """True for a link that leaves the site, or that a browser reads as naming another host (a
    path starting `//` or `/\\`, or the site's own URL with one: `https://site//evil/`)."""
    url = html.unescape(url).strip()
    if url.startswith(("//", "/\\")):
        return True
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        return False
    return (parts.hostname or "") not in OWN_HOSTS or parts.path.startswith("//")


def assert_answered_on_site(environ):
    status, headers, body = answer(environ)
    what = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']!r}?{environ['QUERY_STRING']}"
    assert status < 500, what
    for name, value in headers:
        if name == "Location":
            assert not off_site(value), f"{what}: {value}"
    links = [url for url in LINKS.findall(body.decode("utf-8", "replace")) if off_site(url)]
    assert links == [], what
    if environ["REQUEST_METHOD"] == "HEAD":
        assert body == b"", what


@pytest.fixture
def identities(verified_user, staff_user):
    """The Cookie header of a visitor signed out, a customer and staff with a second factor."""
    customer = Client()
    customer.force_login(verified_user)
    staff = sign_in_staff(Client(), staff_user)
    return {
        "signed out": "",
        "customer": f"sessionid={customer.cookies['sessionid'].value}",
        "staff": f"sessionid={staff.cookies['sessionid'].value}",
    }


@pytest.mark.parametrize("who", ["signed out", "customer", "staff"])
def test_every_page_answers_hostile_paths_without_error_or_foreign_link(
    policy_version, identities, who
):
    for path in every_path():
        for prefix, suffix in [("", ""), (f"//{FOREIGN}", ""), ("", "%E2%82%AC")]:
            assert_answered_on_site(environ(prefix + path + suffix, cookie=identities[who]))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_request_is_answered_without_error_or_foreign_link(policy_version, identities, data):
    path = data.draw(st.sampled_from(PATHS()))
    prefix = data.draw(st.sampled_from(HOSTILE_PREFIXES))
    suffix = data.draw(st.sampled_from(HOSTILE_SUFFIXES))
    query = data.draw(
        st.sampled_from(
            ["", "consent=saved", f"next=//{FOREIGN}/", f"next=https://{FOREIGN}/", "x=%ff"]
        )
        | st.text(max_size=40).map(lambda text: text.encode().decode("latin-1"))
    )
    host = data.draw(st.sampled_from(["testserver", FOREIGN, "testserver:80", "", "x" * 300]))
    cookie = data.draw(st.sampled_from(list(identities.values())))
    garbage = data.draw(
        st.sampled_from(["", "cookieconsent=garbage", "vid=zz", 'a="b', "policy_notice=9" * 9])
    )
    language = data.draw(st.sampled_from(["", "en", "sv;q=0.9", "ö" * 50, "*", "xx-YY,;q=a"]))
    method = data.draw(st.sampled_from(METHODS))

    assert_answered_on_site(
        environ(
            prefix + path + suffix,
            method=method,
            query=query,
            host=host,
            cookie="; ".join(part for part in (cookie, garbage) if part),
            language=language,
        )
    )


_paths = []


def PATHS():
    if not _paths:
        _paths.extend(every_path())
    return _paths
