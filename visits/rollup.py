"""The daily tables: one Stockholm day rolled up whole or by increments; the purge of old visits."""

import datetime

from django.db import OperationalError, connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from consent.models import ConsentRecord
from core.days import day_bounds
from visits import erasure, increment
from visits.models import (
    DailyConsent,
    DailyDimension,
    DailyPageViews,
    DailyVisitors,
    RollupMark,
    SeenPage,
    Visit,
)

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for lock_timeout


def visits_on(day):
    start, end = day_bounds(day)
    return Visit.objects.filter(time__gte=start, time__lt=end).order_by()


def consent_on(day):
    start, end = day_bounds(day)
    return ConsentRecord.objects.filter(created_at__gte=start, created_at__lt=end).order_by()


class TableBusy(Exception):
    """A table stayed locked (a long vacuum, a migration): the next run counts its rows."""


def committed_max_id(model):
    """The highest id of `model` below which every row is committed and visible.

    Ids are handed out before commit, so a writer could still commit a lower id than one
    already visible. On PostgreSQL a SHARE lock waits for every transaction writing the table
    (each holds its lock until it ends) and is released at once; SQLite has one writer at a time.
    Writers queue behind the lock while it waits, hence the short timeout.
    """
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                    cursor.execute(f"LOCK TABLE {model._meta.db_table} IN SHARE MODE")
            return model.objects.aggregate(top=Max("id"))["top"] or 0
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise TableBusy(model._meta.db_table) from error
        raise


def rollup_increment(day):
    """Add the day's visits and choices not yet counted to the daily tables; returns the mark.

    Reads only the rows after the day's mark, and moves the mark in the same transaction, so
    a crash or a concurrent run never counts a row twice or half. `drain_visits` runs it for
    today after each drain.
    """
    visits_upto, consent_upto = committed_max_id(Visit), committed_max_id(ConsentRecord)
    with transaction.atomic():
        erasure.hold_off()
        RollupMark.objects.get_or_create(day=day)
        mark = RollupMark.objects.select_for_update().get(day=day)
        _add(mark, visits_upto, consent_upto)
        return mark


def rollup_day(day):
    """Recompute the daily tables for one Stockholm day; returns the day's views.

    Running it again replaces the day's rows, so it is idempotent and can be
    rerun for any day still in the raw table. Exact even where increments saw a
    visitor's views out of time order (another node's spool drained late).

    A day some of whose counted visits were erased by their visitor (visits/erasure.py) is only
    counted on from its mark: recounting its raw rows would take the erased views out of the
    figures, which stay.
    """
    if RollupMark.objects.filter(day=day, erased=True).exists():
        mark = rollup_increment(day)
        RollupMark.objects.filter(pk=mark.pk).update(complete=True)
        SeenPage.objects.filter(day__lt=timezone.localdate()).delete()
        return DailyPageViews.objects.filter(day=day).aggregate(views=Sum("views"))["views"] or 0
    visits_upto, consent_upto = committed_max_id(Visit), committed_max_id(ConsentRecord)
    with transaction.atomic():
        erasure.hold_off()
        for model in (DailyPageViews, DailyDimension, DailyVisitors, DailyConsent, RollupMark):
            model.objects.filter(day=day).delete()
        SeenPage.objects.filter(day=day).delete()
        mark = RollupMark.objects.create(day=day, complete=True)
        _add(mark, visits_upto, consent_upto)
        # Only today takes increments (drain_visits); a past day's pairs are not needed again.
        SeenPage.objects.filter(day__lt=timezone.localdate()).delete()
        return DailyPageViews.objects.filter(day=day).aggregate(views=Sum("views"))["views"] or 0


def _add(mark, visits_upto, consent_upto):
    if visits_upto > mark.visit_id:
        increment.add_visits(mark.day, visits_on(mark.day), mark.visit_id, visits_upto)
        mark.visit_id = visits_upto
    if consent_upto > mark.consent_id:
        increment.add_consent(mark.day, consent_on(mark.day), mark.consent_id, consent_upto)
        mark.consent_id = consent_upto
    mark.save()


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
