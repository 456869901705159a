"""Load benchmark: the site under gunicorn with production settings against a bare-Django baseline.

`make bench` runs it. Both servers run on 127.0.0.1 with the same gunicorn settings; wrk drives
each page at the same numbers of connections (32, then 8) for the same time; the script prints,
per number of connections, requests/s, p50/p99 latency, errors and visits recorded per page,
and each page's ratio to the baseline measured in the same run. The site runs on PostgreSQL and
Redis (the services on this machine), never on SQLite.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
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
        total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
    return total / 1024


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected latency in wrk's output: {text!r}")
    number, unit = match.groups()
    return float(number) * UNITS[unit]


# A real browser's: the site records no visit for an empty or bot user agent.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def run_wrk(url, *, cookie="", duration, connections):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    command[1:1] = ["-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1)),
        "p99": to_ms(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1)),
        "errors": errors,
    }


def warm_up(url, cookie="", connections=32):
    """Unmeasured load first: every worker has booted, imported and compiled its templates.

    wait_until_up() only proves that one worker answers; the others may still be starting.
    """
    run_wrk(url, cookie=cookie, duration=2, connections=connections)


def prepare_site(env):
    """Migrate, collect static files, and build the cookies the scenarios send."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "--clear"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from benchmarks.scenarios import build_scenarios

    return build_scenarios()


def measure_baseline(env, args):
    results = {}
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    baseline = start("benchmarks.baseline_app", env, port, args)
    try:
        wait_until_up(url, baseline)
        for connections in args.connections:
            warm_up(url, connections=connections)
            results[connections] = run_wrk(url, duration=args.duration, connections=connections)
            results[connections]["rss_mb"] = tree_rss_mb(baseline.pid)
    finally:
        baseline.terminate()
        baseline.wait()
    return results


def measure_site(env, args, scenarios):
    from benchmarks.scenarios import count_visits

    results = {connections: {} for connections in args.connections}
    port = free_port()
    site = start("centiro_site.wsgi", env, port, args)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", site)
        for connections in args.connections:
            for scenario in scenarios:
                url = f"http://127.0.0.1:{port}{scenario.path}"
                warm_up(url, cookie=scenario.cookie, connections=connections)
                before = count_visits()
                result = run_wrk(
                    url, cookie=scenario.cookie, duration=args.duration, connections=connections
                )
                result["visits_written"] = count_visits() - before
                result["rss_mb"] = tree_rss_mb(site.pid)
                results[connections][scenario.name] = result
        restart = graceful_restart(site, port, scenarios[0], args, count_visits)
        results[args.connections[-1]][f"{scenarios[0].name}, restart mid-run"] = restart
    finally:
        site.terminate()
        site.wait()
    return results


def graceful_restart(site, port, scenario, args, count_visits):
    """One page under load while the server restarts its workers gracefully (SIGHUP)."""
    url = f"http://127.0.0.1:{port}{scenario.path}"
    before = count_visits()
    restart = threading.Timer(args.duration / 2, site.send_signal, [signal.SIGHUP])
    restart.start()
    try:
        result = run_wrk(
            url, cookie=scenario.cookie, duration=args.duration, connections=args.connections[-1]
        )
    finally:
        restart.join()
    result["visits_written"] = count_visits() - before
    result["rss_mb"] = tree_rss_mb(site.pid)
    return result


def report(connections, baseline, pages):
    print(f"\n{connections} connections")
    print(
        f"{'page':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
        f"{'ratio':>8}{'visits/requests':>18}{'RSS MB':>8}"
    )
    for name, result in {"baseline": baseline, **pages}.items():
        visits = result.get("visits_written")
        visits_text = "-"
        if visits is not None:
            # wrk does not count responses still in flight when its time is up, so a few more
            # visits than requests is expected; fewer means visits were lost.
            lost = " LOST" if visits < result["requests"] else ""
            visits_text = f"{visits}/{result['requests']}{lost}"
        print(
            f"{name:<28}{result['rps']:>10.1f}{result['p50']:>10.2f}{result['p99']:>10.2f}"
            f"{result['errors']:>8}{result['rps'] / baseline['rps']:>8.2f}{visits_text:>18}"
            f"{result['rss_mb']:>8.0f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 8])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers for both")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/centiro_bench"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--server", choices=SERVERS, default="gunicorn-sync")
    parser.add_argument(
        "--pages", nargs="+", help="only the pages whose names start with these (default: all)"
    )
    args = parser.parse_args()
    print(f"{args.server}, {args.workers} workers")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    env = site_environment(args)
    ensure_database(args.database_url)
    scenarios = prepare_site(env)
    if args.pages:
        scenarios = [s for s in scenarios if s.name.startswith(tuple(args.pages))]
    baseline = measure_baseline(env, args)
    site = measure_site(env, args, scenarios)
    for connections in args.connections:
        report(connections, baseline[connections], site[connections])


if __name__ == "__main__":
    main()
