"""When a drained segment may go, and what the writer keeps open: the spool's edges."""

import datetime
import os
import re
import stat

import pytest
import time_machine

from visits import spool
from visits.models import SpoolOffset, Visit
from visits.tests.test_spool import drain, spooled

pytestmark = pytest.mark.django_db

HOUR = datetime.datetime(2026, 12, 2, 14, tzinfo=datetime.UTC)
SEALED_AT = HOUR + datetime.timedelta(hours=1) + spool.SEAL_AFTER


def test_a_drain_late_in_the_hour_keeps_the_segment_and_a_later_visit_is_counted():
    """The hour's writer still appends to its open file: removing it would lose what follows."""
    late = HOUR + datetime.timedelta(minutes=58)
    with time_machine.travel(late, tick=False):
        spooled(1, time=late)
        output = drain()
        spooled(1, time=late + datetime.timedelta(seconds=30))
        drain()

    assert "removed" not in output
    assert len(spool.segments()) == 1
    assert Visit.objects.count() == 2


def test_a_segment_stays_through_its_grace_period_for_requests_still_running():
    with time_machine.travel(HOUR + datetime.timedelta(minutes=30), tick=False):
        spooled(1, time=HOUR + datetime.timedelta(minutes=30))
    # A request that began in the hour answers after it ended: its visit goes to the hour's file.
    just_before = SEALED_AT - datetime.timedelta(seconds=1)
    with time_machine.travel(just_before, tick=False):
        drain()
        spooled(1, time=HOUR + datetime.timedelta(minutes=59, seconds=59))
        assert len(spool.segments()) == 1

    with time_machine.travel(SEALED_AT, tick=False):
        output = drain()

    assert "drained and removed" in output
    assert spool.segments() == []
    assert not SpoolOffset.objects.exists()
    assert Visit.objects.count() == 2


def test_a_sealed_segment_with_a_torn_last_line_is_kept_with_its_bytes():
    """Only a segment drained to its last byte is removed: a torn tail (a disk that filled up
    mid-write) stays on disk to be looked at, and its complete lines are counted once."""
    with time_machine.travel(HOUR, tick=False):
        spooled(2, time=HOUR)
    [segment] = spool.segments()
    with segment.open("ab") as file:
        file.write(b'["2026-12-02T14:59:59+00:00","www.centi')

    with time_machine.travel(SEALED_AT, tick=False):
        first = drain()
        second = drain()

    assert "removed" not in first + second
    assert segment.exists()
    assert Visit.objects.count() == 2


def test_a_segment_another_drainer_already_removed_is_forgotten_without_an_error(monkeypatch):
    """Another drainer removed the file and died before deleting its offset row."""
    with time_machine.travel(HOUR, tick=False):
        spooled(2, time=HOUR)
    remove_if_drained = spool._remove_if_drained

    def removed_by_another_drainer_first(path):
        path.unlink()
        return remove_if_drained(path)

    monkeypatch.setattr(spool, "_remove_if_drained", removed_by_another_drainer_first)

    with time_machine.travel(SEALED_AT, tick=False):
        output = drain()

    assert "Done: 2 visits inserted." in output
    assert "drained and removed" not in output
    assert not SpoolOffset.objects.exists()


def open_files():
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd (Linux)")
def test_the_writer_keeps_one_file_open_however_many_hours_it_writes():
    spooled(1, time=HOUR)  # this process's writer opens its first file
    before = open_files()

    for hours in range(1, 25):
        spooled(1, time=HOUR + datetime.timedelta(hours=hours))

    assert open_files() == before
    assert len(spool.segments()) == 25


def test_a_segment_is_readable_by_no_one_but_the_site_and_its_group():
    """It holds visitor ids and networks."""
    spooled(1, time=HOUR)
    [segment] = spool.segments()
    assert stat.S_IMODE(segment.stat().st_mode) & 0o007 == 0


def test_a_fresh_node_creates_its_spool_directory_parents_included(settings, tmp_path):
    settings.VISIT_SPOOL_DIR = tmp_path / "var" / "spool" / "visits"
    with time_machine.travel(HOUR, tick=False):
        spooled(1, time=HOUR)
        drain()
    assert Visit.objects.count() == 1


def test_a_line_with_a_field_missing_is_skipped_and_reported_never_inserted():
    """Say a line of a release with another field list: no field may land in the wrong column."""
    with time_machine.travel(HOUR, tick=False):
        spooled(1, time=HOUR)
        [segment] = spool.segments()
        with segment.open("ab") as file:
            file.write(b'["2026-12-02T14:00:00+00:00","www.centiro.se","/","","Firefox"]\n')
        output = drain()

    assert Visit.objects.count() == 1
    assert "1 unreadable lines skipped" in output


def test_the_drain_logs_each_segment_with_its_visits_offset_and_skipped_lines():
    """The cron log is the operator's record of what was counted and where each file stands."""
    with time_machine.travel(HOUR, tick=False):
        spooled(2, time=HOUR)
        [segment] = spool.segments()
        with segment.open("ab") as file:
            file.write(b'["torn\n')
    size = segment.stat().st_size

    with time_machine.travel(SEALED_AT, tick=False):
        output = drain()

    assert f"  {segment.name}: 2 visits, offset {size}, 1 unreadable lines skipped\n" in output
    assert f"  {segment.name}: drained and removed\n" in output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_drain_run_as_cron_runs_it_removes_a_sealed_segment_under_its_row_lock():
    """Outside any test transaction, as `manage.py drain_visits` runs: on PostgreSQL the removal
    holds the offset row's lock in a transaction of its own, so two drainers never race it."""
    with time_machine.travel(HOUR, tick=False):
        spooled(2, time=HOUR)

    with time_machine.travel(SEALED_AT, tick=False):
        output = drain()

    assert "drained and removed" in output
    assert spool.segments() == []
    assert Visit.objects.count() == 2


def test_the_spools_lines_counted_as_the_runbook_says_equal_the_visits_a_drain_inserts(settings):
    """docs/operations.md: `cat spool/*.visits | wc -l` before a drain; docs/architecture.md:
    each segment is `<node>-<YYYYMMDDHH UTC>-<random>.visits`."""
    settings.VISIT_SPOOL_NODE = "web-1"
    with time_machine.travel(HOUR + datetime.timedelta(hours=1), tick=False):
        spooled(2, time=HOUR)
        spooled(1, time=HOUR + datetime.timedelta(hours=1))
        files = sorted(settings.VISIT_SPOOL_DIR.glob("*.visits"))
        lines = sum(len(path.read_bytes().splitlines()) for path in files)
        drain()

    assert [re.fullmatch(r"web-1-(\d{10})-[0-9a-f]+\.visits", p.name)[1] for p in files] == [
        "2026120214",
        "2026120215",
    ]
    assert Visit.objects.count() == lines == 3
