"""The page cache for anonymous visitors (pagecache/store.py, pagecache/layer.py).

A hit must serve exactly what a render would for the same request state, never anything
of another visitor's, and must cost no query; every input of the key must change the page.
"""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consent import texts
from consent.cookies import CONSENT_COOKIE
from consent.tests.consent_utils import choose
from core import release
from pagecache.tests.layer_client import LayerClient
from tests.pages import PUBLIC_PAGES
from visits.tests.factories import recorded_visits
from visits.visitor_cookie import VISITOR_COOKIE

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)"

PAGES = [*PUBLIC_PAGES, ("policy:diff", {"a": 1, "b": "version_2"})]
# None: no choice; otherwise the banner's button.
CONSENT_CHOICES = [None, "necessary_only", "accept_all"]


def url_of(name, kwargs, language):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def visitor(choice=None, gpc=False, user_agent=BROWSER):
    headers = {"User-Agent": user_agent}
    if gpc:
        headers["Sec-GPC"] = "1"
    client = LayerClient(headers=headers)
    if choice:
        assert choose(client, choice).status_code == 302
    return client


def forget_pages():
    caches["pages"].clear()
    caches["default"].clear()


def served(response):
    """What a visitor is served, apart from the request id: status, headers and body."""
    headers = {k: v for k, v in response.items() if k not in {"X-Request-ID", "Set-Cookie"}}
    return response.status_code, headers, response.content


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("choice", CONSENT_CHOICES)
@pytest.mark.parametrize("gpc", [False, True])
def test_a_hit_serves_what_a_render_serves(version_2, name, kwargs, language, choice, gpc):
    client = visitor(choice, gpc)
    kwargs = {k: version_2.number if v == "version_2" else v for k, v in kwargs.items()}
    url = url_of(name, kwargs, language)
    forget_pages()

    rendered = client.get(url)
    hit = client.get(url)

    assert rendered.status_code == 200
    assert served(hit) == served(rendered)


def test_a_hit_renders_nothing_and_queries_nothing(version_2, django_assert_num_queries):
    url = reverse("home")
    visitor(user_agent=BOT).get(url)
    stranger = visitor(user_agent=BOT)

    with django_assert_num_queries(0):
        response = stranger.get(url)

    assert response.status_code == 200


def test_a_hit_still_records_the_visit_with_its_own_visitor_id(
    version_2, django_assert_num_queries
):
    url = reverse("home")
    first, second = visitor("accept_all"), visitor("accept_all")
    first.get(url)

    with django_assert_num_queries(0):
        response = second.get(url)

    assert recorded_visits().count() == 2
    first_id = first.cookies[VISITOR_COOKIE.name].value
    second_id = response.cookies[VISITOR_COOKIE.name].value
    assert first_id != second_id
    assert recorded_visits().filter(visitor_id=second_id).count() == 1


def test_a_cached_page_never_carries_another_visitors_data(version_2, user):
    url = reverse("home")
    first = visitor("accept_all")
    first.get(url)
    signed_in = Client(headers={"User-Agent": BROWSER})
    signed_in.force_login(user)
    assert reverse("account_logout") in signed_in.get(url).content.decode()  # the header's form

    body = visitor("accept_all").get(url).content.decode()

    assert first.cookies[VISITOR_COOKIE.name].value not in body
    assert first.cookies[CONSENT_COOKIE.name].value not in body
    assert "csrfmiddlewaretoken" not in body
    assert reverse("account_logout") not in body
    assert user.email not in body


def test_the_cookie_settings_page_is_not_cached_once_a_choice_shows_its_consent_id(version_2):
    url = reverse("consent:cookies")
    first, second = visitor("accept_all"), visitor("accept_all")
    first_page = first.get(url).content.decode()

    second_page = second.get(url).content.decode()

    first_id = next(word for word in first_page.split("<code>")[1:]).split("</code>")[0]
    assert first_id in first_page
    assert first_id not in second_page


def test_a_signed_in_visitor_is_never_served_from_nor_stored_in_the_cache(version_2, user):
    url = reverse("home")
    anonymous = visitor().get(url)
    signed_in = Client(headers={"User-Agent": BROWSER})
    signed_in.force_login(user)

    page = signed_in.get(url)

    assert page.content != anonymous.content
    assert "Logga ut" in page.content.decode()
    assert "Logga ut" not in visitor().get(url).content.decode()


