"""Recording page views: the hot path, one line appended to the visit spool per view."""

import contextlib
import functools
import ipaddress
import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.http.request import split_domain_port
from django.utils import timezone, translation

from consent import state as consent
from consent.cookies import STATISTICS
from core import metrics
from core.net import client_ip
from visits import spool, useragents, visitor_cookie
from visits.models import INVALID, Visit, VisitorLink

logger = logging.getLogger(__name__)

PATH_LENGTH = Visit._meta.get_field("path").max_length
FAMILY_LENGTH = Visit._meta.get_field("browser").max_length
# A host name in ASCII (IDNA) form: dot-separated labels of letters, digits and inner hyphens.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"(?=.{{1,253}}\Z)(?:{_LABEL}\.)*{_LABEL}\Z")
# ua-parser fills some families from the user agent's own text: keep only plain names.
_FAMILY = re.compile(rf"[A-Za-z0-9][A-Za-z0-9 ._()/-]{{0,{FAMILY_LENGTH - 1}}}\Z")
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
# Session key remembering which visitor id is already linked to the signed-in
# user (and under which opt-in), so linking costs a query once, not per page.
LINKED_SESSION_KEY = "visits_linked"


def has_session(request):
    """True when the request carries a session cookie.

    Looking at request.user costs a session query; without a session cookie the
    visitor is anonymous for certain, and we skip that query.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_recordable(request, response):
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.streaming:
        return False
    path = request.path_info
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
        # An unset MEDIA_URL reads as "/" (the script prefix): that excludes nothing.
        if prefix and prefix != "/" and path.startswith(prefix):
            return False
    match = request.resolver_match
    if match is None or match.url_name == "healthz":
        return False
    # A visitor looking at their own visits ("Dina besök") is not a page view to count.
    if "admin" in match.namespaces or "own_visits" in match.namespaces:
        return False
    return not (has_session(request) and request.user.is_staff)


def build_visit(request):
    """The page view for this request (a spool.PageView), or None for a bot. Nothing is saved."""
    agent = useragents.classify(
        request.META.get("HTTP_USER_AGENT", ""),
        mobile_hint=request.META.get("HTTP_SEC_CH_UA_MOBILE", "").strip() == "?1",
    )
    if agent.is_bot:
        return None
    return spool.PageView(
        time=timezone.now(),
        host=request_host(request),
        path=request.path[:PATH_LENGTH],
        referrer_host=referrer_host(request.META.get("HTTP_REFERER", "")),
        browser=family(agent.browser),
        os=family(agent.os),
        device=agent.device,
        language=language(translation.get_language()),
    )


def identify(request, response, visit):
    """With statistics consent, put the visitor id and network on the visit.

    A new visitor gets a random id cookie that never outlives the consent.
    Without consent nothing is added and no cookie is set (VisitMiddleware
    deletes a leftover one).
    """
    state = consent.get(request)
    if not state.allows(STATISTICS):
        return
    visitor_id = visitor_cookie.read(request)
    if visitor_id is None:
        visitor_id = visitor_cookie.issue(request, response)
    visit.visitor_id = visitor_id
    visit.network = truncated_network(client_ip(request))


def link_to_user(request, visitor_id):
    """Link the visitor id to the signed-in user who opted in to linking.

    Costs one INSERT (ignored if the link exists) and a session save the first
    time a user is seen with a visitor id under the current opt-in; later page
    views only compare a session value.
    """
    if visitor_id is None or not has_session(request):
        return
    user = request.user
    if not user.is_authenticated or user.visit_link_consented_at is None:
        return
    marker = f"{visitor_id.hex}@{user.visit_link_consented_at.isoformat()}"
    if request.session.get(LINKED_SESSION_KEY) == marker:
        return
    try:
        VisitorLink.objects.bulk_create(
            [VisitorLink(user=user, visitor_id=visitor_id, since=timezone.now())],
            ignore_conflicts=True,
        )
    except DatabaseError:
        logger.exception("Could not link a visitor id")
        return
    request.session[LINKED_SESSION_KEY] = marker


def save(visit):
    """Spool the visit; `manage.py drain_visits` inserts it (visits/spool.py)."""
    try:
        spool.append(visit)
    except OSError:
        # Statistics must never cost a visitor their page.
        metrics.visits.labels("lost").inc()
        logger.exception("Could not spool a page visit")
    else:
        metrics.visits.labels("recorded").inc()


def request_host(request):
    domain, _port = split_domain_port(request.get_host())
    return host_name(domain.strip("[]"))


def referrer_host(referrer):
    if not referrer.isascii():
        # Headers arrive decoded as Latin-1 (PEP 3333): a UTF-8 name is recovered first.
        with contextlib.suppress(UnicodeError):
            referrer = referrer.encode("latin-1").decode()
    try:
        host = urlsplit(referrer).hostname or ""
    except ValueError:
        return INVALID
    return host_name(host)


def host_name(host):
    """`host` as a valid host name in IDNA form or an IP address, "" if empty, else INVALID."""
    if not host:
        return ""
    # An IDNA form is never shorter than its Unicode form; longer ones are not worth caching.
    if len(host) > 254:
        return INVALID
    return _host_name(host)


# Hosts repeat (search engines, the site itself), and IDNA and IP parsing are not cheap.
@functools.lru_cache(maxsize=2048)
def _host_name(host):
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return INVALID
    host = host.lower().removesuffix(".")
    if _HOST_NAME.match(host):
        return host
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return INVALID


def family(name):
    """A browser or OS family as ua-parser names it, or INVALID if it is not a plain name."""
    if not name or _FAMILY.match(name):
        return name
    return INVALID


def language(code):
    return code if code in LANGUAGES else ""


# A visitor sends many requests from one address; parsing it costs more than the rest of
# recording a visit with a visitor id. Bounded, as addresses come from the request.
@functools.lru_cache(maxsize=4096)
def truncated_network(address):
    """The /24 (IPv4) or /48 (IPv6) network of an address, or None if it is not one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)
