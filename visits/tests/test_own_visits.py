""" "Dina besök": a visitor sees, downloads and erases the visits under their own id (issue 27)."""

import datetime
import json
import threading
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consent.tests.consent_utils import choose
from pagecache import store as pagecache
from pagecache.tests.layer_client import LayerClient
from visits import erasure, spool
from visits.models import (
    DailyDimension,
    DailyErasures,
    DailyPageViews,
    DailyVisitors,
    Device,
    SeenPage,
    Visit,
    VisitErasure,
    VisitorLink,
)
from visits.rollup import rollup_day, rollup_increment
from visits.tests.factories import FIREFOX_LINUX, recorded_visits
from visits.visitor_cookie import VISITOR_COOKIE

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 4, 13, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=True):
        yield


def consenting_visitor():
    browser = Client(HTTP_USER_AGENT=FIREFOX_LINUX)
    assert choose(browser, "accept_all").status_code == 302
    return browser


def visitor_id_of(browser):
    return uuid.UUID(hex=browser.cookies[VISITOR_COOKIE.name].value)


def own_page(browser, language="sv", **headers):
    with translation.override(language):
        return browser.get(reverse("own_visits:page"), **headers)


def own_paths(browser):
    """The paths in the browser's download of "Dina besök", oldest first."""
    data = json.loads(browser.get(reverse("own_visits:export")).content)
    return [visit["path"] for visit in data["visits"]]


def as_node(settings, node, directory):
    settings.VISIT_SPOOL_NODE = node
    settings.VISIT_SPOOL_DIR = directory


def spooled_line(visitor_id, path, *, time=None):
    spool.append(
        Visit(
            time=time or timezone.now(),
            host="www.centiro.se",
            path=path,
            referrer_host="example.org",
            browser="Firefox",
            os="Linux",
            device=Device.DESKTOP,
            language="sv",
            visitor_id=visitor_id,
            network="192.0.2.0" if visitor_id else None,
        )
    )


def figures(day=TODAY):
    return (
        sorted(DailyPageViews.objects.filter(day=day).values_list()),
        sorted(DailyDimension.objects.filter(day=day).values_list()),
        list(DailyVisitors.objects.filter(day=day).values_list("sketch", "distinct_ids")),
    )


# Seeing


def test_two_interleaved_visitors_each_see_exactly_their_own_visits():
    anna, bertil = consenting_visitor(), consenting_visitor()
    anna.get(reverse("home"))
    bertil.get(reverse("about"))
    anna.get(reverse("contact"))
    recorded_visits()  # the first three drained, the rest still spooled
    bertil.get(reverse("policy:current"))
    anna.get(reverse("about"), HTTP_REFERER="https://www.example.org/a?q=1")

    home, about, contact = (reverse(name) for name in ("home", "about", "contact"))
    assert own_paths(anna) == [home, contact, about]
    assert own_paths(bertil) == [about, reverse("policy:current")]
    page = own_page(anna).content.decode()
    assert page.count("data-own-visit") == 3
    assert "www.example.org" in page  # the referrer host, and only the host
    assert f'own-path">testserver{reverse("policy:current")}' not in page


def test_the_page_shows_every_stored_field_and_never_the_whole_id():
    anna = consenting_visitor()
    anna.get(reverse("about"), REMOTE_ADDR="192.0.2.77", HTTP_REFERER="https://www.example.org/")
    recorded_visits()
    anna.get(reverse("contact"), REMOTE_ADDR="192.0.2.77")  # still in the spool
    visitor_id = visitor_id_of(anna)

    response = own_page(anna)
    page = response.content.decode()
    for shown in ("www.example.org", "Firefox", "Linux", "Dator", "192.0.2.0", "testserver"):
        assert shown in page
    assert reverse("about") in page
    assert reverse("contact") in page
    assert "på väg in i databasen" in page  # the spooled one, counted
    assert "<dd data-own-count>2</dd>" in page
    assert f"{visitor_id.hex[:8]}…" in page
    export = anna.get(reverse("own_visits:export"))
    data = json.loads(export.content)
    assert (data["count"], data["not_yet_in_database"]) == (2, 1)
    assert data["visits"][0] | {"time": None} == {
        "time": None,
        "host": "testserver",
        "path": reverse("about"),
        "referrer_host": "www.example.org",
        "browser": "Firefox",
        "os": "Linux",
        "device": "desktop",
        "language": "sv",
        "network": "192.0.2.0",
        "in_database": True,
    }
    for text in (page, export.content.decode()):
        assert visitor_id.hex not in text
        assert str(visitor_id) not in text


