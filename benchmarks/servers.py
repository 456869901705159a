"""The servers the load benchmark starts: the site and the baseline, under the chosen server."""

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "centiro_site/gunicorn.conf.py"]
# The servers compared (README, "Load benchmark"); both the site and the baseline run under the
# one chosen, with the same number of worker processes.
SERVERS = ("gunicorn-sync", "gunicorn-gthread", "granian")
THREADS = 4


def server_command(server, app, port, workers):
    if server == "granian":
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--no-access-log",
            f"{app}:application",
        ]
    return [*GUNICORN, app]


def site_environment(args):
    env = dict(os.environ)
    env.update(
        DEBUG="off",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        SECURE_SSL_REDIRECT="off",
        STATIC_MANIFEST="on",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
        GUNICORN_WORKERS=str(args.workers),
        # The benchmark drains this spool itself before counting visits.
        VISIT_SPOOL_DIR=tempfile.mkdtemp(prefix="centiro-bench-spool-"),
        DJANGO_SETTINGS_MODULE="centiro_site.settings",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def ensure_database(database_url):
    name = database_url.rsplit("/", 1)[1]
    result = subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True, text=True
    )
    if result.returncode and "already exists" not in result.stderr:
        raise RuntimeError(result.stderr)


def migrate_and_collect(env):
    """The steps before a production-settings server starts: migrate and collect static files."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--clear"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def wait_until_up(url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(app, env, port, args):
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    if args.server == "gunicorn-gthread":
        env["GUNICORN_THREADS"] = str(THREADS)
    process = subprocess.Popen(
        server_command(args.server, app, port, args.workers),
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process


def tree_rss_mb(pid):
    """Resident memory of a server and all its worker processes, in MB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        proc = Path(f"/proc/{current}")
        try:
            status = (proc / "status").read_text()
            for task in (proc / "task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:
            continue
        # A worker that has just exited (a zombie, e.g. after a SIGHUP) has no VmRSS line.
        if rss := re.search(r"VmRSS:\s+(\d+) kB", status):
            total += int(rss.group(1))
    return total / 1024
