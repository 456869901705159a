"""Soak: the two-node topology through nginx, under a steady mix of traffic, while it breaks.

`make soak` (or `.venv/bin/python benchmarks/soak.py [--seconds 180]`) starts nginx from
deploy/ in front of two gunicorn nodes of two workers each (benchmarks/topology.py) on
PostgreSQL (`--database-url`, default the database centiro_soak, created and migrated if
missing) and Redis db 14. Client threads then run a mix of anonymous page views with and
without consent, consent choices, sign-ins with portal views and licence-key registrations,
each visitor from its own local address (127.1.x.y), so the per-address rate limits see many
clients as they would in production. Meanwhile it kills one gunicorn worker, restarts
PostgreSQL and restarts Redis, once each (`--faults`).

It prints the requests by status, the errors outside the fault windows, the time each fault
took to recover from, and whether everything acknowledged to a client was kept: each page view
answered 200 has its visit, each consent choice answered 302 its record, each registration
answered 302 its row and its claimed key, and no key is claimed twice.

Restarting PostgreSQL and Redis disturbs everything else on the machine that uses them.
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.soak_faults import SCHEDULE, close_windows, inject, log_path  # noqa: E402
from benchmarks.soak_report import (  # noqa: E402
    Report,
    check,
    print_report,
    scrape,
    sent_to_two_nodes,
)
from benchmarks.soak_traffic import PASSWORD, Traffic  # noqa: E402
from benchmarks.topology import Topology  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/centiro_soak"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"


def seed(run, *, users, keys):
    """Verified customers with one password, a product and its keys, named after the run."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from registrations.models import LicenceKey, Product

    password = make_password(PASSWORD)
    emails = [f"soak-{run}-{n}@example.se" for n in range(users)]
    created = get_user_model().objects.bulk_create(
        get_user_model()(email=email, password=password, language="sv") for email in emails
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in created
    )
    product = Product.objects.create(slug=f"soak-{run}", name_sv="Soak", name_en="Soak")
    codes = [f"SOAK{run.upper()}{n:06d}" for n in range(keys)]
    LicenceKey.objects.bulk_create(LicenceKey(product=product, key=code) for code in codes)
    return emails, codes, product


def run(prefix, *, database_url, cache_url, seconds, faults, clients=6, users=600, keys=2000):
    """Run the soak against an already migrated database that Django here is connected to."""
    import redis
    from django.utils import timezone

    redis.Redis.from_url(cache_url).flushdb()
    run_id = secrets.token_hex(3)
    emails, codes, product = seed(run_id, users=users, keys=keys)
    topology = Topology(
        prefix, database_url=database_url, cache_url=cache_url, workers=2, metrics=True
    )
    topology.start()
    since = timezone.now().replace(microsecond=0)  # as ConsentRecord.created_at is stored
    try:
        traffic = Traffic(topology.proxy, users=emails, keys=codes)
        started = time.monotonic()
        end = started + seconds
        threads = traffic.start(clients, end)
        fault_list = inject(topology, faults, started=started, seconds=seconds)
        for thread in threads:
            thread.join()
        close_windows(fault_list, traffic.outcomes, log_path(topology).read_bytes(), end)
        time.sleep(1)  # the last answers' visits are written after the response
        scraped = scrape(topology)
    finally:
        topology.stop()
    report = Report(seconds, traffic.outcomes, fault_list, metrics=scraped)
    report.sent_to_two_nodes = sent_to_two_nodes((prefix / "access.log").read_text())
    check(report, traffic, product, since)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--faults", default="worker,postgres,redis")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL)
    args = parser.parse_args()
    faults = [name for name in args.faults.split(",") if name]
    assert set(faults) <= set(SCHEDULE), f"faults are {', '.join(SCHEDULE)}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="centiro_site.settings",
        DEBUG="off",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
        CACHE_URL="locmemcache://soak",
        LOG_LEVEL="INFO",
    )
    create_database(args.database_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory(prefix="centiro-soak-") as prefix:
        report = run(
            Path(prefix),
            database_url=args.database_url,
            cache_url=args.cache_url,
            seconds=args.seconds,
            faults=faults,
            clients=args.clients,
        )
    print_report(report)
    passed = report.nothing_lost and report.counted_once and not report.errors_outside_faults
    sys.exit(0 if passed else 1)


def create_database(url):
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
