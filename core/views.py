import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import metrics
from core.sessions import SessionWriteFailed

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except metrics.DATABASE_FAILURES:
        metrics.database_errors.labels("healthz").inc()
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def _error_page(template, status, context=None):
    """Render an error page that needs nothing from the database."""
    return HttpResponse(
        render_to_string(template, {"error_page": True, **(context or {})}), status=status
    )


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large(request)
    return _error_page("400.html", 400)


def payload_too_large(request):
    return _error_page("413.html", 413)


def permission_denied(request, exception):
    return _error_page("403.html", 403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Called inside the `except` that caught the view's exception, so the
    # exception is still in sys.exc_info(). A database outage is not a bug in
    # the page: answer 503 and let clients and load balancers retry.
    error = sys.exc_info()[1]
    if isinstance(error, metrics.DATABASE_FAILURES):
        # Only the session write failed: the view had answered, and what a form sent may
        # have been saved by it (a safe request sent nothing to save).
        after_view = isinstance(error, SessionWriteFailed) and request.method not in (
            "GET",
            "HEAD",
            "OPTIONS",
        )
        response = _error_page("503.html", 503, {"after_view": after_view})
        response["Retry-After"] = "30"
        return response
    return _error_page("500.html", 500)
