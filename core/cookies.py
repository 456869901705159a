"""Cookies: each declared once by the app that owns it, and set and deleted only from that.

An app describes its cookie as a `Cookie`, registers it with `declare()` in its `ready()` and
sets and deletes it through `set_cookie()` and `delete_cookie()`, which read the declaration:
never for longer than its `max_age`, with its `same_site` and `http_only`, and `Secure` from the
one setting that decides it for Django's own cookies (`SESSION_COOKIE_SECURE`). The consent app
shows the declaration on the cookie settings page and keeps its texts as proof: their hash is
the revision a visitor consents under, so a changed text or order asks every visitor again.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# The categories a cookie belongs to; the consent app names and explains them.
NECESSARY = "necessary"
STATISTICS = "statistics"


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    purpose: str
    data: str
    lifetime: str
    # The longest the site ever sets it for; None means until the browser closes.
    max_age: timedelta | None
    # Where the cookie settings page and the consent texts list it: part of the revision.
    position: int
    party: str = _("Förstapart (Centiro)")
    same_site: str = "Lax"
    http_only: bool = True


REGISTRY = {}


def declare(cookie):
    """Add `cookie` to the declaration; called from its owner app's `ready()`."""
    for other in REGISTRY.values():
        if cookie.name == other.name or cookie.position == other.position:
            raise ImproperlyConfigured(f"Cookies {cookie.name} and {other.name} collide.")
    REGISTRY[cookie.name] = cookie


def declaration():
    """Every declared cookie, in the order visitors are shown them."""
    if not apps.ready:
        # A declaration read before every app's ready() ran would miss cookies, and its
        # revision would ask visitors again for nothing.
        raise AppRegistryNotReady("Cookies are declared in ready(); read them after it.")
    return tuple(sorted(REGISTRY.values(), key=lambda cookie: cookie.position))


def declared(name):
    """The declared cookie called `name`, or None."""
    return REGISTRY.get(name)


def set_cookie(response, cookie, value, max_age=None):
    """Set `cookie` on `response` for `max_age` (a timedelta), at most its declared max_age."""
    if REGISTRY.get(cookie.name) != cookie:
        raise ImproperlyConfigured(f"Cookie {cookie.name} is not declared.")
    if max_age is None or (cookie.max_age is not None and max_age > cookie.max_age):
        max_age = cookie.max_age
    response.set_cookie(
        cookie.name,
        value,
        max_age=None if max_age is None else max(int(max_age.total_seconds()), 0),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=cookie.http_only,
        samesite=cookie.same_site,
    )


def delete_cookie(response, cookie):
    response.delete_cookie(cookie.name, samesite=cookie.same_site)


# Django sets these two itself, from the settings read here: the session (core/sessions.py is
# its engine) and the CSRF token (core/crossorigin.py checks requests beside it) belong to no
# single app, since every app's pages sign in and post forms.
SESSION_COOKIE = Cookie(
    name=settings.SESSION_COOKIE_NAME,
    category=NECESSARY,
    purpose=_("Håller dig inloggad och bär tillfälliga meddelanden mellan sidor."),
    data=_("Ett slumpmässigt sessions-id; uppgifterna finns bara på vår server."),
    lifetime=_("Högst 2 veckor; tills du stänger webbläsaren om du inte väljer ”Kom ihåg mig”"),
    max_age=timedelta(seconds=settings.SESSION_COOKIE_AGE),
    position=20,
    same_site=settings.SESSION_COOKIE_SAMESITE,
    http_only=settings.SESSION_COOKIE_HTTPONLY,
)
CSRF_COOKIE = Cookie(
    name=settings.CSRF_COOKIE_NAME,
    category=NECESSARY,
    purpose=_("Skyddar formulären mot förfalskade anrop från andra webbplatser (CSRF)."),
    data=_("En slumpmässig säkerhetsnyckel."),
    lifetime=_("1 år"),
    max_age=timedelta(seconds=settings.CSRF_COOKIE_AGE),
    position=30,
    same_site=settings.CSRF_COOKIE_SAMESITE,
    http_only=settings.CSRF_COOKIE_HTTPONLY,
)
