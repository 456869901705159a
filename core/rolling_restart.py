"""Restart gunicorn's workers one at a time, each after its replacement has loaded the code.

`systemctl reload centiro` runs `python -m core.rolling_restart $MAINPID`
(deploy/systemd/centiro.service). For each worker running when it starts, it sends the master
one SIGTTIN; the extra worker loads the application from disk (new code, templates and
translations) and, once ready, has the master stop the oldest worker gracefully (the hooks in
centiro_site/gunicorn.conf.py). It waits for that before the next one, so at every moment the
configured number of workers is ready and at most one more is loading. It imports nothing of
Django: it only signals and watches processes.

A SIGHUP (`kill -HUP`) still reloads gunicorn.conf.py itself, but stops every worker before the
new ones can answer: requests wait for seconds (README, "Load benchmark").
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path


def workers(master_pid):
    """The master's child processes (it forks them from its main thread)."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    except FileNotFoundError:
        raise RuntimeError(f"the gunicorn master {master_pid} is not running") from None
    return {int(pid) for pid in children.split()}


def _wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout} s")
        time.sleep(0.05)


def restart(master_pid, *, timeout=60, report=print):
    """Replace every current worker of `master_pid`; returns the old workers' pids."""
    old = workers(master_pid)
    for done in range(1, len(old) + 1):
        remaining = workers(master_pid) & old
        os.kill(master_pid, signal.SIGTTIN)
        _wait(
            lambda remaining=remaining: len(workers(master_pid) & old) < len(remaining),
            timeout,
            "no new worker became ready and retired an old one",
        )
        report(f"{done}/{len(old)} workers replaced")
    _wait(
        lambda: len(workers(master_pid)) == len(old),
        timeout,
        f"the master did not settle at {len(old)} workers",
    )
    return old


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("master_pid", type=int, help="the gunicorn master's process id")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per worker")
    args = parser.parse_args()
    try:
        restart(args.master_pid, timeout=args.timeout)
    except (RuntimeError, TimeoutError) as error:
        sys.exit(f"rolling restart failed: {error}")


if __name__ == "__main__":
    main()
