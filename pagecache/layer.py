"""The page cache's one layer: the WSGI application gunicorn serves (centiro_site/wsgi.py).

A GET or HEAD without a session cookie for a view marked `@cacheable`, with no query parameter
the page does not read, is looked up here, once, before Django's handler. A hit is answered here:
what is stored is what Django sent on the miss that stored it, headers included (security
headers, CSP, `Vary`, …) but the request id; what differs per request is added by the same code
as on Django's path: the request id, what the apps registered (`store.register(on_hit=…)`: the
visit with its visitor id cookie, the deletion of a leftover visitor id) and the metrics. A miss
goes to Django with its environ untouched, and what Django answers is stored under the key
already computed when `store.storable()` allows. A hit skips Django's handler, its signals and
its middleware (instructions per hit: docs/performance.md).

From either path, the answer to a HEAD request has no body.
"""

import functools
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest, get_path_info
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation

from core import metrics
from core.middleware import tagged
from pagecache import store


@functools.lru_cache(maxsize=1000)  # bounded: paths come from the request
def _cacheable_view(path_info):
    """(language, URL match, the view's `Cacheable`) of a cacheable page, else None.

    The language is the path's (unprefixed paths are in the default language), as
    LocaleMiddleware decides it under i18n_patterns(prefix_default_language=False)."""
    language = translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path_info)
        except Resolver404:
            return None
    declared = getattr(match.func, "page_cache", None)
    return (language, match, declared) if declared is not None else None


def _lookup(environ):
    """(request, language, key) for a request the cache may answer, else None."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    found = _cacheable_view(get_path_info(environ))
    if found is None:
        return None
    language, match, declared = found
    if not store.known_query(environ.get("QUERY_STRING", ""), declared.params):
        return None
    # A copy: WSGIRequest writes the decoded path into the environ it is given, and Django's
    # handler must get the environ as the server sent it (a path outside Latin-1 fails there).
    request = WSGIRequest(environ.copy())
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return None
    request.resolver_match = match
    with translation.override(language):
        if declared.when is not None and not declared.when(request):
            return None
        try:
            return request, language, store.key_for(request, language)
        except DisallowedHost:
            return None


class PageCache:
    """WSGI middleware: answer page cache hits, store what Django answers to a miss."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        head = environ.get("REQUEST_METHOD") == "HEAD"
        found = _lookup(environ)
        entry = store.get(found[2]) if found else None
        if entry is None:
            body = self.application(environ, start_response)
            if found and isinstance(body, HttpResponse) and _storable(environ, body):
                headers = [(k, v) for k, v in body.items() if k != "X-Request-ID"]
                store.put(found[2], (body.status_code, headers, body.content))
            if head:
                body.close()
                return []
            return body
        request, language, _key = found
        status, headers, content = entry
        # What the hooks read (status, type, body); the stored headers, checked by Django when
        # they were first sent, are sent as they are: building a response from them costs 10 %.
        content_type = next(value for name, value in headers if name == "Content-Type")
        response = HttpResponse(content, status=status, content_type=content_type)
        with translation.override(language), tagged(request) as request_id:
            store.on_hit(request, response)
        response["X-Request-ID"] = request_id
        metrics.observe(request, response, started)
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [
                *headers,
                *((name, value) for name, value in response.items() if name != "Content-Type"),
                *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
            ],
        )
        return [] if head else [content]


def _storable(environ, response):
    # Django's CSRF middleware marks a render that used the token in the request's META, which
    # is this environ.
    return not environ.get("CSRF_COOKIE_NEEDS_UPDATE") and store.storable(
        response, response.cookies
    )
