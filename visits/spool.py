"""The visit spool: page views appended to local files, drained into the database in batches.

A request appends one line (a JSON array of the Visit's fields) with a single `write()` to its
process's segment of the hour: no database round trip, no commit. Each process writes files of
its own, named by node, hour and a random token, so writers never share a file and an offset is
never applied to another file of the same name (a wiped or moved spool directory).
`manage.py drain_visits` reads each segment from the offset stored in `SpoolOffset`, inserts the
complete lines and moves the offset in the same transaction, so every line is counted exactly
once, whenever the drainer is killed. A segment whose hour ended more than `SEAL_AFTER` ago is
deleted once drained. README, "Visit statistics", says what a crash of each component can lose.
"""

import datetime
import json
import logging
import os
import secrets
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from visits import erasure
from visits.models import SpoolOffset, Visit

logger = logging.getLogger(__name__)

SUFFIX = ".visits"
# Longer than any request may take (gunicorn's timeout is 30 s), so no worker still writes to a
# segment that is deleted.
SEAL_AFTER = datetime.timedelta(minutes=5)
FIELDS = (
    "time",
    "host",
    "path",
    "referrer_host",
    "browser",
    "os",
    "device",
    "language",
    "visitor_id",
    "network",
)


@dataclass(slots=True)
class PageView:
    """A page view on its way to the spool: Visit's fields (FIELDS) without the cost of a model
    instance, which was 3 % of a page cache hit."""

    time: datetime.datetime
    host: str
    path: str
    referrer_host: str
    browser: str
    os: str
    device: int
    language: str
    visitor_id: uuid.UUID | None = None
    network: str | None = None


def _hour(time):
    return f"{time.astimezone(datetime.UTC):%Y%m%d%H}"


def _name_parts(name):
    """(node, hour, token) of a segment's file name."""
    return name.removesuffix(SUFFIX).rsplit("-", 2)


def _segment_hour(path):
    stamp = _name_parts(path.name)[1]
    return datetime.datetime.strptime(stamp, "%Y%m%d%H").replace(tzinfo=datetime.UTC)


