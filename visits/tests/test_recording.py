import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from visits.models import INVALID, Device, Visit
from visits.recording import truncated_network
from visits.tests.factories import FIREFOX_LINUX, recorded_visits

SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client):
    client.defaults["HTTP_USER_AGENT"] = FIREFOX_LINUX
    return client


def test_an_anonymous_page_view_is_spooled_without_a_query(browser, django_assert_num_queries):
    browser.get(reverse("about"))  # warms per-process caches (current policy)
    with django_assert_num_queries(0):
        response = browser.get(reverse("home"))
    assert response.status_code == 200
    assert recorded_visits().count() == 2


def test_a_visit_keeps_only_coarse_facts(browser):
    browser.get(
        reverse("about") + "?utm_source=nyhetsbrev&e=kund@example.se",
        HTTP_HOST="WWW.Centiro.SE:8443",
        HTTP_REFERER="https://www.google.se/search?q=centiro+bor%C3%A5s",
    )
    visit = recorded_visits().get()
    assert visit.host == "www.centiro.se"
    assert visit.path == reverse("about")
    assert visit.referrer_host == "www.google.se"
    assert visit.browser == "Firefox"
    assert visit.os == "Linux"
    assert visit.device == Device.DESKTOP
    assert visit.language == "sv"
    stored = " ".join(str(value) for value in recorded_visits().values().get().values())
    assert "utm_source" not in stored
    assert "search" not in stored
    assert "Gecko" not in stored


def test_the_page_language_is_stored(browser):
    with translation.override("en"):
        url = reverse("about")
    browser.get(url)
    assert recorded_visits().get().language == "en"


@pytest.mark.parametrize(
    ("user_agent", "headers", "device"),
    [
        (SAFARI_IPHONE, {}, Device.MOBILE),
        (SAFARI_IPAD, {}, Device.TABLET),
        (CHROME_WINDOWS, {}, Device.DESKTOP),
        (CHROME_WINDOWS, {"HTTP_SEC_CH_UA_MOBILE": "?1"}, Device.MOBILE),
    ],
)
def test_the_device_class_comes_from_the_user_agent_or_client_hint(
    client, user_agent, headers, device
):
    client.get(reverse("home"), HTTP_USER_AGENT=user_agent, **headers)
    assert recorded_visits().get().device == device


def test_a_long_path_is_cut_to_the_column_length(browser, settings):
    # A 404 is not recorded, so the long path has to reach a real page: the
    # recording code cuts whatever request.path is.
    from visits import recording

    request = browser.get(reverse("home")).wsgi_request
    request.path = "/" + "å" * 400
    recording.save(recording.build_visit(request))
    visit = recorded_visits().get(path__startswith="/å")
    assert len(visit.path) == Visit._meta.get_field("path").max_length


@pytest.mark.parametrize(
    "user_agent",
    [GOOGLEBOT, "curl/8.5.0", "python-requests/2.32", "", "Mozilla/5.0 (compatible; bingbot/2.0)"],
)
def test_bots_are_not_recorded(client, user_agent):
    client.get(reverse("home"), HTTP_USER_AGENT=user_agent)
    assert not recorded_visits().exists()


def test_staff_are_not_recorded(browser, staff_user):
    browser.force_login(staff_user)
    browser.get(reverse("home"))
    assert not recorded_visits().exists()


def test_a_signed_in_customer_is_recorded(browser, user):
    browser.force_login(user)
    browser.get(reverse("home"))
    assert recorded_visits().count() == 1


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("healthz"),
        lambda: reverse("admin:login"),
        lambda: settings.STATIC_URL + "css/site.css",
        lambda: reverse("home") + "finns-inte/",
    ],
    ids=["healthz", "admin", "static", "404"],
)
def test_non_pages_are_not_recorded(browser, url):
    browser.get(url())
    assert not recorded_visits().exists()


def test_only_get_requests_are_recorded(browser):
    browser.head(reverse("home"))
    browser.post(reverse("home"))
    assert not recorded_visits().exists()


