"""Erasing a visitor's visits at their request ("Radera mina besök"), on every node.

`erase()` deletes the raw visits, today's per-visitor rows and account links of an id, and
records a `VisitErasure`: a keyed hash of the id (HMAC with the site's secret key, so the table
never holds an id and a reader without the key cannot test one). Every drainer, on every node,
drops a spooled visit whose id hashes to a pending erasure (`Screen`), so a visit spooled
before the erasure is never inserted after it. An erasure is kept for `KEEP`; a spooled line
older than that loses its id when drained (counted, like a visit without consent), so no
drainer needs an older erasure and `purge()` deletes it. What lasts is `DailyErasures`: a count
per day, without any id.

Drainers and rollup increments take `hold_off()` in their transaction and an erasure takes the
opposite lock first, so neither runs half before and half after the other: a batch committed
before the erasure is deleted by it, a batch after it reads the erasure.
"""

import datetime
import hmac
from hashlib import sha256

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from visits.models import (
    DailyErasures,
    RollupMark,
    SeenPage,
    Visit,
    VisitErasure,
    VisitorLink,
)

# Drains run every minute; a node whose drainer is down for longer loses the ids of its older
# spooled visits (their views still count), which is what lets an erasure go after this long.
KEEP = datetime.timedelta(days=2)
_SALT = b"visits.erasure"


def _keys():
    # Fallbacks too, so that rotating the secret key leaves pending erasures honoured.
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def digest(visitor_id, key=None):
    secret = sha256(_SALT + (key or settings.SECRET_KEY).encode()).digest()
    return hmac.new(secret, visitor_id.bytes, sha256).hexdigest()


def _lock(mode):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(VisitErasure._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN {mode} MODE")


def hold_off():
    """Inside a transaction that inserts visits or counts them: wait for a running erasure, and
    make a starting one wait for this transaction. SQLite runs one writing transaction at a time
    (BEGIN IMMEDIATE, see settings), which already orders them."""
    _lock("SHARE")


class Screen:
    """What a drainer may insert: no visit of an erased id, no id on a visit older than KEEP."""

    def __init__(self, now=None):
        now = now or timezone.now()
        self.oldest_with_id = now - KEEP
        self.digests = set(VisitErasure.objects.values_list("digest", flat=True))
        self.keys = _keys()

    def erased(self, visitor_id):
        return bool(self.digests) and any(
            digest(visitor_id, key) in self.digests for key in self.keys
        )

    def admit(self, visit):
        """The visit as it may be inserted, or None when its visitor erased it."""
        if visit.visitor_id is None:
            return visit
        if self.erased(visit.visitor_id):
            return None
        if visit.time < self.oldest_with_id:
            visit.visitor_id = visit.network = None
        return visit


@transaction.atomic
def erase(visitor_id):
    """Erase everything stored under `visitor_id`; returns the number of raw visits deleted.

    The daily tables stay as they are: they hold counts, not ids. The days whose counts already
    include some of the deleted visits are marked, so that rolling them up again continues from
    their counts instead of recounting the raw rows (which would subtract the erased views).
    """
    # First: waits for the drainers and increments running now, holds off those that start.
    _lock("ROW EXCLUSIVE")
    now = timezone.now()
    VisitErasure.objects.update_or_create(digest=digest(visitor_id), defaults={"erased_at": now})
    visits = Visit.objects.filter(visitor_id=visitor_id).order_by()
    counted_days = set()
    marks = dict(RollupMark.objects.values_list("day", "visit_id"))
    for pk, time in visits.values_list("id", "time"):
        day = timezone.localdate(time)
        if pk <= marks.get(day, 0):
            counted_days.add(day)
    RollupMark.objects.filter(day__in=counted_days).update(erased=True)
    deleted, _ = visits.delete()
    SeenPage.objects.filter(visitor_id=visitor_id).delete()
    VisitorLink.objects.filter(visitor_id=visitor_id).delete()
    today = timezone.localdate(now)
    DailyErasures.objects.get_or_create(day=today, defaults={"erasures": 0})
    DailyErasures.objects.filter(day=today).update(erasures=F("erasures") + 1)
    return deleted


def purge(now=None):
    """Delete erasures no drainer needs any more (older than KEEP); returns how many."""
    now = now or timezone.now()
    deleted, _ = VisitErasure.objects.filter(erased_at__lt=now - KEEP).delete()
    return deleted
