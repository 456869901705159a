"""The visit spool and its drainer: every spooled visit is inserted exactly once."""

import datetime
import io
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from visits import spool
from visits.models import Device, SpoolOffset, Visit
from visits.tests.factories import recorded_visits

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
NOW = datetime.datetime(2026, 12, 2, 14, 30, tzinfo=datetime.UTC)


def spooled(count, *, time=NOW, **fields):
    """Append `count` visits to the spool, each with its own path."""
    for number in range(count):
        spool.append(
            Visit(
                time=time,
                host="www.centiro.se",
                path=f"/sida-{number}/",
                referrer_host="",
                browser="Firefox",
                os="Linux",
                device=Device.MOBILE,
                language="sv",
                **fields,
            )
        )


def drain(**options):
    output = io.StringIO()
    call_command("drain_visits", stdout=output, **options)
    return output.getvalue()


class Killed(Exception):
    """A drainer that dies after its INSERT and before its commit."""


def kill_at_batch(monkeypatch, number):
    stored = []
    store = spool._store_offset

    def store_then_die(position, offset):
        stored.append(offset)
        if len(stored) == number:
            raise Killed
        store(position, offset)

    monkeypatch.setattr(spool, "_store_offset", store_then_die)


@time_machine.travel(NOW, tick=False)
def test_a_drain_inserts_every_spooled_visit_with_all_its_fields():
    visitor_id = uuid.uuid4()
    spooled(1, visitor_id=visitor_id, network="192.0.2.0")
    spooled(1)

    output = drain()

    assert "Done: 2 visits inserted." in output
    with_id = Visit.objects.get(visitor_id__isnull=False)
    without = Visit.objects.get(visitor_id__isnull=True)
    assert (with_id.time, with_id.host, with_id.path) == (NOW, "www.centiro.se", "/sida-0/")
    assert (with_id.browser, with_id.os, with_id.device) == ("Firefox", "Linux", Device.MOBILE)
    assert (with_id.visitor_id, with_id.network) == (visitor_id, "192.0.2.0")
    assert (without.visitor_id, without.network) == (None, None)


@time_machine.travel(NOW, tick=False)
def test_draining_again_inserts_nothing_twice():
    spooled(3)
    drain()
    spooled(2)

    drain()
    output = drain()

    assert Visit.objects.count() == 5
    assert "Done: 0 visits inserted." in output


@time_machine.travel(NOW, tick=False)
def test_a_drainer_killed_after_its_insert_loses_nothing_and_counts_nothing_twice(
    monkeypatch,
):
    spooled(5)
    kill_at_batch(monkeypatch, 2)

    with pytest.raises(Killed):
        drain(batch_size=2)

    # The first batch was committed with its offset; the second rolled back with its rows.
    assert Visit.objects.count() == 2
    monkeypatch.undo()
    drain(batch_size=2)
    assert sorted(Visit.objects.values_list("path", flat=True)) == [
        f"/sida-{number}/" for number in range(5)
    ]


@time_machine.travel(NOW, tick=False)
def test_a_line_still_being_written_waits_for_the_next_drain():
    spooled(1)
    [segment] = spool.segments()
    complete = segment.read_bytes()
    segment.write_bytes(complete + complete[:20])

    drain()
    assert Visit.objects.count() == 1

    segment.write_bytes(complete * 2)
    drain()
    assert Visit.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_an_unreadable_line_is_skipped_and_reported():
    spooled(1)
    [segment] = spool.segments()
    with segment.open("ab") as file:
        file.write(b'["torn\n')
    spooled(1)

    output = drain()

    assert Visit.objects.count() == 2
    assert "1 unreadable lines skipped" in output


def test_a_drained_segment_is_removed_once_its_hour_is_over():
    with time_machine.travel(NOW, tick=False):
        spooled(2)
        drain()
        assert len(spool.segments()) == 1
    later = NOW + datetime.timedelta(minutes=40)
    with time_machine.travel(later, tick=False):
        spooled(1, time=later)
        output = drain()
    assert "drained and removed" in output
    [current] = spool.segments()
    assert spool._segment_hour(current) == later.replace(minute=0)
    assert list(SpoolOffset.objects.values_list("segment", flat=True)) == [current.name]
    assert Visit.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_an_offset_never_applies_to_a_new_file_in_the_same_hour(settings, tmp_path):
    spooled(3)
    drain()
    # The spool directory replaced (a new disk, a changed VISIT_SPOOL_DIR) within the hour.
    settings.VISIT_SPOOL_DIR = tmp_path / "new-spool"
    spooled(2)

    drain()

    assert Visit.objects.count() == 5


@time_machine.travel(NOW, tick=False)
def test_another_nodes_segments_are_left_alone(settings):
    settings.VISIT_SPOOL_NODE = "web-2"
    spooled(2)
    settings.VISIT_SPOOL_NODE = "web"

    drain()

    assert Visit.objects.count() == 0
    assert len(list(settings.VISIT_SPOOL_DIR.iterdir())) == 1


def test_a_page_view_is_spooled_and_counted_once_drained(client):
    client.get(reverse("home"), HTTP_USER_AGENT=FIREFOX)

    assert Visit.objects.count() == 0
    assert recorded_visits().get().path == reverse("home")
