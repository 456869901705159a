"""Page cache hits answered before Django's handler (pagecache/layer.py).

A request rendered by Django (a miss, which stores it) and the same request answered from the
cache must get the same status, headers (in order) and body, apart from the request id; the
layer must answer only hits and hand everything else to Django untouched.
"""

import re

import pytest
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from prometheus_client import REGISTRY

from consent.cookies import CONSENT_COOKIE
from consent.tests.consent_utils import choose
from pagecache.layer import PageCache
from visits.tests.factories import recorded_visits
from visits.visitor_cookie import VISITOR_COOKIE

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PAGES = [
    ("home", {}),
    ("about", {}),
    ("policy:current", {}),
    ("policy:archive", {}),
    ("policy:version", {"number": 1}),
    ("policy:diff", {"a": 1, "b": "version_2"}),
    ("consent:cookies", {}),
]
HEX_ID = re.compile(r"[0-9a-f]{32}")


class Answer:
    """What a WSGI application sent: status, headers in order, body; closed as a server does."""

    def __init__(self, application, environ):
        def start_response(status, headers, exc_info=None):
            self.status, self.headers = status, headers

        # As Django's test client: a request must not close the test's database connection,
        # whose transaction is rolled back at the end of the test.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
        try:
            iterable = application(environ, start_response)
            self.body = b"".join(iterable)
            if hasattr(iterable, "close"):
                iterable.close()
        finally:
            for signal in (request_started, request_finished):
                signal.connect(close_old_connections)

    def header(self, name):
        return [value for key, value in self.headers if key == name]

    def served(self):
        """Everything, with the per-request ids (request id, a new visitor id) blanked."""
        headers = [
            (key, "<id>" if key == "X-Request-ID" else HEX_ID.sub("<id>", value))
            for key, value in self.headers
        ]
        return self.status, headers, self.body


def fell_through(environ, start_response):
    raise AssertionError("the early path handed a hit to Django")


def environ_of(url, cookies=(), method="GET", secure=False, **headers):
    factory = RequestFactory(headers={"User-Agent": BROWSER, **headers})
    for name, value in cookies:
        factory.cookies[name] = value
    return factory.generic(method, url, secure=secure).environ


def cookies_after(choice=None, dismiss=None):
    """The cookies a browser holds after choosing in the banner and closing the notice."""
    client = Client(headers={"User-Agent": BROWSER})
    if choice:
        assert choose(client, choice).status_code == 302
    if dismiss:
        client.post(reverse("policy:dismiss_notice", args=[dismiss.number]), {"next": "/"})
    return [(name, morsel.value) for name, morsel in client.cookies.items()]


def url_of(name, kwargs, language):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def forget_pages():
    caches["pages"].clear()
    caches["default"].clear()


@pytest.fixture
def frozen(time_machine):
    """One instant for both requests, so cookie lifetimes and dates agree to the second."""
    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def compare(frozen):
    django_app = PageCache(get_wsgi_application())
    early = PageCache(fell_through)

    def do(environ):
        """Render through Django (a miss), then answer the same request from the cache."""
        forget_pages()
        before = recorded_visits().count()
        rendered = Answer(django_app, dict(environ))
        rendered_visits = recorded_visits().count() - before
        assert rendered.status == "200 OK"
        hit = Answer(early, dict(environ))
        assert hit.served() == rendered.served()
        assert recorded_visits().count() - before == 2 * rendered_visits
        assert hit.header("X-Request-ID") != rendered.header("X-Request-ID")
        return hit

    return do


# The cookie settings page shows the consent id once chosen, and is then never cached.
CASES = [
    (name, kwargs, choice)
    for name, kwargs in PAGES
    for choice in (None, "necessary_only", "accept_all")
    if not (name == "consent:cookies" and choice)
]


@pytest.mark.parametrize(("name", "kwargs", "choice"), CASES)
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("gpc", [False, True])
def test_a_hit_answers_before_django_what_django_answers(
    compare, version_2, name, kwargs, choice, language, gpc
):
    headers = {"Sec-GPC": "1"} if gpc else {}
    kwargs = {k: version_2.number if v == "version_2" else v for k, v in kwargs.items()}
    environ = environ_of(url_of(name, kwargs, language), cookies_after(choice), **headers)

    compare(environ)


