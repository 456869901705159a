"""Middleware shared by all apps: request ids for logs and headers Django lacks."""

import contextlib
import contextvars
import logging
import re
import uuid

from csp.utils import build_policy
from django.conf import settings

_request_id = contextvars.ContextVar("request_id", default="-")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class ClientErrorFilter(logging.Filter):
    """Log a client's malformed or oversized request as one WARNING line, without a traceback.

    Django logs these at ERROR with the traceback; anyone could flood the error log with them.
    """

    def filter(self, record):
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        record.exc_info = None
        record.exc_text = None
        return True


class RequestIdMiddleware:
    """Tag every log line and response with a request id.

    A proxy's `X-Request-ID` is reused when it looks like an id, so logs can be
    followed across the proxy and the app; anything else gets a fresh one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with tagged(request) as request_id:
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@contextlib.contextmanager
def tagged(request):
    """The request's id, in every log line written meanwhile (also for a page cache hit)."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    token = _request_id.set(request_id)
    try:
        yield request_id
    finally:
        _request_id.reset(token)


class SecurityHeadersMiddleware:
    """Permissions-Policy and the cross-origin isolation headers.

    The site loads nothing from other origins, so pages can require CORP from
    everything they embed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("Cross-Origin-Embedder-Policy", "require-corp")
        return response


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy header from settings, built once per process.

    django-csp's middleware rebuilds the same string on every response (2-3 % of a
    page); the site uses no nonces and no per-view policies, so the header never
    changes between responses.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        # As django-csp: Django's debug pages need their inline styles.
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
