import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from core.days import day_bounds
from visits.models import DailyDimension, DailyPageViews, Visit
from visits.tests.factories import visit, visitor_id

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def rollup(day):
    out = io.StringIO()
    call_command("rollup_visits", date=day.isoformat(), stdout=out)
    return out.getvalue()


def page_rows():
    return sorted(
        DailyPageViews.objects.values_list(
            "day", "host", "path", "views", "views_with_id", "distinct_ids"
        )
    )


def dimension_rows():
    return sorted(
        DailyDimension.objects.values_list("day", "dimension", "value", "views", "views_with_id")
    )


def test_rollup_counts_views_ids_and_distinct_ids_per_page():
    anna, bo = visitor_id(), visitor_id()
    day = datetime.date(2026, 5, 4)
    visit(at(2026, 5, 4, 9), path="/", visitor_id=anna, network="192.0.2.0")
    visit(at(2026, 5, 4, 10), path="/", visitor_id=anna, network="192.0.2.0")
    visit(at(2026, 5, 4, 11), path="/", visitor_id=bo, network="198.51.100.0")
    visit(at(2026, 5, 4, 12), path="/")
    visit(
        at(2026, 5, 4, 13), path="/kontakt/", host="www.centiro.com", referrer_host="duckduckgo.com"
    )
    visit(at(2026, 5, 5, 0, 0), path="/")  # the next day

    assert "5 views" in rollup(day)

    assert page_rows() == [
        (day, "www.centiro.com", "/kontakt/", 1, 0, 0),
        (day, "www.centiro.se", "/", 4, 3, 2),
    ]
    referrers = dict(DailyDimension.objects.filter(dimension=4).values_list("value", "views"))
    assert referrers == {"": 4, "duckduckgo.com": 1}
    devices = dict(DailyDimension.objects.filter(dimension=3).values_list("value", "views"))
    assert devices == {"desktop": 5}


def test_running_the_rollup_twice_gives_the_same_numbers():
    day = datetime.date(2026, 5, 4)
    for hour in range(5):
        visit(at(2026, 5, 4, hour), visitor_id=visitor_id())
    rollup(day)
    first = (page_rows(), dimension_rows())
    rollup(day)
    assert (page_rows(), dimension_rows()) == first
    assert DailyPageViews.objects.get().views == 5


def test_a_rerun_picks_up_late_changes_to_the_day():
    day = datetime.date(2026, 5, 4)
    visit(at(2026, 5, 4, 8))
    rollup(day)
    visit(at(2026, 5, 4, 9))
    rollup(day)
    assert DailyPageViews.objects.get().views == 2


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (datetime.date(2026, 3, 29), 23),  # clocks go forward
        (datetime.date(2026, 10, 25), 25),  # clocks go back
        (datetime.date(2026, 5, 4), 24),
    ],
)
def test_a_stockholm_day_is_rolled_up_whole_across_daylight_saving_changes(day, hours):
    start, end = day_bounds(day)
    assert end - start == datetime.timedelta(hours=hours)
    utc_start = start.astimezone(datetime.UTC)
    for hour in range(hours):
        visit(utc_start + datetime.timedelta(hours=hour, minutes=30))
    visit(utc_start - datetime.timedelta(minutes=1))  # 23:59 the day before
    visit(utc_start + datetime.timedelta(hours=hours))  # 00:00 the day after

    rollup(day)
    rollup(day)

    assert DailyPageViews.objects.get(day=day).views == hours
    assert DailyPageViews.objects.count() == 1


def test_rollup_defaults_to_yesterday_in_stockholm():
    # 00:30 in Stockholm on 5 May is still 4 May in UTC: "yesterday" is 4 May.
    visit(at(2026, 5, 4, 12))
    with time_machine.travel(at(2026, 5, 5, 0, 30), tick=False):
        call_command("rollup_visits", stdout=io.StringIO())
    assert DailyPageViews.objects.get().day == datetime.date(2026, 5, 4)


def test_rollup_rejects_a_malformed_date():
    with pytest.raises(CommandError):
        call_command("rollup_visits", date="4/5/2026", stdout=io.StringIO())


def test_purge_deletes_only_visits_older_than_the_retention(settings):
    settings.VISIT_RETENTION_DAYS = 395
    now = at(2026, 11, 26, 12)
    cutoff = now - datetime.timedelta(days=395)
    kept_at_boundary = visit(cutoff)
    kept = visit(now - datetime.timedelta(days=1))
    visit(cutoff - datetime.timedelta(microseconds=1))
    visit(cutoff - datetime.timedelta(days=30))
    DailyPageViews.objects.create(
        day=datetime.date(2025, 10, 1),
        host="www.centiro.se",
        path="/",
        views=2,
        views_with_id=0,
        distinct_ids=0,
    )
    out = io.StringIO()
    with time_machine.travel(now, tick=False):
        call_command("purge_visits", batch_size=1, stdout=out)

    assert set(Visit.objects.values_list("id", flat=True)) == {kept_at_boundary.id, kept.id}
    assert DailyPageViews.objects.count() == 1
    output = out.getvalue()
    assert "1 deleted" in output
    assert "2 deleted" in output
    assert "Done: 2" in output


def test_purge_twice_deletes_nothing_more(settings):
    now = at(2026, 11, 26, 12)
    visit(now - datetime.timedelta(days=settings.VISIT_RETENTION_DAYS + 1))
    with time_machine.travel(now, tick=False):
        call_command("purge_visits", stdout=io.StringIO())
        out = io.StringIO()
        call_command("purge_visits", stdout=out)
    assert "Done: 0" in out.getvalue()
    assert not Visit.objects.exists()