def test_a_new_consenting_visitor_gets_a_visitor_id_of_their_own(compare):
    hit = compare(environ_of("/", cookies_after("accept_all")))

    (cookie,) = hit.header("Set-Cookie")
    assert cookie.startswith(f" {VISITOR_COOKIE.name}=")
    visitor_id = HEX_ID.search(cookie).group(0)
    assert recorded_visits().filter(visitor_id=visitor_id).count() == 1


def test_a_returning_consenting_visitor_keeps_their_visitor_id(compare):
    cookies = [*cookies_after("accept_all"), (VISITOR_COOKIE.name, "a" * 32)]

    hit = compare(environ_of("/", cookies))

    assert hit.header("Set-Cookie") == []
    assert recorded_visits().filter(visitor_id="a" * 32).count() == 2


def test_a_leftover_visitor_id_without_consent_is_deleted(compare):
    cookies = [*cookies_after("necessary_only"), (VISITOR_COOKIE.name, "a" * 32)]

    hit = compare(environ_of("/", cookies))

    (cookie,) = hit.header("Set-Cookie")
    assert cookie.startswith(f' {VISITOR_COOKIE.name}=""; expires=Thu, 01 Jan 1970')


def test_a_closed_notice_is_answered_as_django_answers_it(compare, publish):
    # Both chose under version 1, so the notice concerns them.
    closed, still_open = cookies_after("necessary_only"), cookies_after("necessary_only")
    major_version = publish("Stor ändring.", is_major=True)
    dismissed = cookies_after(dismiss=major_version)
    compare(environ_of("/", [*closed, *dismissed]))
    hit = compare(environ_of("/", still_open))

    assert b'class="policy-notice"' in hit.body


def test_a_head_request_is_answered_as_django_answers_it(compare):
    hit = compare(environ_of("/", method="HEAD"))

    assert hit.body == b""  # gunicorn warns about body bytes on a no-body response


def test_https_gets_the_same_transport_headers(compare):
    hit = compare(environ_of("/en/", secure=True))

    assert hit.header("Strict-Transport-Security")


def test_a_policy_published_in_between_is_served_at_once(compare, version_2, publish):
    early = PageCache(get_wsgi_application())
    url = reverse("policy:current")
    assert b"Version tv\xc3\xa5." in Answer(early, environ_of(url)).body

    publish("Version tre.")

    assert b"Version tre." in Answer(early, environ_of(url)).body
    assert b"Version tre." in compare(environ_of(url)).body


def test_a_hit_is_counted_in_the_metrics(home_cached):
    labels = {"view": "home", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("centiro_requests_total", labels)

    Answer(PageCache(fell_through), environ_of("/"))

    assert REGISTRY.get_sample_value("centiro_requests_total", labels) == before + 1


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append(environ)
        start_response("204 No Content", [])
        return []


def falls_through(environ):
    django_app = Recorder()
    answer = Answer(PageCache(django_app), environ)
    return (
        len(django_app.calls) == 1
        and django_app.calls[0] is environ
        and answer.status == "204 No Content"
    )


@pytest.fixture
def home_cached():
    Answer(PageCache(get_wsgi_application()), environ_of("/"))


def test_a_miss_goes_to_django_untouched_and_records_nothing():
    environ = environ_of("/")
    untouched = dict(environ)

    assert falls_through(environ)
    assert environ == untouched
    assert recorded_visits().count() == 0


def test_a_session_cookie_goes_to_django(home_cached, settings):
    assert falls_through(environ_of("/", [(settings.SESSION_COOKIE_NAME, "x")]))
    assert recorded_visits().count() == 1  # only the render that filled the cache


@pytest.mark.parametrize("method", ["POST", "OPTIONS"])
def test_other_methods_go_to_django(home_cached, method):
    assert falls_through(environ_of("/", method=method))


def test_pages_that_are_never_cached_go_to_django(home_cached):
    Answer(PageCache(get_wsgi_application()), environ_of(reverse("account_login")))
    Answer(PageCache(get_wsgi_application()), environ_of("/no-such-page/"))

    assert falls_through(environ_of(reverse("account_login")))
    assert falls_through(environ_of("/no-such-page/"))


def test_the_cookie_settings_page_after_a_choice_goes_to_django():
    cookies = cookies_after("accept_all")
    url = reverse("consent:cookies")
    Answer(PageCache(get_wsgi_application()), environ_of(url, cookies))

    assert falls_through(environ_of(url, cookies))
    assert CONSENT_COOKIE.name in dict(cookies)
