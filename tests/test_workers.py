"""Two gunicorn worker processes: shared rate limits and policy, a database outage, restarts.

Real processes, real sockets: gunicorn serves the PostgreSQL test database this test has
committed its data to, with CACHE_URL pointing at Redis. Sync workers close each
connection, so every request may land on either worker; the access log records which
worker answered, to prove both did.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from psycopg import sql

from core import rolling_restart
from policy import stamp_channel
from policy.models import PolicyVersion
from registrations.attempts import FAILURES_PER_ACCOUNT
from tests.servers import database_url, free_port

BASE_DIR = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/6"
SHARED_CACHE = {
    **settings.CACHES,
    "default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": REDIS_URL},
}

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="gunicorn must see the test's committed data: PostgreSQL only",
    ),
    # Committed for real, so gunicorn sees it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Server:
    def __init__(self, port):
        self.port = port

    def request(self, method, path, *, cookies=None, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.read().decode(), response.getheader("Set-Cookie", "")
        finally:
            conn.close()


@pytest.fixture
def redis_url():
    return REDIS_URL


@pytest.fixture
def gunicorn_env():
    """Environment variables a test adds to the workers'."""
    return {}


@pytest.fixture
def gunicorn(tmp_path, redis_url, gunicorn_env):
    redis.Redis.from_url(redis_url).flushdb()
    port = free_port()
    log = tmp_path / "access.log"
    error_log = tmp_path / "error.log"
    env = {
        **os.environ,
        "DEBUG": "off",
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
        "SECURE_SSL_REDIRECT": "off",
        "STATIC_MANIFEST": "off",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "dummymail://",
        "GUNICORN_WORKERS": "2",
        "VISIT_SPOOL_DIR": str(tmp_path / "spool"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **gunicorn_env,
    }
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "centiro_site/gunicorn.conf.py",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "worker=%(p)s %(m)s %(s)s",
            "--error-logfile",
            str(error_log),
            "centiro_site.wsgi",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(port)

    def workers_seen(since=0, method=r"\w+"):
        return set(re.findall(rf"worker=<(\d+)> {method} ", log.read_text()[since:]))

    # Both workers booted: each has answered a health check.
    deadline = time.monotonic() + 30
    while not (log.exists() and len(workers_seen()) == 2):
        try:
            in_parallel(lambda: server.request("GET", "/healthz"), 4)
        except OSError:
            time.sleep(0.2)
        assert process.poll() is None, "gunicorn exited"
        assert time.monotonic() < deadline, "gunicorn's two workers did not answer in 30 s"
    # Which workers answered the test's own requests (from a point in the log on).
    server.log_position = lambda: len(log.read_text())
    server.workers_seen = workers_seen
    server.master_pid = process.pid
    server.error_log = error_log.read_text
    yield server
    process.terminate()
    process.wait(timeout=20)
    redis.Redis.from_url(redis_url).flushdb()


def in_parallel(function, times):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda _: function(), range(times)))


def until_both_workers_answered(server, function, *, at_least, method="GET"):
    """Call `function` in parallel bursts until both workers have answered it.

    Which worker accepts a connection is up to the kernel; on a loaded machine one worker
    can take a whole burst. The bound keeps a broken setup from looping forever.
    """
    since = server.log_position()
    results = []
    while len(results) < at_least or len(server.workers_seen(since, method)) < 2:
        assert len(results) < 240, "one worker answered every request"
        results += in_parallel(function, 8)
    return results


