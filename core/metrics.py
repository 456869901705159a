"""Prometheus metrics: what an operator scrapes from each app node.

Label values come only from closed sets (URL names, status codes, methods, the names below),
never from paths, addresses or anything a visitor typed, so the number of series stays bounded
and no label carries personal data.

Under gunicorn each worker is its own process. With PROMETHEUS_MULTIPROC_DIR set (the systemd
unit sets it), every worker writes its counters to files in that directory and a scrape adds
up all workers' files; without it a scrape would show the one worker that answered it.
"""

import os
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from core.net import client_ip

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
UNRESOLVED = "unresolved"
DATABASE_ERROR_SOURCES = {"request", "healthz", "metrics"}

requests = Counter(
    "centiro_requests",
    "Requests answered, by URL name, method and status code.",
    ["view", "method", "status"],
)
latency = Histogram(
    "centiro_request_duration_seconds",
    "Time to answer a request, by URL name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
# The database failing: Django's InterfaceError (a connection closed under the worker) is no
# DatabaseError, but the same outage to the page and the counter.
DATABASE_FAILURES = (DatabaseError, InterfaceError)
database_errors = Counter(
    "centiro_database_errors",
    "Database errors, by where they happened (request: a page that failed with 503).",
    ["source"],
)
cache_errors = Counter(
    "centiro_cache_errors",
    "Redis operations answered by the per-process fallback cache, by operation.",
    ["operation"],
)
visits = Counter(
    "centiro_visits",
    "Page views for the statistics: recorded, or lost because the database refused them.",
    ["outcome"],
)
consent_choices = Counter(
    "centiro_consent_choices",
    "Cookie consent choices recorded, by kind (accept_all, necessary_only, custom, withdraw).",
    ["kind"],
)
rate_limit_rejections = Counter(
    "centiro_rate_limit_rejections",
    "Requests refused by a rate limit, by scope.",
    ["scope"],
)
mail_failures = Counter(
    "centiro_mail_send_failures",
    "Mails the mail server did not accept.",
)


def view_label(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else UNRESOLVED


class MetricsMiddleware:
    """Count and time every request. First in MIDDLEWARE, so it sees every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        observe(request, response, started)
        return response


def observe(request, response, started):
    """Count and time one answer (also a page cache hit, which no middleware sees)."""
    view = view_label(request)
    method = request.method if request.method in METHODS else "other"
    requests.labels(view, method, str(response.status_code)).inc()
    latency.labels(view).observe(time.perf_counter() - started)


def _count_database_error(sender, request=None, **kwargs):
    if isinstance(sys.exc_info()[1], DATABASE_FAILURES):
        database_errors.labels("request").inc()


got_request_exception.connect(_count_database_error, dispatch_uid="centiro_metrics_database")


# Collectors that read an app's tables at scrape time; each app registers its own in ready().
_scrape_collectors = []


def register_scrape_collector(collector):
    _scrape_collectors.append(collector)


def _registry_output():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
    else:
        workers = REGISTRY
    scrape = CollectorRegistry()
    for collector in _scrape_collectors:
        scrape.register(collector)
    return generate_latest(workers) + generate_latest(scrape)


@never_cache
@require_safe
def metrics(request):
    """Served only to METRICS_ALLOWED_IPS; nginx refuses /metrics too (deploy/nginx)."""
    if client_ip(request) not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return HttpResponse(_registry_output(), content_type=CONTENT_TYPE_LATEST)
