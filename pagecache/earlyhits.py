"""Page cache hits answered before Django's handler: the WSGI application (centiro_site/wsgi.py).

A GET or HEAD without a session cookie first goes through a short chain of the site's own
middleware instances around `pagecache.hit()`: every entry of MIDDLEWARE except those listed in
`SKIPPED`, which do nothing for a request that a hit answers. A hit is answered from that
chain, so the request id, the security headers and CSP, `Vary`, the visit with its visitor id
cookie, the deletion of a leftover visitor id and the metrics are added by the same code as on
Django's path, and the answer is the same (tests/test_earlyhits.py compares them).
A miss unwinds the chain before any middleware sees a response and goes to Django's handler
with the request untouched. A hit skips Django's handler, its signals, URL resolution and the
middleware below: about half of what a hit cost inside Django (README, "Load benchmark").
"""

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.urls import set_script_prefix
from django.utils.module_loading import import_string

from pagecache import store as pagecache

# Why each of these has nothing to do for a request answered from the page cache.
SKIPPED = {
    # A cached page is never a static file.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Only requests without a session cookie come here, and nothing on a hit reads the session.
    "core.sessions.SessionMiddleware",
    # These three act on the view (process_view), which a hit never reaches; the CSRF cookie is
    # only set after a view used the token.
    "core.requestbody.RequestBodyLimitMiddleware",
    "core.crossorigin.CrossOriginProtectionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Without a session the visitor is anonymous, and nothing on a hit reads request.user.
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Messages live in the session.
    "django.contrib.messages.middleware.MessageMiddleware",
    # allauth's acts on a 404 and on exceptions raised by views.
    "allauth.account.middleware.AccountMiddleware",
    # Its lookup is the heart of this chain.
    "pagecache.store.PageCacheMiddleware",
}


class _Miss(BaseException):
    """Unwinds the chain on a miss. Not an Exception, so that Django's per-middleware
    conversion of exceptions into error pages lets it through."""


def _answer_hit(request):
    response = pagecache.hit(request)
    if response is None:
        raise _Miss
    return response


def build_chain(middleware):
    """The middleware in `middleware` that a hit needs, around the page cache's lookup, wrapped
    as Django's handler wraps them (an exception becomes the site's error page)."""
    handler = convert_exception_to_response(_answer_hit)
    for path in reversed([path for path in middleware if path not in SKIPPED]):
        handler = convert_exception_to_response(import_string(path)(handler))
    return handler


class EarlyHits:
    """WSGI middleware: answer page cache hits, hand everything else to `application`."""

    def __init__(self, application):
        self.application = application
        self.chain = build_chain(settings.MIDDLEWARE)

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            request = WSGIRequest(environ)
            if settings.SESSION_COOKIE_NAME not in request.COOKIES:
                set_script_prefix(get_script_name(environ))
                try:
                    response = self.chain(request)
                except _Miss:
                    pass
                else:
                    return _send(response, start_response)
        return self.application(environ, start_response)


def _send(response, start_response):
    """As Django's WSGIHandler sends a response (nothing this chain answers is streamed)."""
    status = f"{response.status_code} {response.reason_phrase}"
    headers = [
        *response.items(),
        *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
    ]
    start_response(status, headers)
    return [response.content]