def signed_in_cookies(user):
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def test_workers_share_the_licence_key_rate_limit(gunicorn, user_factory):
    cookies = signed_in_cookies(user_factory("arbetare@example.se", "x-2016"))
    path = reverse("registrations:register")
    status, html, set_cookie = gunicorn.request("GET", path, cookies=cookies)
    assert status == 200
    cookies["csrftoken"] = re.search(r"csrftoken=([^;]+)", set_cookie).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = f"csrfmiddlewaretoken={token}&key=WRONG0000001"

    statuses = until_both_workers_answered(
        gunicorn,
        lambda: gunicorn.request("POST", path, cookies=cookies, body=body)[0],
        at_least=24,
        method="POST",
    )

    assert statuses.count(200) == FAILURES_PER_ACCOUNT
    assert statuses.count(429) == len(statuses) - FAILURES_PER_ACCOUNT


@override_settings(CACHES=SHARED_CACHE)
def test_every_worker_shows_a_newly_published_version_within_the_poll_interval(
    gunicorn, staff_user
):
    path = reverse("policy:current")

    def page():
        return gunicorn.request("GET", path)[1]

    before = until_both_workers_answered(gunicorn, page, at_least=12)
    assert all("Version två från testet" not in html for html in before)

    draft = PolicyVersion.objects.create(body_sv="Version två från testet.", created_by=staff_user)
    draft.publish(by=staff_user, effective_date=timezone.localdate())
    # The other processes read the stamp channel at most every POLL_SECONDS.
    time.sleep(stamp_channel.POLL_SECONDS)

    after = until_both_workers_answered(gunicorn, page, at_least=12)
    assert all("Version två från testet" in html for html in after)


