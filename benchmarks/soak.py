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
import http.client
import itertools
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parents[1]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.topology import HOST, Topology  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/centiro_soak"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
# A fault's errors count as the fault's if they start within this many seconds of it.
RECOVERY_WINDOW = 30
# When in the run each fault happens, as a share of its length.
SCHEDULE = {"worker": 0.2, "postgres": 0.45, "redis": 0.7}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PASSWORD = "soak-lösenord-2026-långt"  # noqa: S105
SCRAPED = {
    "centiro_database_errors_total",
    "centiro_cache_errors_total",
    "centiro_visits_total",
    "centiro_rate_limit_rejections_total",
    "centiro_requests_total",
}
REDIS_SERVER = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


@dataclass
class Outcome:
    step: str
    started: float
    ended: float
    status: int  # 0: no answer (connection refused, reset or timed out)
    retry_after: str | None = None
    page_view: bool = False  # a GET answered 200 with an HTML page: one visit to record

    @property
    def failed(self):
        return self.status == 0 or self.status >= 500


@dataclass
class Fault:
    name: str
    started: float
    log_offset: int
    window_end: float = 0.0
    recovery: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    retry_after: set = field(default_factory=set)
    log_lines: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    note: str = ""

    def covers(self, outcome):
        # A request still running when the fault began belongs to it: the worker killed was
        # busy with exactly such a request.
        return outcome.started < self.window_end and outcome.ended >= self.started


@dataclass
class Report:
    seconds: float
    outcomes: list
    faults: list
    page_views: int = 0
    visits: int = 0
    consent_acks: int = 0
    consent_missing: int = 0
    consent_records: int = 0
    registration_acks: int = 0
    registration_missing: int = 0
    registrations: int = 0
    keys_claimed: int = 0
    keys_claimed_twice: int = 0
    drained: bool = False
    metrics: Counter = field(default_factory=Counter)

    @property
    def errors_outside_faults(self):
        return [
            outcome
            for outcome in self.outcomes
            if outcome.failed and not any(f.covers(outcome) for f in self.faults)
        ]

    @property
    def visits_lost(self):
        return max(self.page_views - self.visits, 0)

    @property
    def nothing_lost(self):
        return not (self.visits_lost or self.consent_missing or self.registration_missing) and (
            self.keys_claimed_twice == 0 and self.keys_claimed == self.registrations
        )


class Visitor:
    """One browser: its own local address and cookies; records every answer it gets."""

    addresses = itertools.count()

    def __init__(self, soak):
        self.soak = soak
        n = next(Visitor.addresses)
        self.client = soak.proxy.clone(f"127.1.{n // 250 % 250}.{n % 250 + 1}")

    def request(self, step, method, path, data=None):
        body = urlencode(data) if data is not None else None
        started = time.monotonic()
        try:
            response, content = self.client.request(
                method, path, body=body, headers={"User-Agent": BROWSER}, timeout=20
            )
        except (OSError, http.client.HTTPException):
            response, content = None, b""
        outcome = Outcome(
            step,
            started,
            time.monotonic(),
            response.status if response else 0,
            response.getheader("Retry-After") if response else None,
            page_view=bool(
                response
                and method == "GET"
                and response.status == 200
                and response.getheader("Content-Type", "").startswith("text/html")
            ),
        )
        self.soak.outcomes.append(outcome)
        return outcome.status, content

    def page(self, name, *args):
        from django.urls import reverse

        return self.request(name, "GET", reverse(name, args=args))

    def form(self, name):
        """The page's form token, or None when the page did not come."""
        status, content = self.page(name)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        return found.group(1).decode() if status == 200 and found else None


