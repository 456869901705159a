"""What the visits app adds to a metrics scrape (core/metrics.py)."""

import time

from django.db.models import Max
from prometheus_client.core import GaugeMetricFamily

from core import metrics
from core.days import day_bounds
from visits.models import DailyVisitors, RollupMark


class RollupAgeCollector:
    """Seconds since the end of the last Stockholm day the visit rollup covered whole.

    Read from the database at scrape time, so it is right whichever node ran the rollup. With
    the cron job at 00:15 it stays between a quarter of an hour and a day and a quarter. Today's
    increments (drain_visits) do not count; days rolled up before marks existed have none.
    """

    def collect(self):
        try:
            whole = RollupMark.objects.filter(complete=True).aggregate(last=Max("day"))["last"]
            unmarked = DailyVisitors.objects.exclude(day__in=RollupMark.objects.values("day"))
            older = unmarked.aggregate(last=Max("day"))["last"]
        except metrics.DATABASE_FAILURES:
            metrics.database_errors.labels("metrics").inc()
            return
        if whole is None and older is None:
            return
        ended = day_bounds(max(day for day in (whole, older) if day))[1].timestamp()
        yield GaugeMetricFamily(
            "centiro_visit_rollup_age_seconds",
            "Seconds since the end of the last day rolled up into the daily tables.",
            value=time.time() - ended,
        )
