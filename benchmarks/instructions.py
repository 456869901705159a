"""Instructions per request, counted by callgrind: each bench page against the baseline.

Timing on a shared 2-core machine moves by 10-15 % between runs; valgrind's callgrind counts the
instructions a process executes, which are the same on every run for the same code and input,
whatever else the machine is doing. So a change to the hot path can be measured to a fraction of
a per cent, one commit against the next.

Each page of the load benchmark (benchmarks/scenarios.py, with the same cookies) is requested
in-process through the site's WSGI application (centiro_site/wsgi.py, the page cache's layer
included) with production settings on PostgreSQL and Redis: once after a short warm-up only and
once with `--requests` more, each in a process of its own under callgrind. The difference divided by
`--requests` is one request's cost, free of start-up. The baseline application
(benchmarks/baseline_app.py) is counted the same way. No server and no network: what gunicorn and
the kernel add to every request, the same for both, is not in these figures, so their ratios are
lower than `make bench`'s. Needs Debian's valgrind; about a minute per process, two at a time.
"""

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from benchmarks.servers import ensure_database, migrate_and_collect, site_environment  # noqa: E402

BASELINE = "baseline"
WARM_UP = 50
COLLECTED = re.compile(r"Collected : (\d+)")


def environ(path, cookie, user_agent):
    headers = {"HTTP_COOKIE": cookie} if cookie else {}
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": user_agent,
        "HTTP_ACCEPT_LANGUAGE": "sv-SE,sv;q=0.9,en;q=0.8",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        **headers,
    }


def serve(page, count):
    """In the counted process: request the page WARM_UP + `count` times; each must answer 200.

    The path and cookie come from the parent, which built them once (the consent form is
    rate-limited, and a visitor's cookies are the same on every request anyway).
    """
    from benchmarks.wrk import USER_AGENT

    if page == BASELINE:
        from benchmarks.baseline_app import application
    else:
        from centiro_site.wsgi import application
    path, cookie = os.environ["INSTRUCTIONS_PATH"], os.environ["INSTRUCTIONS_COOKIE"]
    statuses = []

    def start_response(status, headers):
        statuses.append(status)

    for _ in range(WARM_UP + count):
        b"".join(application(environ(path, cookie, USER_AGENT), start_response))
    if any(not status.startswith("200") for status in statuses):
        sys.exit(f"{page}: answered {sorted(set(statuses))}")


def instructions(scenario, count, env):
    """What a process serving `scenario` WARM_UP + `count` times executed, set-up included."""
    page = scenario.name
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--serve",
            page,
            "--requests",
            str(count),
        ],
        cwd=BASE_DIR,
        env={
            **env,
            "PYTHONHASHSEED": "0",
            "INSTRUCTIONS_PATH": scenario.path,
            "INSTRUCTIONS_COOKIE": scenario.cookie,
        },
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"{page}: {result.stderr[-2000:]}")
    return int(COLLECTED.search(result.stderr).group(1))


def per_request(scenario, count, env):
    return (instructions(scenario, count, env) - instructions(scenario, 0, env)) / count


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="requests counted per page")
    parser.add_argument(
        "--pages", nargs="+", help="only the pages whose names start with these (default: all)"
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/centiro_bench"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.requests)
        return
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing: apt-get install -y valgrind")

    env = site_environment(argparse.Namespace(**vars(args), workers=1))
    ensure_database(args.database_url)
    migrate_and_collect(env)
    os.environ.update(env)
    import django

    django.setup()
    from benchmarks.scenarios import Scenario, build_scenarios

    scenarios = [Scenario(BASELINE, "/"), *build_scenarios()]
    if args.pages:
        scenarios = [s for s in scenarios if s.name.startswith((BASELINE, *args.pages))]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = pool.map(lambda s: per_request(s, args.requests, env), scenarios)
            counts = dict(zip([s.name for s in scenarios], results, strict=True))
    finally:
        shutil.rmtree(env["VISIT_SPOOL_DIR"], ignore_errors=True)
    print(f"{'page':<28}{'instructions/request':>22}{'ratio':>8}")
    for page, count in counts.items():
        print(f"{page:<28}{count:>22,.0f}{counts[BASELINE] / count:>8.2f}")
    print("(ratio: the baseline's instructions per request divided by the page's)")


if __name__ == "__main__":
    main()
