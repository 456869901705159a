"""The faults the soak injects (a worker killed, PostgreSQL and Redis restarted) and what the
traffic and the nodes' log saw in the window after each."""

import os
import re
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# A fault's errors count as the fault's if they start within this many seconds of it.
RECOVERY_WINDOW = 30
# When in the run each fault happens, as a share of its length.
SCHEDULE = {"worker": 0.2, "postgres": 0.45, "redis": 0.7}
REDIS_SERVER = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
    "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip


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


def inject(topology, names, *, started, seconds):
    """Break the topology by `names`, each at its SCHEDULE share of the run; the Faults."""
    faults = []
    for name in sorted(names, key=SCHEDULE.get):
        time.sleep(max(started + SCHEDULE[name] * seconds - time.monotonic(), 0))
        fault = Fault(name, time.monotonic(), log_path(topology).stat().st_size)
        faults.append(fault)
        fault.note = BREAK[name](topology) or ""
    return faults


def log_path(topology):
    return topology.prefix / "nodes.log"


def break_worker(topology):
    """Kill a worker of the first node, one busy with a request if one shows within 3 s."""
    workers = topology.worker_pids(0)
    deadline = time.monotonic() + 3
    busy = []
    while not busy and time.monotonic() < deadline:
        busy = [pid for pid in workers if process_state(pid) == "R"]
        time.sleep(0.005)
    os.kill((busy or workers)[0], signal.SIGKILL)
    return "killed a worker busy with a request" if busy else "killed an idle worker"


def break_postgres(_topology):
    (version,) = os.listdir("/etc/postgresql")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
    )


def break_redis(_topology):
    subprocess.run(["redis-cli", "shutdown", "nosave"], check=False)
    time.sleep(1)
    subprocess.run(REDIS_SERVER, check=True)


BREAK = {"worker": break_worker, "postgres": break_postgres, "redis": break_redis}


def close_windows(faults, outcomes, log, end):
    """Give each fault the outcomes and log lines of its window, which ends at the next fault."""
    for index, fault in enumerate(faults):
        following = faults[index + 1].started if index + 1 < len(faults) else end
        fault.window_end = min(fault.started + RECOVERY_WINDOW, following, end)
        inside = [o for o in outcomes if fault.covers(o)]
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