def test_non_html_responses_are_not_recorded(browser):
    from django.http import HttpResponse

    from visits import recording

    request = browser.get(reverse("home")).wsgi_request
    assert recording.is_recordable(request, HttpResponse("<p>x</p>"))
    assert not recording.is_recordable(request, HttpResponse("{}", content_type="application/json"))
    assert not recording.is_recordable(request, HttpResponse("x", content_type="text/plain"))


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.123", "192.0.2.0"),
        ("10.1.255.255", "10.1.255.0"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
        ("::ffff:198.51.100.7", "198.51.100.0"),
        ("not-an-address", None),
    ],
)
def test_addresses_are_truncated_to_their_network(address, network):
    assert truncated_network(address) == network


def test_a_failing_insert_does_not_break_the_page(browser, monkeypatch):
    from django.db import DatabaseError

    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Visit, "save", fail)
    assert browser.get(reverse("home")).status_code == 200


def test_the_user_agent_parser_is_built_once_per_process():
    from visits import useragents

    assert useragents.parser() is useragents.parser()
    assert useragents.classify(FIREFOX_LINUX) == useragents.classify(FIREFOX_LINUX)


HOSTILE_REFERRERS = [
    'http://=HYPERLINK("http:',
    "http://+cmd|calc.example/",
    "http://@evil.example@-x/",
    "http://ev\x00il.example/",
    "http://evil\x1b.example/",
    "http://" + "a" * 300 + ".example/",
    "http://" + "a" * 64 + ".example/",
    "http://under_score.example/",
    "http://[not-an-address]/",
    "http://exa%6dple.com/",
]


@pytest.mark.parametrize("referrer", HOSTILE_REFERRERS)
def test_a_hostile_referrer_is_stored_as_invalid_never_as_text(browser, referrer):
    browser.get(reverse("home"), HTTP_REFERER=referrer)
    assert recorded_visits().get().referrer_host == INVALID


@pytest.mark.parametrize(
    ("referrer", "host"),
    [
        ("https://WWW.Example.COM./sida", "www.example.com"),
        ("https://bücher.example/", "xn--bcher-kva.example"),
        # The same name as a WSGI server hands it over: UTF-8 bytes decoded as Latin-1.
        ("https://bücher.example/".encode().decode("latin-1"), "xn--bcher-kva.example"),
        # Tabs and line breaks are removed from URLs (WHATWG URL standard), as browsers do.
        ("http://evil\r\n.exam\tple/", "evil.example"),
        ("http://192.0.2.7:8080/", "192.0.2.7"),
        ("http://[2001:DB8::1]/", "2001:db8::1"),
        ("", ""),
    ],
)
def test_a_referrer_host_is_stored_in_idna_form_or_as_an_ip_address(browser, referrer, host):
    browser.get(reverse("home"), HTTP_REFERER=referrer)
    assert recorded_visits().get().referrer_host == host


def test_browser_and_os_families_that_are_not_plain_names_are_stored_as_invalid(
    browser, monkeypatch
):
    # ua-parser fills some families from the user agent's own text.
    from visits import useragents

    hostile = useragents.Agent('=HYPERLINK("x")', "Linux\x07", Device.DESKTOP, is_bot=False)
    monkeypatch.setattr(useragents, "classify", lambda *args, **kwargs: hostile)
    browser.get(reverse("home"))
    visit = recorded_visits().get()
    assert (visit.browser, visit.os) == (INVALID, INVALID)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("Chrome Mobile WebView", "Chrome Mobile WebView"),
        ("Mac OS X", "Mac OS X"),
        ("-Firefox", INVALID),
        ("@Safari", INVALID),
        ("Opera\tMini", INVALID),
        ("x" * 51, INVALID),
        ("Edge", "Edge"),
    ],
)
def test_families_are_plain_bounded_names(name, stored):
    from visits.recording import family

    assert family(name) == stored


def test_only_the_sites_languages_are_stored(settings):
    from visits.recording import language

    assert [language(code) for code in ["sv", "en", "de", "=1+1", None]] == ["sv", "en", "", "", ""]
