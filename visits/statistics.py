"""The statistics dashboard's figures: daily tables for past days, raw rows for today only."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from consent.models import ConsentRecord
from visits.models import (
    INVALID,
    DailyConsent,
    DailyDimension,
    DailyPageViews,
    DailyVisitors,
    Device,
)
from visits.models import Dimension as D
from visits.rollup import (
    DIMENSION_FIELDS,
    consent_counts,
    consent_on,
    dimension_value,
    visitors_of,
    visits_on,
)
from visits.sketch import Sketch

TOP_SIZE = 10
Action = ConsentRecord.Action


@dataclass(frozen=True)
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

    def __contains__(self, day):
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Totals:
    views: int
    views_with_id: int
    visitors: int

    @property
    def views_per_visitor(self):
        return self.views_with_id / self.visitors if self.visitors else 0

    @property
    def consent_share(self):
        return self.views_with_id / self.views if self.views else 0


@dataclass(frozen=True)
class ConsentTotals:
    by_action: dict  # Action value -> choices
    gpc: int
    opted_in: int
    by_language: Counter = field(default_factory=Counter)  # language code -> choices
    opted_in_by_language: Counter = field(default_factory=Counter)

    @property
    def choices(self):
        return sum(self.by_action.values())

    @property
    def opt_in_rate(self):
        return self.opted_in / self.choices if self.choices else 0

    @property
    def gpc_share(self):
        return self.gpc / self.choices if self.choices else 0

    def languages(self, previous):
        """[LanguageRow] by choices, most first: the page language each choice was made in."""
        return [
            LanguageRow(
                _language(code),
                n,
                n / self.choices,
                self.opted_in_by_language[code] / n,
                previous.by_language[code],
            )
            for code, n in self.by_language.most_common()
            if n
        ]


@dataclass(frozen=True)
class LanguageRow:
    label: str
    choices: int
    share: float  # of all choices, 0..1
    opt_in_rate: float  # of this language's choices, 0..1
    previous_choices: int  # in the previous period

    @property
    def percent(self):
        return round(self.share * 100)

    @property
    def opt_in_percent(self):
        return round(self.opt_in_rate * 100)


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: float  # of the breakdown's total, 0..1

    @property
    def percent(self):
        return round(self.share * 100)

    @property
    def step(self):
        """The share rounded to 5 %: bars are drawn with one CSS class per step (CSP: no style)."""
        return round(self.share * 20) * 5


@dataclass
class Statistics:
    period: Period
    today: datetime.date
    totals: Totals
    previous_totals: Totals
    per_day: list  # [(day, views, same day of the previous period's views)]
    breakdowns: dict  # key -> [Row]
    consent: ConsentTotals
    previous_consent: ConsentTotals
    consent_per_day: list  # [(day, ConsentTotals)]
    first_day: datetime.date | None  # earliest day the daily tables hold

    @property
    def provisional(self):
        return self.today in self.period

    @property
    def covered(self):
        """The part of the period there are figures for (today's raw rows always count), or None."""
        first = min(self.first_day, self.today) if self.first_day else self.today
        if self.period.end < first:
            return None
        return Period(max(self.period.start, first), self.period.end)

    @property
    def complete(self):
        return self.covered == self.period

    @property
    def previous_complete(self):
        """Whether the daily tables hold every day of the previous period."""
        return self.first_day is not None and self.first_day <= self.period.previous().start


def statistics(period, today=None):
    today = today or timezone.localdate()
    previous = period.previous()
    span = {"day__gte": previous.start, "day__lte": period.end}
    past = {"day__gte": period.start, "day__lte": period.end}
    # Today always comes from the raw rows, even if someone rolled it up early.
    raw = visits_on(today) if today in period else None

    # Every view has a device, so the few device rows of a day sum to its views: far fewer
    # rows to add up than the day's pages.
    devices = DailyDimension.objects.filter(dimension=D.DEVICE, **span).exclude(day=today)
    per_day = _views_per_day(devices, raw, today)
    pages = DailyPageViews.objects.filter(**past).exclude(day=today).order_by()
    page_rows = Counter()
    entry_rows = Counter()
    for row in pages.values("host", "path").annotate(views=Sum("views"), entries=Sum("entries")):
        page_rows[(row["host"], row["path"])] += row["views"]
        entry_rows[(row["host"], row["path"])] += row["entries"]
    dimensions = {dimension: Counter() for dimension in DIMENSION_FIELDS}
    daily_dimensions = DailyDimension.objects.filter(**past).exclude(day=today).order_by()
    for row in daily_dimensions.values("dimension", "value").annotate(views=Sum("views")):
        dimensions[row["dimension"]][row["value"]] += row["views"]

    sketches = dict(
        DailyVisitors.objects.filter(**span).exclude(day=today).values_list("day", "sketch")
    )
    current = [s for day, s in sketches.items() if day in period]
    if raw is not None:
        sketch, entries = visitors_of(raw)
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
            "referrers": _rows(_referrers(dimensions[D.REFERRER], hosts)),
            "browsers": _rows(_named(dimensions[D.BROWSER])),
            "os": _rows(_named(dimensions[D.OS])),
            "devices": _rows(
                Counter(
                    {str(Device.from_slug(k).label): n for k, n in dimensions[D.DEVICE].items()}
                )
            ),
            "languages": _rows(
                Counter({_language(k): n for k, n in dimensions[D.LANGUAGE].items()})
            ),
        },
        consent=consent,
        previous_consent=previous_consent,
        consent_per_day=consent_per_day,
        first_day=DailyPageViews.objects.aggregate(first=Min("day"))["first"],
    )