def test_the_page_is_personal_never_cached_and_carries_a_csrf_token(monkeypatch):
    stored = []
    put = pagecache.put
    monkeypatch.setattr(
        pagecache, "put", lambda key, entry, *a: stored.append(entry[2]) or put(key, entry, *a)
    )
    # Through the page cache's layer, as gunicorn serves the site.
    anna = LayerClient(HTTP_USER_AGENT=FIREFOX_LINUX)
    assert choose(anna, "accept_all").status_code == 302
    anna.get(reverse("home"))
    first = own_page(anna)
    anna.get(reverse("about"))
    second = own_page(anna)
    # A browser without any cookie is the page cache's whole audience: still never stored.
    stranger = LayerClient()
    stranger.get(reverse("own_visits:page"))
    third = stranger.get(reverse("own_visits:page"))

    for response in (first, second, third, anna.get(reverse("own_visits:export"))):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
    assert first.content.decode().count("data-own-visit") == 1
    assert second.content.decode().count("data-own-visit") == 2
    assert "csrfmiddlewaretoken" in second.content.decode()
    assert stored  # the other pages were stored
    assert not [body for body in stored if b"<h1>Dina bes" in body]


@pytest.mark.parametrize("cookie", [None, "0" * 31, "not-an-id-at-all-not-an-id-at-al", "é" * 32])
def test_without_an_id_or_with_a_malformed_one_the_page_shows_nothing(cookie):
    anna = consenting_visitor()
    anna.get(reverse("home"))
    recorded_visits()
    stranger = Client()
    if cookie is not None:
        stranger.cookies[VISITOR_COOKIE.name] = cookie
    response = own_page(stranger)
    assert response.status_code == 200
    assert "data-own-none" in response.content.decode()
    assert "data-own-visit" not in response.content.decode()
    data = json.loads(stranger.get(reverse("own_visits:export")).content)
    assert (data["count"], data["visits"]) == (0, [])


def test_another_visitors_valid_id_never_shows_without_the_cookie():
    anna, bertil = consenting_visitor(), consenting_visitor()
    anna.get(reverse("home"))
    recorded_visits()
    assert own_paths(bertil) == []


