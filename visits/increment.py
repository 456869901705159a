"""Counting a slice of one day's raw rows into the daily tables, in SQL (visits/rollup.py).

A slice is the day's visits with `after < id <= upto`. Every statement adds its counts to the
rows already there (INSERT ... ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike), so
slices add up to the whole day; the caller runs them in one transaction with the mark.
Only the sketch's register update runs in Python, over the slice's new visitor ids.
"""

from collections import Counter

from django.db import connection
from django.db.models import Count

from consent.cookies import STATISTICS
from visits.models import (
    DailyConsent,
    DailyDimension,
    DailyPageViews,
    DailyVisitors,
    Device,
    Dimension,
    SeenPage,
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

COLUMNS = ("id", "time", "host", "path", "visitor_id", *DIMENSION_FIELDS.values())


def dimension_value(dimension, raw):
    if dimension == Dimension.DEVICE:
        return Device(raw).slug
    return raw


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _sql(rows):
    """The SQL and parameters of a queryset of visits, through the ORM so values are adapted."""
    return rows.order_by().values(*COLUMNS).query.sql_with_params()


def visitor_pages(day, rows):
    """SQL and parameters of `rows`' (visitor_id, host, path, entry): one row per visitor and page.

    The entry-page rule, written once for the increments and for the dashboard's views not yet
    counted (`rows`: some of the day's visits, those after the day's mark): a visitor's first view
    of the day is an entry, unless an earlier increment already saw that visitor today
    (SeenPage). First by time, then by id: views in the same microsecond.
    """
    sql, params = _sql(rows)
    seen = _table(SeenPage)
    return (
        f"""
        SELECT f.visitor_id, f.host, f.path,
               MAX(f.first) = 1 AND NOT EXISTS (
                   SELECT 1 FROM {seen} s WHERE s.day = %s AND s.visitor_id = f.visitor_id
               ) AS entry
        FROM (
            SELECT v.visitor_id, v.host, v.path,
                   CASE WHEN ROW_NUMBER() OVER (
                       PARTITION BY v.visitor_id ORDER BY v.time, v.id
                   ) = 1 THEN 1 ELSE 0 END AS first
            FROM ({sql}) v
            WHERE v.visitor_id IS NOT NULL
        ) f
        GROUP BY f.visitor_id, f.host, f.path
        """,  # noqa: S608 (a table name and the ORM's own SQL; values are parameters)
        [day, *params],
    )


def add_visits(day, visits, after, upto):
    """Add the views of `visits` (one day's queryset) with `after < id <= upto` to the tables."""
    rows = visits.filter(id__gt=after, id__lte=upto)
    sql, params = _sql(rows)
    pairs, pairs_params = visitor_pages(day, rows)
    seen, pages, dimensions = _table(SeenPage), _table(DailyPageViews), _table(DailyDimension)
    with connection.cursor() as cursor:
        # The slice's (visitor, page) pairs not seen before today, each marked entry or not.
        cursor.execute(
            f"""
            INSERT INTO {seen} (day, visitor_id, host, path, entry, batch)
            SELECT %s, p.visitor_id, p.host, p.path, p.entry, %s
            FROM ({pairs}) p
            WHERE true
            ON CONFLICT (day, visitor_id, host, path) DO NOTHING
            """,  # noqa: S608 (table names and the ORM's own SQL; values are parameters)
            [day, upto, *pairs_params],
        )
        cursor.execute(
            f"""
            INSERT INTO {pages} (day, host, path, views, views_with_id, distinct_ids, entries)
            SELECT %s, v.host, v.path, v.views, v.with_id, COALESCE(s.ids, 0),
                   COALESCE(s.entries, 0)
            FROM (
                SELECT i.host, i.path, COUNT(*) AS views, COUNT(i.visitor_id) AS with_id
                FROM ({sql}) i
                GROUP BY i.host, i.path
            ) v
            LEFT JOIN (
                SELECT host, path, COUNT(*) AS ids,
                       SUM(CASE WHEN entry THEN 1 ELSE 0 END) AS entries
                FROM {seen}
                WHERE day = %s AND batch = %s
                GROUP BY host, path
            ) s ON s.host = v.host AND s.path = v.path
            WHERE true
            ON CONFLICT (day, host, path) DO UPDATE SET
                views = {pages}.views + excluded.views,
                views_with_id = {pages}.views_with_id + excluded.views_with_id,
                distinct_ids = {pages}.distinct_ids + excluded.distinct_ids,
                entries = {pages}.entries + excluded.entries
            """,  # noqa: S608
            [day, *params, day, upto],
        )
        for dimension, column in DIMENSION_FIELDS.items():
            value, value_params = _dimension_sql(dimension, f"i.{column}")
            cursor.execute(
                f"""
                INSERT INTO {dimensions} (day, dimension, value, views, views_with_id)
                SELECT %s, %s, d.value, COUNT(*), COUNT(d.visitor_id)
                FROM (SELECT {value} AS value, i.visitor_id FROM ({sql}) i) d
                WHERE true
                GROUP BY d.value
                ON CONFLICT (day, dimension, value) DO UPDATE SET
                    views = {dimensions}.views + excluded.views,
                    views_with_id = {dimensions}.views_with_id + excluded.views_with_id
                """,  # noqa: S608
                [day, dimension, *value_params, *params],
            )
    _add_visitors(day, upto)


def _dimension_sql(dimension, column):
    if dimension != Dimension.DEVICE:
        return column, []
    cases = " ".join("WHEN %s THEN %s" for _ in Device)
    return f"CASE {column} {cases} END", [x for d in Device for x in (d.value, d.slug)]


def _add_visitors(day, batch):
    """Merge the batch's new visitors into the day's sketch and exact count."""
    new = SeenPage.objects.filter(day=day, batch=batch, entry=True).values_list(
        "visitor_id", flat=True
    )
    row = DailyVisitors.objects.select_for_update().filter(day=day).first()
    sketch = Sketch(row.sketch if row else None)
    count = 0
    for visitor_id in new.iterator(chunk_size=5000):
        sketch.add(visitor_id)
        count += 1
    if row is None:
        DailyVisitors.objects.create(day=day, sketch=sketch.to_bytes(), distinct_ids=count)
    elif count:
        row.sketch = sketch.to_bytes()
        row.distinct_ids += count
        row.save(update_fields=["sketch", "distinct_ids"])


def consent_counts(records):
    """{(action, gpc, statistics, language): choices} for a queryset of ConsentRecord.

    Grouped in the database; only the few distinct category lists are read into Python.
    """
    counts = Counter()
    rows = (
        records.order_by()
        .values_list("action", "gpc", "categories", "language")
        .annotate(n=Count("id"))
    )
    for action, gpc, categories, language, n in rows:
        counts[(action, gpc, STATISTICS in categories, language)] += n
    return counts


def add_consent(day, records, after, upto):
    """Add the choices of `records` (one day's queryset) with `after < id <= upto`."""
    counts = consent_counts(records.filter(id__gt=after, id__lte=upto))
    for (action, gpc, statistics, language), n in counts.items():
        row, created = DailyConsent.objects.select_for_update().get_or_create(
            day=day,
            action=action,
            gpc=gpc,
            statistics=statistics,
            language=language,
            defaults={"choices": n},
        )
        if not created:
            row.choices += n
            row.save(update_fields=["choices"])
