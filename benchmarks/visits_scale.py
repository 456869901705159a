"""Scale benchmark for page-visit statistics on PostgreSQL.

Seeds N raw visits spread over the last year (plus one day, yesterday, with
--day-visits visits) and --consent-records cookie choices over the same year,
rolls up every day, then times the rollup of the big day, the statistics page's
figures for 30 days and for one year (unique visitors included) and the consent
statistics for one year, and prints the raw table's size per row including its
indexes.

    .venv/bin/python benchmarks/visits_scale.py            # 10 million visits
    .venv/bin/python benchmarks/visits_scale.py --quick    # 300 000 visits
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/centiro_bench_visits ...

Goals (issues 7 and 15): statistics page for one year < 0.5 s at 10 M raw rows,
rollup of a day of 300 k visits < 10 s, about 150 bytes per raw visit with
indexes; consent statistics fast at millions of records (1 M by default).
The database named in DATABASE_URL is created if missing and its visit tables
are emptied: never point it at a real database.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centiro_bench_visits"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="visits over the year")
    parser.add_argument("--quick", action="store_true", help="300 000 visits instead")
    parser.add_argument(
        "--day-visits", type=int, default=300_000, help="visits on the rolled-up day"
    )
    parser.add_argument(
        "--consent-records", type=int, default=1_000_000, help="cookie choices over the year"
    )
    parser.add_argument(
        "--seed-only", action="store_true", help="seed, then stop (time later with --reuse)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the visits seeded by an earlier run today; roll up and time only",
    )
    args = parser.parse_args()
    rows = 300_000 if args.quick else args.rows
    consent_records = 30_000 if args.quick else args.consent_records

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")
    create_database_if_missing(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centiro_site.settings")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not args.reuse:
        seed_all(rows, args.day_visits, consent_records)
    if not args.seed_only:
        run(consent_records)


def create_database_if_missing(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


SEED_SQL = """
INSERT INTO visits_visit
    (time, host, path, referrer_host, browser, os, device, language, visitor_id, network)
SELECT
    %(start)s::timestamptz + (%(span)s::interval * (i::float8 / %(count)s)),
    (ARRAY['www.centiro.se', 'www.centiro.com', 'centiro.se'])[1 + i %% 3],
    CASE WHEN i %% 4 = 0 THEN '/en/page-' ELSE '/sida-' END || ((i * 7919) %% 150) || '/',
    (ARRAY['', '', 'www.google.se', 'www.bing.com', 'www.linkedin.com', 'duckduckgo.com'])
        [1 + (i * 31) %% 6],
    (ARRAY['Chrome', 'Firefox', 'Safari', 'Edge', 'Mobile Safari', 'Chrome Mobile'])
        [1 + (i * 13) %% 6],
    (ARRAY['Windows', 'Mac OS X', 'Linux', 'iOS', 'Android'])[1 + (i * 17) %% 5],
    1 + (i * 7) %% 3,
    CASE WHEN i %% 4 = 0 THEN 'en' ELSE 'sv' END,
    CASE WHEN i %% 2 = 0 THEN md5(%(salt)s || (i / 20)::text)::uuid END,
    CASE WHEN i %% 2 = 0
        THEN ('10.' || ((i / 20) %% 256) || '.' || ((i / 5120) %% 256) || '.0')::inet END
FROM generate_series(0::bigint, %(count)s - 1) AS i
"""


CONSENT_SQL = """
INSERT INTO policy_consentrecord
    (consent_id, action, categories, policy_version, revision_id, gpc, language, created_at)
SELECT
    md5('consent' || i::text)::uuid,
    (ARRAY['accept_all', 'accept_all', 'necessary_only', 'custom', 'withdraw'])[1 + i %% 5],
    CASE WHEN i %% 5 IN (0, 1, 3) THEN '["necessary", "statistics"]'::jsonb
         ELSE '["necessary"]'::jsonb END,
    1,
    %(revision)s,
    i %% 10 = 0,
    CASE WHEN i %% 4 = 0 THEN 'en' ELSE 'sv' END,
    %(start)s::timestamptz + (%(span)s::interval * (i::float8 / %(count)s))
