"""Rollup, purge, statistics and personal-data functions of the visits app."""

import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from visits.models import DailyDimension, DailyPageViews, Device, Dimension, Visit, VisitorLink

DEVICE_SLUGS = {Device.DESKTOP: "desktop", Device.MOBILE: "mobile", Device.TABLET: "tablet"}

# The dimension tables and the Visit column each is counted from.
DIMENSION_FIELDS = {
    Dimension.BROWSER: "browser",
    Dimension.OS: "os",
    Dimension.DEVICE: "device",
    Dimension.REFERRER: "referrer_host",
    Dimension.LANGUAGE: "language",
}


def local_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def day_bounds(day):
    """Start and end (exclusive) of a Stockholm day in UTC: 23, 24 or 25 hours apart.

    In UTC, so subtracting them gives the elapsed time (Python subtracts two
    datetimes of the same zone by wall clock).
    """
    zone = local_zone()
    next_day = day + datetime.timedelta(days=1)
    return tuple(
        datetime.datetime.combine(d, datetime.time.min, tzinfo=zone).astimezone(datetime.UTC)
        for d in (day, next_day)
    )


def visits_on(day):
    start, end = day_bounds(day)
    return Visit.objects.filter(time__gte=start, time__lt=end)


@transaction.atomic
def rollup_day(day):
    """Recompute the daily tables for one Stockholm day; returns the day's views.

    Running it again replaces the day's rows, so it is idempotent and can be
    rerun for any day still in the raw table.
    """
    DailyPageViews.objects.filter(day=day).delete()
    DailyDimension.objects.filter(day=day).delete()
    visits = visits_on(day).order_by()
    pages = visits.values("host", "path").annotate(
        views=Count("id"),
        views_with_id=Count("visitor_id"),
        distinct_ids=Count("visitor_id", distinct=True),
    )
    DailyPageViews.objects.bulk_create(
        (DailyPageViews(day=day, **row) for row in pages.iterator()), batch_size=1000
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
    return DailyPageViews.objects.filter(day=day).aggregate(views=Sum("views"))["views"] or 0


def dimension_value(dimension, raw):
    if dimension == Dimension.DEVICE:
        return DEVICE_SLUGS[Device(raw)]
    return raw


def purge_old_visits(retention_days, batch_size=10_000, progress=None):
    """Delete raw visits older than `retention_days`, a batch at a time.

    Small batches keep each transaction and its locks short on a live table.
    Returns the number deleted; `progress(deleted_so_far)` is called per batch.
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


def local_today():
    return timezone.localdate(timezone=local_zone())


@dataclass
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        length = datetime.timedelta(days=self.days)
        return Period(self.start - length, self.end - length)

    def dates(self):
        return [self.start + datetime.timedelta(days=n) for n in range(self.days)]


@dataclass
class Statistics:
    period: Period
    views_per_day: list  # [(date, views)] for every day of the period
    previous_views_per_day: list  # the same for the previous period
    views: int
    views_with_id: int
    previous_views: int
    top: dict = field(default_factory=dict)  # name -> [(label, views)]

    @property
    def consent_share(self):
        return self.views_with_id / self.views if self.views else 0

    @property
    def change(self):
        """Relative change against the previous period, or None without a base."""
        if not self.previous_views:
            return None
        return (self.views - self.previous_views) / self.previous_views


TOP_SIZE = 10


def statistics(period, today=None):
    """The statistics page's numbers: daily tables, plus today's raw rows only."""
    today = today or local_today()
    per_day, with_id = _views_per_day(period, today)
    previous = period.previous()
    previous_per_day, _ = _views_per_day(previous, today)
    # Today always comes from the raw rows, even if someone rolled it up early.
    in_period = {"day__gte": period.start, "day__lte": period.end}
    daily = DailyPageViews.objects.filter(**in_period).exclude(day=today).order_by()
    dimensions = DailyDimension.objects.filter(**in_period).exclude(day=today).order_by()
    raw_today = _raw_today(period, today)

    top = {}
    pages = Counter(
        {
            (row["host"], row["path"]): row["views"]
            for row in daily.values("host", "path").annotate(views=Sum("views"))
        }
    )
    hosts = Counter(
        {row["host"]: row["views"] for row in daily.values("host").annotate(views=Sum("views"))}
    )
    if raw_today is not None:
        for row in raw_today.values("host", "path").annotate(views=Count("id")):
            pages[(row["host"], row["path"])] += row["views"]
            hosts[row["host"]] += row["views"]
    top["pages"] = [(f"{host}{path}", views) for (host, path), views in pages.most_common(TOP_SIZE)]
    top["hosts"] = hosts.most_common(TOP_SIZE)
    for dimension, column in DIMENSION_FIELDS.items():
        counts = Counter(
            {
                row["value"]: row["views"]
                for row in dimensions.filter(dimension=dimension)
                .values("value")
                .annotate(views=Sum("views"))
            }
        )
        if raw_today is not None:
            for row in raw_today.values(column).annotate(views=Count("id")):
                counts[dimension_value(dimension, row[column])] += row["views"]
        top[column] = counts.most_common(TOP_SIZE)

    return Statistics(
        period=period,
        views_per_day=per_day,
        previous_views_per_day=previous_per_day,
        views=sum(views for _, views in per_day),
        views_with_id=with_id,
        previous_views=sum(views for _, views in previous_per_day),
        top=top,
    )


def _raw_today(period, today):
    if period.start <= today <= period.end:
        return visits_on(today).order_by()
    return None


def _views_per_day(period, today):
    rows = (
        DailyPageViews.objects.filter(day__gte=period.start, day__lte=min(period.end, today))
        .exclude(day=today)
        .order_by()
        .values("day")
        .annotate(views=Sum("views"), views_with_id=Sum("views_with_id"))
    )
    views = {row["day"]: row["views"] for row in rows}
    with_id = sum(row["views_with_id"] for row in rows)
    raw_today = _raw_today(period, today)
    if raw_today is not None:
        counts = raw_today.aggregate(views=Count("id"), views_with_id=Count("visitor_id"))
        views[today] = counts["views"]
        with_id += counts["views_with_id"]
    return [(day, views.get(day, 0)) for day in period.dates()], with_id


def export_rows(period):
    """CSV rows of the daily tables in the period (today is added by tonight's rollup)."""
    yield ["day", "kind", "host", "value", "views", "views_with_id", "distinct_ids"]
    pages = DailyPageViews.objects.filter(day__gte=period.start, day__lte=period.end).order_by(
        "day", "host", "path"
    )
    for row in pages.values_list("day", "host", "path", "views", "views_with_id", "distinct_ids"):
        day, host, path, views, views_with_id, distinct_ids = row
        yield [day.isoformat(), "page", host, path, views, views_with_id, distinct_ids]
    dimensions = DailyDimension.objects.filter(day__gte=period.start, day__lte=period.end).order_by(
        "day", "dimension", "value"
    )
    for day, dimension, value, views, views_with_id in dimensions.values_list(
        "day", "dimension", "value", "views", "views_with_id"
    ):
        kind = DIMENSION_FIELDS[Dimension(dimension)]
        yield [day.isoformat(), kind, "", value, views, views_with_id, ""]


def linked_visits(user):
    """The user's linked visitor ids, when each was linked, and their visit counts.

    Counting scans the raw table for those ids (it has no index on visitor_id,
    on purpose: see Visit); the "my data" page is rare enough to afford it.
    """
    links = list(VisitorLink.objects.filter(user=user).order_by("since"))
    counts = dict(
        Visit.objects.filter(visitor_id__in=[link.visitor_id for link in links])
        .order_by()
        .values("visitor_id")
        .annotate(visits=Count("id"))
        .values_list("visitor_id", "visits")
    )
    return [
        {
            "visitor_id": link.visitor_id.hex,
            "since": link.since.isoformat(),
            "visits": counts.get(link.visitor_id, 0),
        }
        for link in links
    ]


def unlink_visits(user):
    """Remove every link between the user and visitor ids (opt-out or deletion)."""
    VisitorLink.objects.filter(user=user).delete()
