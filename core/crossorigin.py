"""Header-based cross-origin protection, as Go 1.25's net/http.CrossOriginProtection.

Browsers tell the server where a request comes from: `Sec-Fetch-Site` (all current browsers)
and, on every cross-origin POST, `Origin`. An unsafe request is allowed when
`Sec-Fetch-Site` is `same-origin` or `none` (typed by the user), or, when that header is
absent, when `Origin` is this site or one of CSRF_TRUSTED_ORIGINS; any other value of either
header is a cross-origin request and gets the 403 page. Such a request needs no token, so
the pages whose forms post it carry nothing per visitor and can be cached.

When a request carries neither header (a browser from before 2020, or no browser at all),
Django's CSRF token decides, as before; views marked `protect_without_token` (the consent
forms, whose pages are cached, and signing out, whose form is in every signed-in page's header)
accept it, as Go does: a cross-site form post from a browser always carries `Origin`.
"""

from enum import Enum

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware

from core.views import permission_denied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# The site takes nothing else: no view has a use for PUT, DELETE, OPTIONS (no CORS), TRACE or an
# invented method, and some of allauth's views would answer them (a form view takes PUT as POST).
# A view narrows this further with require_GET, require_POST, require_safe.
SITE_METHODS = ("GET", "HEAD", "POST")


class Verdict(Enum):
    ALLOW = "allow"
    DENY = "deny"
    UNKNOWN = "unknown"


def verdict(request):
    """What the request's own headers say about where it comes from."""
    if request.method in SAFE_METHODS:
        return Verdict.ALLOW
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return Verdict.ALLOW if site in ("same-origin", "none") else Verdict.DENY
    origin = request.headers.get("Origin")
    if origin is None:
        return Verdict.UNKNOWN
    own = f"{request.scheme}://{request.get_host()}"
    if origin == own or origin in settings.CSRF_TRUSTED_ORIGINS:
        return Verdict.ALLOW
    return Verdict.DENY


def protect_without_token(view):
    """Mark a view whose form posts carry no CSRF token: the headers alone protect it."""
    view.csrf_exempt = True
    view.cross_origin_protected = True
    return view


class CrossOriginProtectionMiddleware(CsrfViewMiddleware):
    """Django's CSRF middleware (in its place in MIDDLEWARE), asked only when the headers are
    silent: a request they vouch for skips the token check, one they refuse gets the 403 page.

    A method the site never takes gets 405 here, before any view.

    Views that are `csrf_exempt` without `protect_without_token` (the one-click unsubscribe a
    mail provider posts, RFC 8058) are left alone.
    """

    def process_view(self, request, view, args, kwargs):
        if request.method not in SITE_METHODS:
            return HttpResponseNotAllowed(SITE_METHODS)
        if request.method in SAFE_METHODS:
            return super().process_view(request, view, args, kwargs)
        protected = getattr(view, "cross_origin_protected", False)
        if getattr(view, "csrf_exempt", False) and not protected:
            return None
        found = verdict(request)
        if found is Verdict.DENY:
            return permission_denied(request, None)
        if found is Verdict.ALLOW:
            return None
        return super().process_view(request, view, args, kwargs)
