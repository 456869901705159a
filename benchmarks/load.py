"""Load benchmark: the site under gunicorn with production settings against a bare-Django baseline.

`make bench` runs it. Both servers run on 127.0.0.1 with the same gunicorn settings; wrk drives
each page at the same numbers of connections (32, then 8) for the same time, each right after
the baseline for the same time, so a page's ratio compares two runs seconds apart even on a
shared machine. The script prints, per number of connections, requests/s, p50/p99 latency,
errors and visits recorded per page, and each page's ratio to the baseline run just before it.
The site runs on PostgreSQL and Redis (the services on this machine), never on SQLite.
"""

import argparse
import os
import shutil
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.servers import (
    SERVERS,
    ensure_database,
    free_port,
    migrate_and_collect,
    site_environment,
    start,
    tree_rss_mb,
    wait_until_up,
)
from benchmarks.wrk import run_wrk, warm_up


def prepare_site(env):
    """Migrate, collect static files, and build the cookies the scenarios send."""
    migrate_and_collect(env)
    os.environ.update(env)
    import django

    django.setup()
    from benchmarks.scenarios import build_scenarios

    return build_scenarios()


def measure(env, args, scenarios):
    """Each page right after the baseline, both servers up throughout."""
    from benchmarks.scenarios import count_visits

    results = {connections: {} for connections in args.connections}
    baselines = {connections: [] for connections in args.connections}
    base_port, site_port = free_port(), free_port()
    baseline = start("benchmarks.baseline_app", env, base_port, args)
    site = start("centiro_site.wsgi", env, site_port, args)
    base_url = f"http://127.0.0.1:{base_port}/"
    try:
        wait_until_up(base_url, baseline)
        wait_until_up(f"http://127.0.0.1:{site_port}/healthz", site)
        # Whichever page came first measured 0.1-0.2 lower than when it came last (home without a
        # choice: 0.44-0.54 first, 0.60-0.65 last, 3 December): fresh workers are not yet in
        # their steady state after one page's warm-up. So every page is served for a while first.
        for scenario in scenarios:
            warm_up(f"http://127.0.0.1:{site_port}{scenario.path}", cookie=scenario.cookie)
        for connections in args.connections:
            for scenario in scenarios:
                url = f"http://127.0.0.1:{site_port}{scenario.path}"
                warm_up(base_url, connections=connections)
                warm_up(url, cookie=scenario.cookie, connections=connections)
                base = run_wrk(base_url, duration=args.duration, connections=connections)
                baselines[connections].append(base)
                before = count_visits()
                result = run_wrk(
                    url, cookie=scenario.cookie, duration=args.duration, connections=connections
                )
                result["visits_written"] = count_visits() - before
                result["rss_mb"] = tree_rss_mb(site.pid)
                result["baseline_rps"] = base["rps"]
                results[connections][scenario.name] = result
        last = args.connections[-1]
        base = run_wrk(base_url, duration=args.duration, connections=last)
        restart = graceful_restart(site, site_port, scenarios[0], args, count_visits)
        restart["baseline_rps"] = base["rps"]
        results[last][f"{scenarios[0].name}, restart mid-run"] = restart
        for connections in args.connections:
            rss = tree_rss_mb(baseline.pid)
            results[connections] = {
                "baseline": summary(baselines[connections], rss),
                **results[connections],
            }
    finally:
        for process in (site, baseline):
            process.terminate()
            process.wait()
    return results


def summary(runs, rss_mb):
    """The baseline row: the median of its runs."""
    return {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50", "p99")} | {
        "errors": sum(run["errors"] for run in runs),
        "rss_mb": rss_mb,
    }


def graceful_restart(site, port, scenario, args, count_visits):
    """One page under load while the workers are replaced as `systemctl reload` does it.

    granian has no rolling restart: it gets its own graceful reload, SIGHUP.
    """
    from core.rolling_restart import restart as rolling_restart

    url = f"http://127.0.0.1:{port}{scenario.path}"
    before = count_visits()
    failures, took = [], []

    def restart():
        started = time.monotonic()
        if args.server == "granian":
            site.send_signal(signal.SIGHUP)
            return
        try:
            rolling_restart(site.pid, report=lambda _: None)
        except (RuntimeError, TimeoutError) as error:
            failures.append(error)
        took.append(time.monotonic() - started)

    # One second in, so that the workers are replaced one by one well within the run.
    restarting = threading.Timer(1, restart)
    restarting.start()
    try:
        # Twice as long as the other rows: replacing four workers one by one under load takes
        # about as long as one row.
        result = run_wrk(
            url,
            cookie=scenario.cookie,
            duration=2 * args.duration,
            connections=args.connections[-1],
        )
    finally:
        restarting.join()
    if failures:
        raise failures[0]
    if took:
        print(f"rolling restart: every worker replaced in {took[0]:.1f} s of {2 * args.duration} s")
    result["visits_written"] = count_visits() - before
    result["rss_mb"] = tree_rss_mb(site.pid)
    return result


def report(connections, pages):
    print(f"\n{connections} connections")
    print(
        f"{'page':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
        f"{'ratio':>8}{'visits/requests':>18}{'RSS MB':>8}"
    )
    for name, result in pages.items():
        visits = result.get("visits_written")
        visits_text = "-"
        if visits is not None:
            # wrk does not count responses still in flight when its time is up, so a few more
            # visits than requests is expected; fewer means visits were lost.
            lost = " LOST" if visits < result["requests"] else ""
            visits_text = f"{visits}/{result['requests']}{lost}"
        ratio = result["rps"] / result.get("baseline_rps", result["rps"])
        print(
            f"{name:<28}{result['rps']:>10.1f}{result['p50']:>10.2f}{result['p99']:>10.2f}"
            f"{result['errors']:>8}{ratio:>8.2f}{visits_text:>18}{result['rss_mb']:>8.0f}"
        )
    print("(ratio: to the baseline run just before the page; baseline row: median of those runs)")


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
    results = measure(env, args, scenarios)
    for connections in args.connections:
        report(connections, results[connections])


if __name__ == "__main__":
    main()