class Soak:
    def __init__(self, topology, *, seconds, clients, users, keys):
        self.topology, self.proxy = topology, topology.proxy
        self.seconds, self.clients = seconds, clients
        self.users = itertools.cycle(users)
        self.keys = iter(keys)
        self.handed_out = []
        self.lock = threading.Lock()
        self.outcomes = []
        self.consent_ids = []
        self.registered = []

    def anonymous(self):
        visitor = Visitor(self)
        for name in ("home", "about", "policy:current"):
            visitor.page(name)

    def consent(self, choice):
        from django.core import signing
        from django.urls import reverse

        from consent import state as consent
        from consent.cookies import CONSENT_COOKIE

        visitor = Visitor(self)
        visitor.page("home")
        status, _ = visitor.request(
            "consent:choose", "POST", reverse("consent:choose"), {"choice": choice, "next": "/"}
        )
        if status == 302:
            # The nodes sign with the SECRET_KEY of this process's environment.
            payload = signing.loads(
                visitor.client.cookies[CONSENT_COOKIE], salt=consent.SIGNING_SALT
            )
            self.consent_ids.append(payload["id"])
        visitor.page("about")
        visitor.page("home")

    def sign_in(self):
        from django.urls import reverse

        visitor = Visitor(self)
        with self.lock:
            email = next(self.users)
        token = visitor.form("account_login")
        if token is None:
            return None, None
        status, _ = visitor.request(
            "account_login",
            "POST",
            reverse("account_login"),
            {"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        )
        if status != 302:
            return None, None
        visitor.page("registrations:portal")
        visitor.page("registrations:list")
        return visitor, email

    def register(self):
        from django.urls import reverse

        visitor, email = self.sign_in()
        if visitor is None:
            return
        for _ in range(2):
            with self.lock:
                # One attempt in five races for a key another visitor was given.
                if self.handed_out and random.random() < 0.2:
                    key = random.choice(self.handed_out)
                else:
                    key = next(self.keys, None)
                    if key is None:
                        return
                    self.handed_out.append(key)
            token = visitor.form("registrations:register")
            if token is None:
                continue
            status, _ = visitor.request(
                "registrations:register",
                "POST",
                reverse("registrations:register"),
                {"csrfmiddlewaretoken": token, "key": key},
            )
            if status == 302:
                self.registered.append((email, key))

    def client_loop(self, end):
        scenarios = [
            (self.anonymous, 4),
            (lambda: self.consent("accept_all"), 2),
            (lambda: self.consent("necessary_only"), 1),
            (self.sign_in, 2),
            (self.register, 2),
        ]
        functions, weights = zip(*scenarios, strict=True)
        while time.monotonic() < end:
            random.choices(functions, weights)[0]()

    def run_faults(self, names, started):
        faults = []
        for name in sorted(names, key=SCHEDULE.get):
            time.sleep(max(started + SCHEDULE[name] * self.seconds - time.monotonic(), 0))
            fault = Fault(name, time.monotonic(), self.log_size())
            faults.append(fault)
            fault.note = getattr(self, f"break_{name}")() or ""
        return faults

    def log_size(self):
        return (self.topology.prefix / "nodes.log").stat().st_size

    def break_worker(self):
        """Kill a worker of the first node, one busy with a request if one shows within 3 s."""
        workers = self.topology.worker_pids(0)
        deadline = time.monotonic() + 3
        busy = []
        while not busy and time.monotonic() < deadline:
            busy = [pid for pid in workers if process_state(pid) == "R"]
            time.sleep(0.005)
        os.kill((busy or workers)[0], signal.SIGKILL)
        return "killed a worker busy with a request" if busy else "killed an idle worker"

    def break_postgres(self):
        (version,) = os.listdir("/etc/postgresql")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
        )

    def break_redis(self):
        subprocess.run(["redis-cli", "shutdown", "nosave"], check=False)
        time.sleep(1)
        subprocess.run(REDIS_SERVER, check=True)

    def run(self, fault_names):
        started = time.monotonic()
        end = started + self.seconds
        threads = [
            threading.Thread(target=self.client_loop, args=(end,)) for _ in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        faults = self.run_faults(fault_names, started)
        for thread in threads:
            thread.join()
        self.close_windows(faults, end)
        return faults

    def close_windows(self, faults, end):
        log = (self.topology.prefix / "nodes.log").read_bytes()
        for index, fault in enumerate(faults):
            following = faults[index + 1].started if index + 1 < len(faults) else end
            fault.window_end = min(fault.started + RECOVERY_WINDOW, following, end)
            inside = [o for o in self.outcomes if fault.covers(o)]
            fault.statuses = Counter(o.status for o in inside)
            fault.retry_after = {o.retry_after for o in inside if o.retry_after}
            failed = [o.ended for o in inside if o.failed]
            fault.recovery = max(failed) - fault.started if failed else 0.0
            following_offset = faults[index + 1].log_offset if index + 1 < len(faults) else None
            for line in log[fault.log_offset : following_offset].decode().splitlines():
                if any(level in line for level in ("ERROR", "CRITICAL", "WARNING", "Booting")):
                    fault.log_lines[line_kind(line)] += 1
                    fault.examples.setdefault(line_kind(line), line)


def process_state(pid):
    """R when the process is running on a CPU (a sync worker busy with a request)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[0]


def line_kind(line):
    """A log line without its time, process and request id, to count lines of one kind."""
    line = re.sub(r"^\[[^]]+\] \[\d+\] ", "", line)
    line = re.sub(r"^\d{4}-\d\d-\d\d \S+ ", "", line)
    line = re.sub(r"request_id=\w+", "request_id=…", line)
    return re.sub(r"\d{2,}", "N", line)[:160]


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


def check(report, soak, product, since):
    """Count what the database kept against what the clients were told."""
    from django.core.management import call_command, get_commands
    from django.db import connection

    from consent.models import ConsentRecord
    from registrations.models import LicenceKey, Registration
    from visits.models import Visit

    connection.close()  # its connection may predate the PostgreSQL restart
    # Another change buffers visits in a spool that drain_visits writes out.
    if "drain_visits" in get_commands():
        call_command("drain_visits")
        report.drained = True
    report.page_views = sum(outcome.page_view for outcome in soak.outcomes)
    report.visits = Visit.objects.filter(time__gte=since, host=HOST).count()
    report.consent_acks = len(soak.consent_ids)
    kept = set(
        ConsentRecord.objects.filter(consent_id__in=soak.consent_ids).values_list(
            "consent_id", flat=True
        )
    )
    report.consent_missing = len({*map(str, soak.consent_ids)} - {*map(str, kept)})
    report.consent_records = ConsentRecord.objects.filter(created_at__gte=since).count()
    report.registration_acks = len(soak.registered)
    rows = set(
        Registration.objects.filter(product=product).values_list("user__email", "licence_key__key")
    )
    report.registration_missing = len(set(soak.registered) - rows)
    report.registrations = len(rows)
    report.keys_claimed = LicenceKey.objects.filter(product=product, status="claimed").count()
    report.keys_claimed_twice = len(rows) - len({key for _email, key in rows})


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
        soak = Soak(topology, seconds=seconds, clients=clients, users=emails, keys=codes)
        fault_list = soak.run(faults)
        time.sleep(1)  # the last answers' visits are written after the response
        scraped = scrape(topology)
    finally:
        topology.stop()
    report = Report(seconds, soak.outcomes, fault_list, metrics=scraped)
    check(report, soak, product, since)
    return report


def statuses(counter):
    return ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(counter.items()))


def scrape(topology):
    """The site's error and visit counters, added up over both nodes' /metrics."""
    from prometheus_client.parser import text_string_to_metric_families

    totals = Counter()
    for index in range(len(topology.ports)):
        _response, body = topology.node_request(index, "/metrics")
        for family in text_string_to_metric_families(body.decode()):
            for sample in family.samples:
                labels = dict(sample.labels)
                if sample.name not in SCRAPED:
                    continue
                if sample.name == "centiro_requests_total":
                    # Only the server errors, by status: the rest is in the table above.
                    if not labels["status"].startswith("5"):
                        continue
                    labels = {"status": labels["status"]}
                shown = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
                totals[f"{sample.name}{{{shown}}}"] += sample.value
    return totals


def print_report(report, out=sys.stdout):
    def say(text):
        print(text, file=out)

    say(f"Soak of {report.seconds:.0f} s: {len(report.outcomes)} requests through nginx")
    say("requests by status: " + statuses(Counter(o.status for o in report.outcomes)))
    for step in sorted({o.step for o in report.outcomes}):
        say(f"  {step}: " + statuses(Counter(o.status for o in report.outcomes if o.step == step)))
    for fault in report.faults:
        window = fault.window_end - fault.started
        retry = ", ".join(sorted(fault.retry_after)) or "none"
        note = f" ({fault.note})" if fault.note else ""
        say(
            f"fault {fault.name}{note}: recovered after {fault.recovery:.1f} s; in the "
            f"{window:.0f} s after it: {statuses(fault.statuses)}; Retry-After: {retry}"
        )
        for kind, count in fault.log_lines.most_common(8):
            say(f"    {count} x {fault.examples[kind]}")
    outside = report.errors_outside_faults
    say(f"errors outside the fault windows: {len(outside)}")
    for outcome in outside[:10]:
        say(f"    {outcome.step} {outcome.status or 'no answer'}")
    drained = " (after drain_visits)" if report.drained else ""
    say(
        f"visits recorded / page views answered 200: {report.visits} / {report.page_views}"
        f"{drained}; not recorded: {report.visits_lost}"
    )
    say(
        f"consent records / choices answered 302: {report.consent_records} / "
        f"{report.consent_acks}; answered without a record: {report.consent_missing}"
    )
    say(
        f"registrations / keys claimed / registrations answered 302: {report.registrations} / "
        f"{report.keys_claimed} / {report.registration_acks}; answered without a row: "
        f"{report.registration_missing}; keys claimed twice: {report.keys_claimed_twice}"
    )
    say("metrics scraped from both nodes at the end:")
    for name, total in sorted(report.metrics.items()):
        say(f"    {name} {total:.0f}")
    say("nothing acknowledged was lost" if report.nothing_lost else "SOMETHING WAS LOST")


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
    sys.exit(0 if report.nothing_lost and not report.errors_outside_faults else 1)


def create_database(url):
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