def maintenance_connection():
    """A connection from outside the test database, as an operator would use."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname="postgres",
        autocommit=True,
    )


def allow_connections(allowed):
    statement = sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
        sql.Identifier(connection.settings_dict["NAME"]), sql.Literal(allowed)
    )
    with maintenance_connection() as admin:
        admin.execute(statement)


def database_outage():
    """Every gunicorn connection to the test database killed, and new ones refused."""
    allow_connections(False)
    with maintenance_connection() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            [connection.settings_dict["NAME"], connection.connection.info.backend_pid],
        )


def test_workers_answer_503_while_the_database_is_down_and_recover_without_restart(
    gunicorn, user_factory
):
    cookies = signed_in_cookies(user_factory("arbetare@example.se", "x-2016"))
    # The registration list reads the database on every request.
    listing = reverse("registrations:list")
    portal = reverse("registrations:portal")
    for path in (listing, portal):
        statuses = in_parallel(
            lambda path=path: gunicorn.request("GET", path, cookies=cookies)[0], 8
        )
        assert set(statuses) == {200}

    database_outage()
    try:
        during = in_parallel(lambda: gunicorn.request("GET", listing, cookies=cookies), 8)
        health = in_parallel(lambda: gunicorn.request("GET", "/healthz")[0], 4)
        # The portal's page, its user and session all come from the caches (Redis).
        cached_portal = in_parallel(lambda: gunicorn.request("GET", portal, cookies=cookies)[0], 8)
    finally:
        allow_connections(True)

    assert {status for status, _html, _cookie in during} == {503}
    assert all("Tillfälligt otillgänglig" in html for _status, html, _cookie in during)
    assert set(health) == {503}
    assert set(cached_portal) == {200}
    # Without connection health checks, a worker whose persistent connection died in the
    # outage answers one request with the 503 page, then drops the connection and reconnects.
    first = in_parallel(lambda: gunicorn.request("GET", listing, cookies=cookies)[0], 8)
    assert set(first) <= {200, 503}
    assert first.count(503) <= 2
    after = in_parallel(lambda: gunicorn.request("GET", listing, cookies=cookies)[0], 8)
    assert set(after) == {200}
    assert gunicorn.request("GET", "/healthz")[0] == 200


LOCKOUT_REDIS_URL = "redis://127.0.0.1:6379/11"
BLOCKED = "För många misslyckade inloggningsförsök"


@pytest.mark.parametrize("redis_url", [LOCKOUT_REDIS_URL])
@pytest.mark.parametrize("gunicorn_env", [{"TRUSTED_PROXY_COUNT": "1"}])
def test_guessing_an_address_stays_bounded_across_workers_and_its_owner_still_signs_in(
    gunicorn, user_factory
):
    owner = user_factory("agare@example.se", "rätt-2016")
    path = reverse("account_login")
    addresses = iter(range(1, 10_000))

    def sign_in(password, cookies=None):
        # Every attempt from another address, as a botnet would: the per-IP limit never trips.
        n = next(addresses)
        headers = {"Sec-Fetch-Site": "same-origin", "X-Forwarded-For": f"10.0.{n // 250}.{n % 250}"}
        body = urlencode({"login": owner.email, "password": password})
        return gunicorn.request("POST", path, cookies=cookies, body=body, headers=headers)

    status, _html, set_cookie = sign_in("rätt-2016")
    assert status == 302
    device = {"centiro_device": re.search(r"centiro_device=([^;]+)", set_cookie).group(1)}

    guesses = until_both_workers_answered(
        gunicorn, lambda: sign_in("gissning"), at_least=24, method="POST"
    )

    tried = [html for _status, html, _cookie in guesses if BLOCKED not in html]
    assert len(tried) <= 5  # ACCOUNT_RATE_LIMITS: 5 failures per 300 s for unknown browsers
    assert BLOCKED in sign_in("rätt-2016")[1]  # an unknown browser, even with the password
    # The owner's browser signs in while the guessing goes on.
    with ThreadPoolExecutor(max_workers=4) as pool:
        during = [pool.submit(sign_in, "gissning") for _ in range(6)]
        owner_attempt = pool.submit(sign_in, "rätt-2016", device)
    assert all(BLOCKED in attempt.result()[1] for attempt in during)
    owner_status, _html, owner_cookie = owner_attempt.result()
    assert owner_status == 302
    assert "sessionid=" in owner_cookie


def test_a_rolling_restart_retires_each_worker_only_after_a_new_one_is_ready(gunicorn):
    old = rolling_restart.workers(gunicorn.master_pid)
    statuses, stop = [], threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                statuses.append(gunicorn.request("GET", "/")[0])
            except OSError as error:
                statuses.append(error)

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        assert rolling_restart.restart(gunicorn.master_pid, report=lambda _: None) == old
    finally:
        stop.set()
        asking.join()

    new = rolling_restart.workers(gunicorn.master_pid)
    assert len(new) == len(old) == 2
    assert not new & old
    assert statuses
    assert set(statuses) == {200}
    # In the order gunicorn logged them: an old worker exits only once a new one is ready.
    events = re.findall(
        r"Worker (\d+) ready: retiring|Worker exiting \(pid: (\d+)\)", gunicorn.error_log()
    )
    ready = exited = 0
    for ready_pid, exited_pid in events:
        if ready_pid:
            assert int(ready_pid) in new
            ready += 1
        else:
            assert int(exited_pid) in old
            exited += 1
            assert exited <= ready
    assert (ready, exited) == (2, 2)


def test_a_worker_replaced_after_a_crash_retires_no_other(gunicorn):
    old = rolling_restart.workers(gunicorn.master_pid)
    crashed = min(old)
    os.kill(crashed, signal.SIGKILL)

    deadline = time.monotonic() + 30
    while len(rolling_restart.workers(gunicorn.master_pid) - old) < 1:
        assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
        time.sleep(0.1)
    replacement = rolling_restart.workers(gunicorn.master_pid) - old
    # Once it answers, it has loaded the application: had it asked to retire a worker, it
    # would have done so by then.
    while not {str(pid) for pid in replacement} & gunicorn.workers_seen():
        assert time.monotonic() < deadline, "the new worker did not answer"
        in_parallel(lambda: gunicorn.request("GET", "/healthz"), 8)
    time.sleep(0.5)

    assert rolling_restart.workers(gunicorn.master_pid) == (old - {crashed}) | replacement
    assert "retiring" not in gunicorn.error_log()
