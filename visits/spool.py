"""The visit spool: page views appended to a local file, drained into the database in batches.

A request appends one line (a JSON array of the Visit's fields) to this node's segment of the
hour with a single `write()` on an `O_APPEND` descriptor: no database round trip, no commit, and
concurrent workers never interleave within a line. `manage.py drain_visits` reads each segment
from the offset stored in `SpoolOffset`, inserts the complete lines and moves the offset in the
same transaction, so every line is counted exactly once, whenever the drainer is killed. A
segment whose hour ended more than `SEAL_AFTER` ago is deleted once drained. README, "Visit
statistics", says what a crash of each component can lose.
"""

import datetime
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

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


def segment_name(time):
    return f"{settings.VISIT_SPOOL_NODE}-{time.astimezone(datetime.UTC):%Y%m%d%H}{SUFFIX}"


def _segment_hour(path):
    stamp = path.name.removesuffix(SUFFIX).rsplit("-", 1)[1]
    return datetime.datetime.strptime(stamp, "%Y%m%d%H").replace(tzinfo=datetime.UTC)


class _Writer:
    """One open descriptor per process, reopened when the hour (or the directory) changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._path = None
        self._fd = None

    def append(self, path, line):
        with self._lock:
            if path != self._path:
                if self._fd is not None:
                    os.close(self._fd)
                    self._fd = None
                path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
                self._path = path
            os.write(self._fd, line)


_writer = _Writer()


def append(visit):
    """Spool one visit. Raises OSError when the line cannot be written."""
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
    _writer.append(Path(settings.VISIT_SPOOL_DIR) / segment_name(visit.time), line)


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


def drain_segment(path, *, batch_size):
    """Drain one segment batch by batch, yielding each committed Batch."""
    while True:
        with transaction.atomic():
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
            visits, skipped = [], 0
            for line in lines:
                try:
                    visits.append(_parse(line))
                except (ValueError, TypeError):
                    # A torn line (a disk that filled up mid-write): never retried, but counted.
                    logger.error("Skipped an unreadable spooled visit in %s", path.name)
                    skipped += 1
            _insert(visits)
            _store_offset(position, offset)
        yield Batch(path.name, len(visits), skipped, offset)


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
    return name.removesuffix(SUFFIX).rsplit("-", 1)[0] == settings.VISIT_SPOOL_NODE


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
            progress(f"  {batch.segment}: {batch.drained} visits, offset {batch.offset}{skipped}")
        if _sealed(path, now) and _remove_if_drained(path):
            progress(f"  {path.name}: drained and removed")
    _forget_removed_segments()
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
