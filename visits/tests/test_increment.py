"""Today counted by increments: each adds only the rows after the day's mark, exactly once."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from consent.models import ConsentRecord, ConsentTextRevision
from visits import increment
from visits.dashboard.figures import Period
from visits.dashboard.statistics import statistics
from visits.models import (
    DailyConsent,
    DailyDimension,
    DailyPageViews,
    DailyVisitors,
    Device,
    Dimension,
    RollupMark,
    SeenPage,
)
from visits.rollup import rollup_day, rollup_increment
from visits.sketch import STANDARD_ERROR, Sketch
from visits.tests.factories import NOW, at, visit, visitor_id, visitor_ids

TODAY = NOW.date()

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def tables(day=TODAY):
    """Everything the daily tables hold for the day."""
    visitors = DailyVisitors.objects.filter(day=day).values_list("distinct_ids", "sketch").first()
    return {
        "pages": sorted(
            DailyPageViews.objects.filter(day=day).values_list(
                "host", "path", "views", "views_with_id", "distinct_ids", "entries"
            )
        ),
        "dimensions": sorted(
            DailyDimension.objects.filter(day=day).values_list(
                "dimension", "value", "views", "views_with_id"
            )
        ),
        "visitors": (visitors[0], bytes(visitors[1])) if visitors else None,
        "consent": sorted(
            DailyConsent.objects.filter(day=day).values_list(
                "action", "gpc", "statistics", "language", "choices"
            )
        ),
    }


def choice(action, language="sv", statistics=True, hour=12):
    revision, _ = ConsentTextRevision.objects.get_or_create(
        revision="a" * 64, defaults={"texts": {"sv": {}, "en": {}}}
    )
    ConsentRecord.objects.create(
        revision=revision,
        consent_id=uuid.uuid4(),
        action=action,
        categories=["necessary", "statistics"] if statistics else ["necessary"],
        policy_version=1,
        language=language,
        created_at=at(TODAY, hour),
    )


def first_batch(anna, bo):
    visit(at(TODAY, 8), path="/", visitor_id=anna)
    visit(at(TODAY, 9), path="/kontakt/", visitor_id=anna, referrer_host="duckduckgo.com")
    visit(at(TODAY, 9), path="/", device=Device.MOBILE, language="en")
    visit(at(TODAY, 10), path="/om-centiro/", visitor_id=bo, browser="Chrome")
    choice(ConsentRecord.Action.ACCEPT_ALL)


def second_batch(anna, bo, cecilia):
    visit(at(TODAY, 11), path="/kontakt/", visitor_id=anna)  # seen on this page before
    visit(at(TODAY, 11), path="/", visitor_id=bo)  # a new page for a known visitor
    visit(at(TODAY, 12), path="/kontakt/", visitor_id=cecilia)  # a new visitor: an entry
    visit(at(TODAY, 12), path="/kontakt/", visitor_id=cecilia)
    visit(at(TODAY, 13), path="/", host="www.centiro.com")
    choice(ConsentRecord.Action.NECESSARY_ONLY, language="en", statistics=False)
    choice(ConsentRecord.Action.ACCEPT_ALL)


def test_two_increments_equal_one_full_rollup_and_count_entries_once():
    anna, bo, cecilia = visitor_ids(3)
    first_batch(anna, bo)
    rollup_increment(TODAY)
    second_batch(anna, bo, cecilia)
    rollup_increment(TODAY)
    rollup_increment(TODAY)  # nothing new: nothing added
    by_increments = tables()

    rollup_day(TODAY)

    assert tables() == by_increments
    assert by_increments["pages"] == [
        ("www.centiro.com", "/", 1, 0, 0, 0),
        ("www.centiro.se", "/", 3, 2, 2, 1),  # anna's entry; bo came back later
        ("www.centiro.se", "/kontakt/", 4, 4, 2, 1),  # anna twice, cecilia twice: her entry
        ("www.centiro.se", "/om-centiro/", 1, 1, 1, 1),  # bo's entry
    ]
    assert by_increments["visitors"][0] == 3
    assert by_increments["consent"] == [
        ("accept_all", False, True, "sv", 2),
        ("necessary_only", False, False, "en", 1),
    ]
    assert (Dimension.REFERRER, "duckduckgo.com", 1, 1) in by_increments["dimensions"]
    assert (Dimension.DEVICE, "mobile", 1, 0) in by_increments["dimensions"]
    assert (Dimension.DEVICE, "desktop", 8, 7) in by_increments["dimensions"]


def test_the_dashboard_adds_the_views_after_the_mark_to_todays_daily_rows():
    anna, bo, cecilia = visitor_ids(3)
    first_batch(anna, bo)
    rollup_increment(TODAY)
    second_batch(anna, bo, cecilia)  # not yet counted: read raw

    def figures():
        stats = statistics(Period(TODAY, TODAY), today=TODAY)
        return (
            stats.totals.views,
            stats.totals.views_with_id,
            stats.totals.visitors,
            sorted((row.label, row.count) for row in stats.breakdowns["entries"]),
            stats.consent.by_action,
        )

    provisional = figures()
    assert provisional[:4] == (
        9,
        7,
        3,
        [("www.centiro.se/", 1), ("www.centiro.se/kontakt/", 1), ("www.centiro.se/om-centiro/", 1)],
    )
    assert provisional[4][ConsentRecord.Action.ACCEPT_ALL] == 2
    rollup_day(TODAY)
    assert figures() == provisional


def test_a_crash_inside_an_increment_counts_nothing_and_the_rerun_counts_once(monkeypatch):
    anna, bo, cecilia = visitor_ids(3)
    first_batch(anna, bo)
    rollup_increment(TODAY)
    before = tables()
    mark = RollupMark.objects.values_list("visit_id", "consent_id").get()
    second_batch(anna, bo, cecilia)

    def crash(*args):
        raise RuntimeError("killed after the pages and dimensions were written")

    monkeypatch.setattr(increment, "_add_visitors", crash)
    with pytest.raises(RuntimeError):
        rollup_increment(TODAY)
    assert tables() == before
    assert RollupMark.objects.values_list("visit_id", "consent_id").get() == mark

    monkeypatch.undo()
    rollup_increment(TODAY)
    by_increments = tables()
    rollup_day(TODAY)
    assert tables() == by_increments


def test_a_visitor_in_several_increments_is_one_unique_visitor():
    returning = [visitor_id() for _ in range(600)]
    for person in returning:
        visit(at(TODAY, 8), visitor_id=person)
    rollup_increment(TODAY)
    for person in [*returning, *(visitor_id() for _ in range(400))]:
        visit(at(TODAY, 9), path="/kontakt/", visitor_id=person)
    rollup_increment(TODAY)

    row = DailyVisitors.objects.get(day=TODAY)
    assert row.distinct_ids == 1_000
    assert abs(Sketch(row.sketch).count() - 1_000) <= 3 * STANDARD_ERROR * 1_000
    entries = dict(DailyPageViews.objects.values_list("path", "entries"))
    assert entries == {"/": 600, "/kontakt/": 400}


def test_a_late_view_of_a_closed_day_waits_for_its_rollup_and_today_ignores_it():
    yesterday = TODAY - datetime.timedelta(days=1)
    visit(at(yesterday, 23), visitor_id=visitor_id())
    rollup_increment(TODAY)
    assert DailyPageViews.objects.count() == 0
    visit(at(TODAY, 8), visitor_id=visitor_id())
    rollup_increment(TODAY)

    assert rollup_day(yesterday) == 1
    # A day rolled up whole keeps no visitor ids; today's are still needed for its increments.
    assert set(SeenPage.objects.values_list("day", flat=True)) == {TODAY}


def test_drain_visits_counts_todays_new_visits(client):
    visit(at(TODAY, 8))
    out = io.StringIO()
    call_command("drain_visits", stdout=out)
    assert DailyPageViews.objects.get(day=TODAY).views == 1
    assert f"up to id {RollupMark.objects.get(day=TODAY).visit_id}" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locked_visit_table_postpones_the_increment_instead_of_waiting(client):
    if connection.vendor != "postgresql":
        pytest.skip("the lock wait exists on PostgreSQL only")
    import psycopg

    visit(at(TODAY, 8))
    database = connection.settings_dict
    with psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"]
    ) as writer:
        writer.execute("LOCK TABLE visits_visit IN ROW EXCLUSIVE MODE")  # a drain mid-batch
        out = io.StringIO()
        call_command("drain_visits", stdout=out)
    assert "visits_visit is locked; next run" in out.getvalue()
    assert not DailyPageViews.objects.exists()

    call_command("drain_visits", stdout=io.StringIO())
    assert DailyPageViews.objects.get().views == 1


def test_views_in_one_microsecond_make_the_same_entry_raw_and_counted():
    anna = visitor_id()
    visit(at(TODAY, 9), path="/om-centiro/", visitor_id=anna)  # the lower id: the entry
    visit(at(TODAY, 9), path="/", visitor_id=anna)

    def entries():
        stats = statistics(Period(TODAY, TODAY), today=TODAY)
        return [(row.label, row.count) for row in stats.breakdowns["entries"]]

    raw = entries()
    rollup_increment(TODAY)
    assert raw == entries() == [("/om-centiro/", 1)]