class _Writer:
    """This process's open segment, replaced when the hour, the directory or the process changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._opened_for = None
        self._fd = None

    def append(self, directory, hour, line):
        with self._lock:
            opened_for = (directory, hour, os.getpid())
            if opened_for != self._opened_for:
                if self._fd is not None:
                    os.close(self._fd)
                    self._fd = None
                directory.mkdir(parents=True, exist_ok=True)
                name = f"{settings.VISIT_SPOOL_NODE}-{hour}-{secrets.token_hex(6)}{SUFFIX}"
                flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL
                self._fd = os.open(directory / name, flags, 0o640)
                self._opened_for = opened_for
            os.write(self._fd, line)


_writer = _Writer()


def append(visit):
    """Spool one visit (a PageView or a Visit). Raises OSError when the line cannot be written."""
    values = [
        visit.time.isoformat(),
        visit.host,
        visit.path,
        visit.referrer_host,
        visit.browser,
        visit.os,
        int(visit.device),
        visit.language,
        visit.visitor_id.hex if visit.visitor_id else None,
        visit.network,
    ]
    line = (json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    _writer.append(Path(settings.VISIT_SPOOL_DIR), _hour(visit.time), line)


def _parse(line):
    values = dict(zip(FIELDS, json.loads(line), strict=True))
    values["time"] = datetime.datetime.fromisoformat(values["time"])
    if values["visitor_id"] is not None:
        values["visitor_id"] = uuid.UUID(hex=values["visitor_id"])
    return Visit(**values)


def _insert(visits):
    if connection.vendor != "postgresql":
        Visit.objects.bulk_create(visits)
        return
    columns = ", ".join(connection.ops.quote_name(field) for field in FIELDS)
    table = connection.ops.quote_name(Visit._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for visit in visits:
            copy.write_row([getattr(visit, field) for field in FIELDS])


def _read_lines(path, offset, batch_size):
    """Up to batch_size complete lines from offset, and the offset after them."""
    lines = []
    with path.open("rb") as spool:
        spool.seek(offset)
        while len(lines) < batch_size:
            line = spool.readline()
            if not line.endswith(b"\n"):
                # Nothing more, or a line still being written: read it next time.
                break
            lines.append(line)
            offset += len(line)
    return lines, offset


def _store_offset(position, offset):
    position.offset = offset
    position.save(update_fields=["offset"])


@dataclass
class Batch:
    segment: str
    drained: int
    skipped: int
    offset: int
    erased: int = 0


def drain_segment(path, *, batch_size):
    """Drain one segment batch by batch, yielding each committed Batch."""
    while True:
        with transaction.atomic():
            erasure.hold_off()
            position, _created = SpoolOffset.objects.select_for_update().get_or_create(
                segment=path.name
            )
            try:
                lines, offset = _read_lines(path, position.offset, batch_size)
            except FileNotFoundError:
                # Another drainer removed it after draining it.
                return
            if not lines:
                return
            screen = erasure.Screen()
            visits, skipped, erased = [], 0, 0
            for line in lines:
                try:
                    visit = screen.admit(_parse(line))
                except (ValueError, TypeError):
                    # A torn line (a disk that filled up mid-write): never retried, but counted.
                    logger.error("Skipped an unreadable spooled visit in %s", path.name)
                    skipped += 1
                    continue
                if visit is None:
                    erased += 1
                else:
                    visits.append(visit)
            _insert(visits)
            _store_offset(position, offset)
        yield Batch(path.name, len(visits), skipped, offset, erased)


def _sealed(path, now):
    return _segment_hour(path) + datetime.timedelta(hours=1) + SEAL_AFTER <= now


@transaction.atomic
def _remove_if_drained(path):
    position = SpoolOffset.objects.select_for_update().filter(segment=path.name).first()
    if position is None or not path.exists() or position.offset < path.stat().st_size:
        return False
    # The file first: if the row outlives it (a crash before the commit), the next run
    # forgets the row; the other order would drain the file again from the start.
    path.unlink()
    position.delete()
    return True


def _own(name):
    return _name_parts(name)[0] == settings.VISIT_SPOOL_NODE


def segments():
    directory = Path(settings.VISIT_SPOOL_DIR)
    return sorted(
        path for path in directory.glob(f"{settings.VISIT_SPOOL_NODE}-*{SUFFIX}") if _own(path.name)
    )


def drain(*, batch_size=10_000, progress=lambda message: None):
    """Drain this node's spool into Visit; returns the number of visits inserted."""
    now = timezone.now()
    total = 0
    for path in segments():
        for batch in drain_segment(path, batch_size=batch_size):
            total += batch.drained
            skipped = f", {batch.skipped} unreadable lines skipped" if batch.skipped else ""
            erased = f", {batch.erased} erased by their visitor" if batch.erased else ""
            progress(
                f"  {batch.segment}: {batch.drained} visits, offset {batch.offset}{skipped}{erased}"
            )
        if _sealed(path, now) and _remove_if_drained(path):
            progress(f"  {path.name}: drained and removed")
    _forget_removed_segments()
    erasure.purge()
    return total


def _forget_removed_segments():
    present = {path.name for path in segments()}
    node = SpoolOffset.objects.filter(segment__startswith=f"{settings.VISIT_SPOOL_NODE}-")
    gone = [
        position.pk
        for position in node
        if _own(position.segment) and position.segment not in present
    ]
    SpoolOffset.objects.filter(pk__in=gone).delete()


def waiting():
    """Whether this node's spool holds lines not yet drained (a stat per segment, no reading)."""
    offsets = dict(SpoolOffset.objects.values_list("segment", "offset"))
    for path in segments():
        try:
            if path.stat().st_size > offsets.get(path.name, 0):
                return True
        except FileNotFoundError:
            continue
    return False


def undrained(visitor_id, *, limit=8 * 1024 * 1024):
    """This node's spooled visits of `visitor_id` not yet drained, and whether all were read.

    Reads at most `limit` bytes past the drained offsets; only lines holding the id are parsed.
    Other nodes' spools are not readable from here.
    """
    needle = visitor_id.hex.encode()
    offsets = dict(SpoolOffset.objects.values_list("segment", "offset"))
    found, budget = [], limit
    for path in segments():
        try:
            with path.open("rb") as segment:
                segment.seek(offsets.get(path.name, 0))
                chunk = segment.read(budget + 1)
        except FileNotFoundError:
            continue
        truncated = len(chunk) > budget
        chunk = chunk[:budget]
        budget -= len(chunk)
        for line in chunk.split(b"\n"):
            if needle not in line:
                continue
            try:
                visit = _parse(line)
            except (ValueError, TypeError):
                # A line still being written, or cut by the limit.
                continue
            if visit.visitor_id == visitor_id:
                found.append(visit)
        if truncated:
            return found, False
    return found, True
