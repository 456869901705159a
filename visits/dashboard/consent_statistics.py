"""Cookie choices for the dashboard: from the daily consent table, plus today's newest records."""

from collections import Counter

from visits.dashboard.figures import Action, ConsentTotals
from visits.increment import consent_counts
from visits.models import DailyConsent, RollupMark
from visits.rollup import consent_on


def consent_statistics(period, today):
    """Cookie choices of the period and of the one before, and per day of the period.

    Today's rows in the daily table hold the choices up to the last increment; only the
    records after its mark are read raw, never a scan of a past day's records.
    """
    previous = period.previous()
    daily = DailyConsent.objects.filter(day__gte=previous.start, day__lte=period.end)
    counts = {}
    for day, action, gpc, statistics, language, n in daily.values_list(
        "day", "action", "gpc", "statistics", "language", "choices"
    ):
        counts.setdefault(day, Counter())[(action, gpc, statistics, language)] += n
    if today in period:
        mark = RollupMark.objects.filter(day=today).values_list("consent_id", flat=True).first()
        newest = consent_on(today).filter(id__gt=mark or 0)
        counts.setdefault(today, Counter()).update(consent_counts(newest))
    per_day = {day: _consent_totals(c) for day, c in counts.items()}
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
