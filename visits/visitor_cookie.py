"""The visitor id cookie (`centiro_vid`): the one place it is read, set and deleted.

Set only with statistics consent and never for longer than the consent; deleted when consent
is gone (withdrawn, expired, a new cookie declaration); replaced by a fresh id when its visitor
erases their visits and keeps consenting.
"""

import uuid
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consent import state as consent
from core.cookies import STATISTICS, Cookie, delete_cookie, set_cookie

VISITOR_COOKIE = Cookie(
    name="centiro_vid",
    category=STATISTICS,
    purpose=_("Räknar hur många olika besökare som läser våra sidor."),
    data=_("Ett slumpmässigt besökar-id, utan koppling till ditt namn eller konto."),
    lifetime=_("Så länge ditt samtycke gäller, högst 12 månader"),
    max_age=timedelta(days=366),
    position=60,
)
# How much of an id pages show: enough to tell two ids apart, too little to act as one.
SHOWN_DIGITS = 8


def read(request):
    """The visitor id the browser sent, or None when there is none or it is not one of ours."""
    value = request.COOKIES.get(VISITOR_COOKIE.name, "")
    if len(value) != 32:
        return None
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


def issue(request, response):
    """Set a new random id on the response and return it; the caller checked consent."""
    visitor_id = uuid.uuid4()
    expires_at = consent.get(request).expires_at
    max_age = None if expires_at is None else expires_at - timezone.now()
    set_cookie(response, VISITOR_COOKIE, visitor_id.hex, max_age=max_age)
    return visitor_id


def forget(response):
    delete_cookie(response, VISITOR_COOKIE)


def forget_without_consent(request, response):
    """Delete an id the browser still sends when the visitor no longer consents to statistics."""
    if (
        VISITOR_COOKIE.name in request.COOKIES
        and VISITOR_COOKIE.name not in response.cookies
        and not consent.get(request).allows(STATISTICS)
    ):
        forget(response)


def replace(request, response):
    """After an erasure: a fresh id if the visitor still consents, else no id at all."""
    if consent.get(request).allows(STATISTICS):
        issue(request, response)
    else:
        forget(response)


def shown(visitor_id):
    """The start of an id, for pages and exports: the full id would let its reader act as it."""
    if visitor_id is None:
        return ""
    text = visitor_id.hex if isinstance(visitor_id, uuid.UUID) else str(visitor_id)
    return f"{text[:SHOWN_DIGITS]}…"