FROM generate_series(0::bigint, %(count)s - 1) AS i
"""


def seed_consent(cursor, start, end, count):
    from consent.models import ConsentTextRevision

    revision = ConsentTextRevision.objects.create(revision="b" * 64, texts={"sv": {}, "en": {}})
    cursor.execute(
        CONSENT_SQL,
        {"start": start, "span": end - start, "count": count, "revision": revision.pk},
    )


def seed(cursor, start, end, count, salt):
    if count <= 0:
        return
    cursor.execute(
        SEED_SQL,
        {"start": start, "span": end - start, "count": count, "salt": salt},
    )


def timed(label, function, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    detail = (
        f"first {times[0]:.3f} s, best {min(times):.3f} s" if repeat > 1 else f"{times[0]:.3f} s"
    )
    print(f"{label:<48} {detail}")
    return result


def seed_all(rows, day_visits, consent_records):
    from django.db import connection
    from django.utils import timezone

    from core.days import day_bounds

    today = timezone.localdate()
    big_day = today - datetime.timedelta(days=1)
    year_start, _ = day_bounds(today - datetime.timedelta(days=365))
    big_start, big_end = day_bounds(big_day)
    now = datetime.datetime.now(datetime.UTC)

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE visits_visit, visits_dailypageviews, visits_dailydimension,"
            " visits_dailyvisitors, visits_dailyconsent, policy_consentowner,"
            " policy_consentrecord, policy_consenttextrevision RESTART IDENTITY"
        )
    # In time order, as production appends them, so the BRIN index stays tight.
    elapsed_before = (big_start - year_start).total_seconds()
    elapsed_other = (now - year_start - (big_end - big_start)).total_seconds()
    before = int(rows * elapsed_before / elapsed_other)
    print(f"Seeding {rows:,} visits over a year plus {day_visits:,} on {big_day}...")
    began = time.perf_counter()
    with connection.cursor() as cursor:
        seed(cursor, year_start, big_start, before, "a")
        seed(cursor, big_start, big_end, day_visits, "b")
        seed(cursor, big_end, now, rows - before, "c")
        seed_consent(cursor, year_start, now, consent_records)
    print(f"{'seeded in':<48} {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE visits_visit, policy_consentrecord")


def run(consent_records):
    from django.db import connection
    from django.utils import timezone

    from core.days import day_bounds
    from visits import rollup
    from visits.dashboard import consent_statistics, figures, statistics

    today = timezone.localdate()
    big_day = today - datetime.timedelta(days=1)
    # Every day from scratch, today too: a rerun with --reuse must not add today twice.
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE visits_dailypageviews, visits_dailydimension, visits_dailyvisitors,"
            " visits_dailyconsent, visits_rollupmark, visits_seenpage"
        )
    day = today - datetime.timedelta(days=366)
    began = time.perf_counter()
    while day < today:
        if day != big_day:
            rollup.rollup_day(day)
        day += datetime.timedelta(days=1)
    print(f"{'rollup of the other 365 days':<48} {time.perf_counter() - began:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE visits_dailypageviews, visits_dailydimension, visits_dailyvisitors,"
            " visits_dailyconsent"
        )

    views = timed(f"rollup_visits of {big_day} (first run)", lambda: rollup.rollup_day(big_day))
    timed(f"rollup_visits of {big_day} (rerun)", lambda: rollup.rollup_day(big_day))
    print(f"{'  views on that day':<48} {views:,}")

    # Today as drain_visits leaves it: counted up to a mark, a few views after it read raw.
    today_start, _ = day_bounds(today)
    timed("rollup_increment of today so far", lambda: rollup.rollup_increment(today))
    with connection.cursor() as cursor:
        seed(cursor, today_start, timezone.now(), 2_000, "d")
    timed("rollup_increment of 2 000 newer visits", lambda: rollup.rollup_increment(today))
    with connection.cursor() as cursor:
        seed(cursor, today_start, timezone.now(), 200, "e")
    month = figures.Period(today - datetime.timedelta(days=29), today)
    year = figures.Period(today - datetime.timedelta(days=364), today)
    timed("dashboard figures, 30 days", lambda: statistics.statistics(month), repeat=3)
    stats = timed("dashboard figures, one year", lambda: statistics.statistics(year), repeat=3)
    print(f"{'  views in the year':<48} {stats.totals.views:,}")
    print(f"{'  unique visitors in the year (HLL)':<48} {stats.totals.visitors:,}")
    start, _ = day_bounds(year.start)
    consent, _previous, _days = timed(
        f"consent statistics, one year ({consent_records:,} records)",
        lambda: consent_statistics.consent_statistics(year, today),
        repeat=3,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM policy_consentrecord WHERE created_at >= %s", [start])
        (exact_choices,) = cursor.fetchone()
    print(
        f"{'  choices in the year (daily table / raw count)':<48} "
        f"{consent.choices:,} / {exact_choices:,}"
    )
    print(
        f"{'  opt-in rate, Sec-GPC share':<48} {consent.opt_in_rate:.1%}, {consent.gpc_share:.1%}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT visitor_id) FROM visits_visit WHERE time >= %s", [start]
        )
        (exact,) = cursor.fetchone()
    error = (stats.totals.visitors - exact) / exact if exact else 0
    print(f"{'  exact distinct ids (raw scan, not the page)':<48} {exact:,} ({error:+.1%})")

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), pg_relation_size('visits_visit'),
                   pg_indexes_size('visits_visit'), pg_total_relation_size('visits_visit')
            FROM visits_visit
            """
        )
        count, table, indexes, total = cursor.fetchone()
        cursor.execute(
            "SELECT pg_total_relation_size('visits_dailypageviews'),"
            " pg_total_relation_size('visits_dailydimension'),"
            " (SELECT count(*) FROM visits_dailypageviews)"
        )
        pages_bytes, dimension_bytes, page_rows = cursor.fetchone()
    print(f"{'raw visits':<48} {count:,}")
    print(f"{'raw table bytes per row':<48} {table / count:.1f}")
    print(f"{'raw index bytes per row':<48} {indexes / count:.1f}")
    print(f"{'raw total bytes per row (table+indexes+toast)':<48} {total / count:.1f}")
    print(
        f"{'daily tables':<48} {page_rows:,} page rows, "
        f"{(pages_bytes + dimension_bytes) / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