def test_the_page_works_in_english():
    anna = consenting_visitor()
    anna.get(reverse("home"))
    response = own_page(anna, "en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your visits" in page
    assert "Erase my visits" in page
    assert page.count("data-own-visit") == 1


def test_viewing_ones_own_visits_is_not_itself_a_visit():
    anna = consenting_visitor()
    own_page(anna)
    anna.get(reverse("home"))
    own_page(anna)
    assert recorded_visits().count() == 1


# Erasing


def test_erasure_removes_rows_seen_pages_links_and_both_nodes_spooled_lines(
    settings, tmp_path, user
):
    node_a, node_b = tmp_path / "a", tmp_path / "b"
    anna, bertil = consenting_visitor(), consenting_visitor()
    as_node(settings, "node-a", node_a)
    anna.get(reverse("home"))
    bertil.get(reverse("home"))
    anna_id, bertil_id = visitor_id_of(anna), visitor_id_of(bertil)
    recorded_visits()
    rollup_increment(TODAY)  # today's per-visitor rows
    VisitorLink.objects.create(user=user, visitor_id=anna_id, since=timezone.now())
    # Spooled on both nodes before the erasure, drained after it.
    spooled_line(anna_id, "/a-on-a/")
    spooled_line(bertil_id, "/b-on-a/")
    spooled_line(None, "/anonymous-on-a/")
    as_node(settings, "node-b", node_b)
    spooled_line(anna_id, "/a-on-b/")
    spooled_line(bertil_id, "/b-on-b/")
    assert SeenPage.objects.filter(visitor_id=anna_id).exists()

    as_node(settings, "node-a", node_a)
    response = anna.post(reverse("own_visits:erase"))

    assert response.status_code == 302
    assert not Visit.objects.filter(visitor_id=anna_id).exists()
    assert not SeenPage.objects.filter(visitor_id=anna_id).exists()
    assert not VisitorLink.objects.filter(visitor_id=anna_id).exists()
    assert Visit.objects.filter(visitor_id=bertil_id).count() == 1
    assert SeenPage.objects.filter(visitor_id=bertil_id).exists()
    for node, directory in (("node-a", node_a), ("node-b", node_b)):
        as_node(settings, node, directory)
        spool.drain()
    assert not Visit.objects.filter(visitor_id=anna_id).exists()
    assert set(Visit.objects.filter(visitor_id=bertil_id).values_list("path", flat=True)) == {
        reverse("home"),
        "/b-on-a/",
        "/b-on-b/",
    }
    assert Visit.objects.filter(path="/anonymous-on-a/", visitor_id=None).count() == 1
    rollup_increment(TODAY)
    assert not SeenPage.objects.filter(visitor_id=anna_id).exists()
    # The erasure list holds a keyed hash, never the id.
    [pending] = VisitErasure.objects.all()
    assert anna_id.hex not in pending.digest
    assert pending.digest == erasure.digest(anna_id)
    assert DailyErasures.objects.get(day=TODAY).erasures == 1


def test_after_an_erasure_the_browser_gets_a_fresh_id_and_sees_nothing():
    anna = consenting_visitor()
    anna.get(reverse("home"))
    old_id = visitor_id_of(anna)
    response = anna.post(reverse("own_visits:erase"), follow=True)
    assert "Dina besök är raderade." in response.content.decode()
    assert "data-own-visit" not in response.content.decode()
    new_id = visitor_id_of(anna)
    assert new_id != old_id
    anna.get(reverse("about"))
    assert own_paths(anna) == [reverse("about")]
    assert not recorded_visits().filter(visitor_id=old_id).exists()


def test_daily_figures_are_unchanged_by_an_erasure_and_by_rolling_the_day_up_again():
    anna, bertil = consenting_visitor(), consenting_visitor()
    for browser in (anna, bertil, anna):
        browser.get(reverse("home"))
    bertil.get(reverse("about"))
    recorded_visits()
    rollup_increment(TODAY)
    before = figures()
    assert before[0]

    anna.post(reverse("own_visits:erase"))
    assert figures() == before
    # The nightly recount of the day continues from its counts instead of recounting raw rows.
    rollup_day(TODAY)
    assert figures() == before


def test_withdrawing_with_erasure_leaves_no_row_with_the_old_id(user):
    anna = consenting_visitor()
    anna.get(reverse("home"))
    old_id = visitor_id_of(anna)
    recorded_visits()
    rollup_increment(TODAY)
    VisitorLink.objects.create(user=user, visitor_id=old_id, since=timezone.now())
    anna.get(reverse("about"))  # still spooled

    response = choose(anna, "withdraw", data={"erase_visits": "on"})

    assert response.status_code == 302
    assert response.cookies[VISITOR_COOKIE.name]["max-age"] == 0
    recorded_visits()
    rollup_increment(TODAY)
    for model in (Visit, SeenPage, VisitorLink):
        assert not model.objects.filter(visitor_id=old_id).exists()
    assert DailyErasures.objects.get(day=TODAY).erasures == 1


def test_withdrawing_without_the_box_ticked_keeps_the_visits():
    anna = consenting_visitor()
    anna.get(reverse("home"))
    old_id = visitor_id_of(anna)
    response = choose(anna, "withdraw")
    assert response.cookies[VISITOR_COOKIE.name]["max-age"] == 0
    assert recorded_visits().filter(visitor_id=old_id).count() == 1
    assert not DailyErasures.objects.exists()


def test_the_settings_page_offers_erasure_ticked_with_withdrawal_and_links_the_page():
    anna = consenting_visitor()
    page = anna.get(reverse("consent:cookies")).content.decode()
    assert 'name="erase_visits" id="id_withdraw_erase_visits" checked' in page
    assert reverse("own_visits:page") in page


def test_erasing_takes_a_post_with_a_csrf_token_and_is_rate_limited():
    anna = consenting_visitor()
    anna.get(reverse("home"))
    assert anna.get(reverse("own_visits:erase")).status_code == 405
    strict = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=FIREFOX_LINUX)
    strict.cookies = anna.cookies
    assert strict.post(reverse("own_visits:erase")).status_code == 403
    assert recorded_visits().filter(visitor_id=visitor_id_of(anna)).exists()
    statuses = [anna.post(reverse("own_visits:erase")).status_code for _ in range(11)]
    assert statuses == [302] * 10 + [429]