def _views_per_day(daily, raw, today):
    rows = daily.order_by().values("day").annotate(views=Sum("views"), with_id=Sum("views_with_id"))
    per_day = {row["day"]: (row["views"], row["with_id"]) for row in rows}
    if raw is not None:
        counts = raw.aggregate(views=Count("id"), with_id=Count("visitor_id"))
        per_day[today] = (counts["views"], counts["with_id"])
    return per_day


def consent_statistics(period, today):
    """Cookie choices of the period and of the one before, and per day of the period.

    From the daily consent table, plus today's records: never a scan of the records of past days.
    """
    previous = period.previous()
    daily = DailyConsent.objects.filter(day__gte=previous.start, day__lte=period.end)
    per_day = _consent_per_day(daily.exclude(day=today))
    if today in period:
        per_day[today] = _consent_totals(consent_counts(consent_on(today)))
    return (
        _sum_consent(per_day, period),
        _sum_consent(per_day, previous),
        [(day, per_day.get(day, _consent_totals({}))) for day in period.dates()],
    )


def _consent_totals(counts):
    by_action = dict.fromkeys(Action.values, 0)
    by_language, opted_in_by_language = Counter(), Counter()
    gpc = opted_in = 0
    for (action, with_gpc, statistics, language), n in counts.items():
        by_action[action] = by_action.get(action, 0) + n
        gpc += n if with_gpc else 0
        opted_in += n if statistics else 0
        by_language[language] += n
        opted_in_by_language[language] += n if statistics else 0
    return ConsentTotals(by_action, gpc, opted_in, by_language, opted_in_by_language)


def _consent_per_day(daily):
    counts = {}
    for day, action, gpc, statistics, language, n in daily.values_list(
        "day", "action", "gpc", "statistics", "language", "choices"
    ):
        counts.setdefault(day, Counter())[(action, gpc, statistics, language)] += n
    return {day: _consent_totals(c) for day, c in counts.items()}


def _sum_consent(per_day, period):
    by_action, by_language, opted_in_by_language = Counter(), Counter(), Counter()
    gpc = opted_in = 0
    for day, day_totals in per_day.items():
        if day in period:
            by_action.update(day_totals.by_action)
            by_language.update(day_totals.by_language)
            opted_in_by_language.update(day_totals.opted_in_by_language)
            gpc += day_totals.gpc
            opted_in += day_totals.opted_in
    return ConsentTotals(
        {a: by_action[a] for a in Action.values},
        gpc,
        opted_in,
        by_language,
        opted_in_by_language,
    )


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


def _language(code):
    if not code:
        return _("Okänt")
    try:
        return get_language_info(code)["name_local"].capitalize()
    except KeyError:
        return code


def _rows(counter):
    total = sum(counter.values())
    return [Row(label, n, n / total) for label, n in counter.most_common(TOP_SIZE) if n]
