"""The daily tables: rollup of one Stockholm day, and the purge of old raw visits."""

import datetime
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from consent.cookies import STATISTICS
from consent.models import ConsentRecord
from visits.models import (
    DailyConsent,
    DailyDimension,
    DailyPageViews,
    DailyVisitors,
    Device,
    Dimension,
    Visit,
)
from visits.sketch import Sketch

# The dimension tables and the Visit column each is counted from.
DIMENSION_FIELDS = {
    Dimension.BROWSER: "browser",
    Dimension.OS: "os",
    Dimension.DEVICE: "device",
    Dimension.REFERRER: "referrer_host",
    Dimension.LANGUAGE: "language",
}


def day_bounds(day):
    """Start and end (exclusive) of a Stockholm day in UTC: 23, 24 or 25 hours apart.

    In UTC, so subtracting them gives the elapsed time (Python subtracts two
    datetimes of the same zone by wall clock).
    """
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    next_day = day + datetime.timedelta(days=1)
    return tuple(
        datetime.datetime.combine(d, datetime.time.min, tzinfo=zone).astimezone(datetime.UTC)
        for d in (day, next_day)
    )


def visits_on(day):
    start, end = day_bounds(day)
    return Visit.objects.filter(time__gte=start, time__lt=end).order_by()


def consent_on(day):
    start, end = day_bounds(day)
    return ConsentRecord.objects.filter(created_at__gte=start, created_at__lt=end).order_by()


def dimension_value(dimension, raw):
    if dimension == Dimension.DEVICE:
        return Device(raw).slug
    return raw


def visitors_of(visits):
    """The sketch of the visitor ids in `visits` and each visitor's first (host, path).

    One ordered pass over the day's consented views; the first view of each
    visitor that day is its entry page.
    """
    sketch = Sketch()
    entries = {}
    rows = (
        visits.filter(visitor_id__isnull=False)
        .order_by("time", "id")
        .values_list("visitor_id", "host", "path")
    )
    for visitor_id, host, path in rows.iterator(chunk_size=5000):
        if visitor_id not in entries:
            entries[visitor_id] = (host, path)
            sketch.add(visitor_id)
    return sketch, Counter(entries.values())


def consent_counts(records):
    """{(action, gpc, statistics, language): choices} for a queryset of ConsentRecord."""
    counts = Counter()
    rows = records.values_list("action", "gpc", "categories", "language")
    for action, gpc, categories, language in rows.iterator(chunk_size=5000):
        counts[(action, gpc, STATISTICS in categories, language)] += 1
    return counts


@transaction.atomic
def rollup_day(day):
    """Recompute the daily tables for one Stockholm day; returns the day's views.

    Running it again replaces the day's rows, so it is idempotent and can be
    rerun for any day still in the raw table.
    """
    for model in (DailyPageViews, DailyDimension, DailyVisitors, DailyConsent):
        model.objects.filter(day=day).delete()
    visits = visits_on(day)
    sketch, entries = visitors_of(visits)
    pages = visits.values("host", "path").annotate(
        views=Count("id"),
        views_with_id=Count("visitor_id"),
        distinct_ids=Count("visitor_id", distinct=True),
    )
    DailyPageViews.objects.bulk_create(
        (
            DailyPageViews(day=day, entries=entries[(row["host"], row["path"])], **row)
            for row in pages.iterator()
        ),
        batch_size=1000,
    )
    for dimension, column in DIMENSION_FIELDS.items():
        rows = visits.values(column).annotate(views=Count("id"), views_with_id=Count("visitor_id"))
        DailyDimension.objects.bulk_create(
            (
                DailyDimension(
                    day=day,
                    dimension=dimension,
                    value=dimension_value(dimension, row[column]),
                    views=row["views"],
                    views_with_id=row["views_with_id"],
                )
                for row in rows.iterator()
            ),
            batch_size=1000,
        )
    DailyVisitors.objects.create(
        day=day, sketch=sketch.to_bytes(), distinct_ids=sum(entries.values())
    )
    DailyConsent.objects.bulk_create(
        DailyConsent(
            day=day, action=action, gpc=gpc, statistics=statistics, language=language, choices=n
        )
        for (action, gpc, statistics, language), n in consent_counts(consent_on(day)).items()
    )
    return DailyPageViews.objects.filter(day=day).aggregate(views=Sum("views"))["views"] or 0


def purge_old_visits(retention_days, batch_size=10_000, progress=None):
    """Delete raw visits older than `retention_days`, a batch at a time.

    Small batches keep each transaction and its locks short on a live table.
    Returns the number deleted; `progress(deleted_so_far)` is called per batch.
    The daily tables stay: they hold no visitor ids.
    """
    cutoff = timezone.now() - datetime.timedelta(days=retention_days)
    deleted = 0
    while True:
        old = Visit.objects.filter(time__lt=cutoff).order_by()
        ids = list(old.values_list("id", flat=True)[:batch_size])
        if not ids:
            return deleted
        count, _ = Visit.objects.filter(id__in=ids).delete()
        deleted += count
        if progress:
            progress(deleted)
