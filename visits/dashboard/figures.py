"""The dashboard's figures as values: a period, totals, consent totals and breakdown rows."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from consent.models import ConsentRecord

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
                language_name(code),
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
    # Visitors who erased their visits ("Radera mina besök"), counted without any id.
    erasures: int = 0
    previous_erasures: int = 0

    @property
    def provisional(self):
        return self.today in self.period

    @property
    def covered(self):
        """The part of the period there are figures for (today always counts), or None."""
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


def language_name(code):
    if not code:
        return _("Okänt")
    try:
        return get_language_info(code)["name_local"].capitalize()
    except KeyError:
        return code