def test_reading_is_rate_limited_per_address():
    anna = consenting_visitor()
    statuses = [own_page(anna).status_code for _ in range(20)]
    statuses += [anna.get(reverse("own_visits:export")).status_code for _ in range(11)]
    assert statuses == [200] * 30 + [429]
    assert own_page(anna, REMOTE_ADDR="192.0.2.9").status_code == 200


def test_an_erasure_is_kept_only_as_long_as_a_drainer_may_need_it(settings, tmp_path):
    gone = uuid.uuid4()
    erasure.erase(gone)
    spooled_line(gone, "/spooled-before-the-erasure/")
    with time_machine.travel(NOW + datetime.timedelta(hours=1)):
        spool.drain()
    assert VisitErasure.objects.count() == 1
    assert not Visit.objects.exists()

    with time_machine.travel(NOW + erasure.KEEP + datetime.timedelta(minutes=1)):
        spool.drain()
        assert not VisitErasure.objects.exists()
        # A node that comes back after that long: its line older than any kept erasure is
        # inserted without its id, counted like a visit without consent.
        as_node(settings, "late-node", tmp_path / "late")
        spooled_line(gone, "/spooled-before-the-erasure-on-a-late-node/", time=NOW)
        fresh = uuid.uuid4()
        spooled_line(fresh, "/fresh/")
        spool.drain()
    late = Visit.objects.get(path="/spooled-before-the-erasure-on-a-late-node/")
    assert (late.visitor_id, late.network) == (None, None)
    assert Visit.objects.get(path="/fresh/").visitor_id == fresh
    assert not Visit.objects.filter(visitor_id=gone).exists()
    assert DailyErasures.objects.get(day=TODAY).erasures == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's BEGIN IMMEDIATE runs one writing transaction at a time",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_erasure_waits_for_a_drain_batch_that_read_the_erasure_list_before_it(monkeypatch):
    """The race the locks close (PostgreSQL; SQLite runs one writing transaction at a time): a
    batch that has read the erasure list, and not yet inserted, when the erasure starts."""
    gone = uuid.uuid4()
    spooled_line(gone, "/read-before-the-erasure/")
    loaded, go = threading.Event(), threading.Event()
    screen_init = erasure.Screen.__init__

    def slow_screen(self, *args, **kwargs):
        screen_init(self, *args, **kwargs)
        loaded.set()
        go.wait(timeout=5)

    monkeypatch.setattr(erasure.Screen, "__init__", slow_screen)

    def in_thread(work):
        def run():
            try:
                work()
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    drainer = in_thread(spool.drain)
    assert loaded.wait(timeout=5)
    eraser = in_thread(lambda: erasure.erase(gone))
    eraser.join(timeout=0.5)
    assert eraser.is_alive()  # waiting for the batch
    go.set()
    drainer.join(timeout=10)
    eraser.join(timeout=10)
    assert not Visit.objects.filter(visitor_id=gone).exists()
    assert VisitErasure.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "filename"), [("sv", "mina-besok.json"), ("en", "my-visits.json")]
)
def test_the_download_is_named_in_the_page_s_language(language, filename):
    browser = consenting_visitor()
    with translation.override(language):
        response = browser.get(reverse("own_visits:export"))
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
