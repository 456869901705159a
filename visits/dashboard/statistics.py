"""The statistics dashboard's figures: the daily tables, plus today's views not yet counted."""

from collections import Counter

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from visits.dashboard.consent_statistics import consent_statistics
from visits.dashboard.figures import Row, Statistics, Totals, language_name
from visits.increment import DIMENSION_FIELDS, dimension_value, visitor_pages
from visits.models import (
    INVALID,
    DailyDimension,
    DailyErasures,
    DailyPageViews,
    DailyVisitors,
    Device,
    RollupMark,
    Visit,
)
from visits.models import Dimension as D
from visits.rollup import visits_on
from visits.sketch import Sketch

TOP_SIZE = 10


def statistics(period, today=None):
    today = today or timezone.localdate()
    previous = period.previous()
    span = {"day__gte": previous.start, "day__lte": period.end}
    past = {"day__gte": period.start, "day__lte": period.end}
    # Today's rows in the daily tables count its views up to the last increment (drain_visits);
    # only the views after its mark are read raw: normally a minute's worth.
    mark = raw = None
    if today in period:
        mark = RollupMark.objects.filter(day=today).values_list("visit_id", flat=True).first()
        raw = visits_on(today).filter(id__gt=mark or 0)

    # Every view has a device, so the few device rows of a day sum to its views: far fewer
    # rows to add up than the day's pages.
    devices = DailyDimension.objects.filter(dimension=D.DEVICE, **span)
    per_day = _views_per_day(devices, raw, today)
    pages = DailyPageViews.objects.filter(**past).order_by()
    page_rows = Counter()
    entry_rows = Counter()
    for row in pages.values("host", "path").annotate(views=Sum("views"), entries=Sum("entries")):
        page_rows[(row["host"], row["path"])] += row["views"]
        entry_rows[(row["host"], row["path"])] += row["entries"]
    dimensions = {dimension: Counter() for dimension in DIMENSION_FIELDS}
    daily_dimensions = DailyDimension.objects.filter(**past).order_by()
    for row in daily_dimensions.values("dimension", "value").annotate(views=Sum("views")):
        dimensions[row["dimension"]][row["value"]] += row["views"]

    sketches = dict(DailyVisitors.objects.filter(**span).values_list("day", "sketch"))
    current = [s for day, s in sketches.items() if day in period]
    if raw is not None:
        sketch, entries = _newest_visitors(raw, today)
        current.append(sketch)
        entry_rows.update(entries)
        for row in raw.values("host", "path").annotate(views=Count("id")):
            page_rows[(row["host"], row["path"])] += row["views"]
        for dimension, column in DIMENSION_FIELDS.items():
            for row in raw.values(column).annotate(views=Count("id")):
                dimensions[dimension][dimension_value(dimension, row[column])] += row["views"]

    consent, previous_consent, consent_per_day = consent_statistics(period, today)

    def totals(days):
        views = sum(per_day[day][0] for day in days.dates() if day in per_day)
        with_id = sum(per_day[day][1] for day in days.dates() if day in per_day)
        chosen = current if days == period else [s for d, s in sketches.items() if d in days]
        return Totals(views, with_id, Sketch.merged(chosen).count() if chosen else 0)

    hosts = {host for host, _ in page_rows}
    return Statistics(
        period=period,
        today=today,
        totals=totals(period),
        previous_totals=totals(previous),
        per_day=[
            (day, per_day.get(day, (0, 0))[0], per_day.get(old, (0, 0))[0])
            for day, old in zip(period.dates(), previous.dates(), strict=True)
        ],
        breakdowns={
            "pages": _rows(_page_labels(page_rows, hosts)),
            "entries": _rows(_page_labels(entry_rows, hosts)),
            # Against all page views, as every other breakdown: the rest moved within the site.
            "referrers": _rows(
                _referrers(dimensions[D.REFERRER], hosts),
                total=sum(dimensions[D.REFERRER].values()),
            ),
            "browsers": _rows(_named(dimensions[D.BROWSER])),
            "os": _rows(_named(dimensions[D.OS])),
            "devices": _rows(
                Counter(
                    {str(Device.from_slug(k).label): n for k, n in dimensions[D.DEVICE].items()}
                )
            ),
            "languages": _rows(
                Counter({language_name(k): n for k, n in dimensions[D.LANGUAGE].items()})
            ),
        },
        consent=consent,
        previous_consent=previous_consent,
        consent_per_day=consent_per_day,
        first_day=DailyPageViews.objects.aggregate(first=Min("day"))["first"],
        erasures=_erasures(period),
        previous_erasures=_erasures(previous),
    )


def _erasures(period):
    erased = DailyErasures.objects.filter(day__gte=period.start, day__lte=period.end)
    return erased.aggregate(n=Sum("erasures"))["n"] or 0


def _views_per_day(daily, raw, today):
    rows = daily.order_by().values("day").annotate(views=Sum("views"), with_id=Sum("views_with_id"))
    per_day = {row["day"]: (row["views"], row["with_id"]) for row in rows}
    if raw is not None:
        counts = raw.aggregate(views=Count("id"), with_id=Count("visitor_id"))
        views, with_id = per_day.get(today, (0, 0))
        per_day[today] = (views + counts["views"], with_id + counts["with_id"])
    return per_day


def _newest_visitors(raw, today):
    """The sketch of the new visitors among today's views not yet counted, and their entries.

    By the increments' own rule (visits.increment.visitor_pages): a visitor has an entry there
    only if no increment saw them today, and every visitor an increment saw is in today's
    sketch already, so the entries' visitors are all the sketch needs.
    """
    sketch = Sketch()
    entries = Counter()
    to_uuid = Visit._meta.get_field("visitor_id").to_python  # SQLite returns hex text
    pairs, params = visitor_pages(today, raw)
    with connection.cursor() as cursor:
        sql = f"SELECT p.visitor_id, p.host, p.path FROM ({pairs}) p WHERE p.entry"  # noqa: S608
        cursor.execute(sql, params)
        for visitor_id, host, path in cursor:
            sketch.add(to_uuid(visitor_id))
            entries[(host, path)] += 1
    return sketch, entries


def own_hosts(recorded_hosts):
    """The site's own host names: those visits were recorded on, and ALLOWED_HOSTS."""
    exact = set(recorded_hosts)
    suffixes = []
    for entry in settings.ALLOWED_HOSTS:
        if entry.startswith("."):
            exact.add(entry[1:])
            suffixes.append(entry)
        elif entry != "*":
            exact.add(entry)
    return lambda host: host in exact or host.endswith(tuple(suffixes))


def _referrers(counts, hosts):
    """Referrer hosts without the site's own (moving between pages is no referral)."""
    is_own = own_hosts(hosts)
    result = Counter()
    for host, n in counts.items():
        if not host:
            result[_("Direkt / ingen")] += n
        elif host == INVALID:
            result[_("Ogiltig")] += n
        elif not is_own(host):
            result[host] += n
    return result


def _page_labels(counts, hosts):
    several = len(hosts) > 1
    return Counter(
        {(f"{host}{path}" if several else path): n for (host, path), n in counts.items()}
    )


def _named(counts):
    labels = {"": _("Okänd"), INVALID: _("Ogiltig")}
    result = Counter()
    for value, n in counts.items():
        result[labels.get(value, value)] += n
    return result


def _rows(counter, total=None):
    total = total or sum(counter.values())
    return [Row(label, n, n / total) for label, n in counter.most_common(TOP_SIZE) if n]
