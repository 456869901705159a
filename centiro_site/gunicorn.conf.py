"""gunicorn settings. Environment variables override the defaults."""

import os
import signal

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
# No max_requests: restarting a worker every few thousand requests re-imports Django, which at
# full load means a restart every ~25 s and p99 spikes past a second (issue 17).
# Trust X-Forwarded-* only from the proxy on this host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
# No client address, user agent, referrer or query string: only the path
# (%(U)s), status, size, duration and the request id Django answered with.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

# Prometheus: with PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there
# and /metrics adds up every worker's (core/metrics.py). Files left by the previous
# run would add old counts, and a dead worker's live gauges must be dropped.
metrics_directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    if metrics_directory:
        os.makedirs(metrics_directory, exist_ok=True)
        for name in os.listdir(metrics_directory):
            if name.endswith(".db"):
                os.remove(os.path.join(metrics_directory, name))


def child_exit(server, worker):
    if metrics_directory:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid, metrics_directory)


# Rolling restart (`systemctl reload`, core/rolling_restart.py): each SIGTTIN starts one
# worker more than configured; once that worker has loaded the application it asks the master
# (SIGTTOU) to stop the oldest worker gracefully. A SIGHUP stops every old worker at once, before
# the new ones have imported Django, and requests wait seconds for a worker (issue 17).
def pre_fork(server, worker):
    worker.replaces_oldest = (
        server.num_workers > server.cfg.workers and len(server.WORKERS) >= server.cfg.workers
    )


def post_worker_init(worker):
    if worker.replaces_oldest:
        worker.log.info("Worker %s ready: retiring the oldest worker", worker.pid)
        os.kill(worker.ppid, signal.SIGTTOU)