def test_a_leftover_visitor_id_is_deleted_on_a_hit(version_2):
    url = reverse("home")
    visitor("necessary_only").get(url)
    client = visitor("necessary_only")
    client.cookies[VISITOR_COOKIE.name] = "0" * 32

    response = client.get(url)

    assert response.cookies[VISITOR_COOKIE.name].value == ""
    assert str(response.cookies[VISITOR_COOKIE.name]["max-age"]) == "0"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"choice": None}, {"choice": "necessary_only"}),
        ({"gpc": False}, {"gpc": True}),
    ],
)
def test_the_consent_state_changes_the_page(version_2, first, second):
    url = reverse("home")
    before = visitor(**first).get(url)

    after = visitor(**second).get(url)

    assert after.content != before.content
    forget_pages()
    assert served(after) == served(visitor(**second).get(url))


def test_the_chosen_categories_are_part_of_the_key(version_2):
    url = reverse("home")
    visitor("necessary_only").get(url)
    stored = len(caches["pages"]._cache)

    visitor("accept_all").get(url)

    assert len(caches["pages"]._cache) == stored + 1


def test_the_path_query_and_language_change_the_page(version_2):
    client = visitor()
    pages = [
        client.get(reverse("home")),
        client.get(reverse("home") + "?consent=saved"),
        client.get(url_of("home", {}, "en")),
        client.get(reverse("about")),
    ]

    assert len({page.content for page in pages}) == len(pages)


def test_publishing_a_version_changes_the_page_at_once(version_2, publish):
    url = reverse("policy:current")
    client = visitor()
    assert "Version två." in client.get(url).content.decode()

    publish("Version tre.")

    page = client.get(url)
    assert "Version tre." in page.content.decode()
    forget_pages()
    assert served(page) == served(client.get(url))


def test_a_scheduled_version_takes_over_on_its_day(version_2, publish, time_machine):
    url = reverse("policy:current")
    client = visitor()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    publish("Version tre.", effective_date=tomorrow)
    assert "Version två." in client.get(url).content.decode()

    time_machine.move_to(timezone.now() + datetime.timedelta(days=1))

    assert "Version tre." in client.get(url).content.decode()


def test_a_visitor_who_closed_the_notice_and_one_who_did_not_get_different_bodies(publish):
    url = reverse("about")
    closed, still_open = visitor("necessary_only"), visitor("necessary_only")  # under version 1
    major_version = publish("Stor ändring.", is_major=True)
    closed.post(reverse("policy:dismiss_notice", args=[major_version.number]), {"next": url})
    still_open.get(url)  # stores the page with the notice

    rendered_closed = closed.get(url)
    hit_closed, hit_open = closed.get(url), still_open.get(url)

    assert 'class="policy-notice"' in hit_open.content.decode()
    assert 'class="policy-notice"' not in hit_closed.content.decode()
    assert served(hit_closed) == served(rendered_closed)


def test_whether_a_choice_predates_the_notice_is_part_of_the_key(publish):
    url = reverse("about")
    returning = visitor("necessary_only")  # chose under version 1
    publish("Stor ändring.", is_major=True)
    newer = visitor("necessary_only")  # same categories, chose under the new version
    newer.get(url)  # stores the page without the bar

    assert 'class="policy-notice"' in returning.get(url).content.decode()
    assert 'class="policy-notice"' not in newer.get(url).content.decode()


def test_the_confirmation_flag_changes_the_cached_body(version_2):
    url = reverse("about")
    chosen = visitor("necessary_only")
    chosen.get(url)  # stores the page without the confirmation

    confirmed = chosen.get(url, {"consent": "saved"})
    plain = chosen.get(url)

    assert "Ditt val är sparat" in confirmed.content.decode()
    assert "Ditt val är sparat" not in plain.content.decode()


@pytest.mark.parametrize("part", ["declaration revision", "release id"])
def test_a_new_declaration_revision_or_deploy_changes_the_key(version_2, monkeypatch, part):
    client = visitor()
    url = reverse("about")
    client.get(url)
    stored = len(caches["pages"]._cache)
    if part == "release id":
        monkeypatch.setattr(release, "release_id", lambda: "another release")
    else:
        revision = texts.current_revision()
        changed = type(revision)("another revision", revision.texts)
        monkeypatch.setattr(texts, "current_revision", lambda: changed)

    client.get(url)

    assert len(caches["pages"]._cache) == stored + 1
