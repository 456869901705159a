"""The visitor's choice, kept in a signed cookie: reading it and writing it.

Other apps ask only `state.get(request)`; reading it costs no database query.
Every choice is also appended as proof (`consent.records`).
"""

import functools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core import signing
from django.utils import timezone

from consent import records
from consent.cookies import CATEGORIES, CONSENT_COOKIE, NECESSARY
from consent.models import ConsentRecord, years_after
from consent.texts import current_revision
from core.cookies import set_cookie
from policy import services

Action = ConsentRecord.Action

# Unchanged since consent lived in the policy app: cookies already set stay valid.
SIGNING_SALT = "policy.consent"
_REQUEST_ATTR = "_consent_state"
# The query flag on the redirect after a choice, so that the next page confirms it in
# words; a message would need a session, which anonymous visitors never get.
CONFIRMATION = ("consent", "saved")


@dataclass(frozen=True)
class ConsentState:
    """The visitor's current, valid choice (or the absence of one)."""

    consent_id: uuid.UUID | None = None
    categories: frozenset = field(default_factory=frozenset)
    given_at: datetime | None = None
    expires_at: datetime | None = None
    policy_version: int | None = None
    gpc: bool = False
    # The id of an expired or outdated choice, reused so one id carries the history.
    previous_id: uuid.UUID | None = None

    @property
    def chosen(self):
        return self.consent_id is not None

    def allows(self, category):
        if category == NECESSARY:
            return True
        return self.chosen and category in self.categories


def get(request):
    """The consent of this request's visitor, read from the signed cookie (no query)."""
    state = getattr(request, _REQUEST_ATTR, None)
    if state is None:
        # META, not request.headers: building that mapping costs 5 % of a page cache hit.
        gpc = request.META.get("HTTP_SEC_GPC", "").strip() == "1"
        state = _read(request.COOKIES.get(CONSENT_COOKIE.name), gpc=gpc)
        setattr(request, _REQUEST_ATTR, state)
    return state


def summary(request):
    """What a page shown to this visitor depends on: their categories and Sec-GPC."""
    choice = get(request)
    categories = ",".join(sorted(choice.categories)) if choice.chosen else "-"
    return f"{categories}:gpc={int(choice.gpc)}"


def was_read(request):
    return hasattr(request, _REQUEST_ATTR)


@functools.lru_cache(maxsize=4096)
def _verified(value):
    """The fields of a signed cookie value, or None if it is not one of ours.

    Checking the signature costs an HMAC and a JSON parse; a visitor sends the same value on
    every page, so each process checks it once (the secret key never changes while it runs).
    """
    try:
        payload = signing.loads(value, salt=SIGNING_SALT)
        consent_id = uuid.UUID(payload["id"])
        categories = frozenset(payload["c"])
        given_at = datetime.fromtimestamp(int(payload["t"]), tz=UTC)
        revision = payload["r"]
        version = payload["v"]
    except (signing.BadSignature, LookupError, TypeError, ValueError, OverflowError):
        return None
    known = {category.key for category in CATEGORIES}
    if not categories <= known or not (version is None or isinstance(version, int)):
        return None
    return consent_id, categories, given_at, revision, version


def _read(value, *, gpc):
    fields = _verified(value) if value else None
    if fields is None:
        return ConsentState(gpc=gpc)
    consent_id, categories, given_at, revision, version = fields
    expires_at = years_after(given_at)
    if revision != current_revision().revision or timezone.now() >= expires_at:
        return ConsentState(gpc=gpc, previous_id=consent_id)
    return ConsentState(
        consent_id=consent_id,
        categories=categories,
        given_at=given_at,
        expires_at=expires_at,
        policy_version=version,
        gpc=gpc,
    )


def categories_for(action, chosen=()):
    if action == Action.ACCEPT_ALL:
        return frozenset(category.key for category in CATEGORIES)
    if action == Action.CUSTOM:
        return frozenset({NECESSARY, *chosen})
    return frozenset({NECESSARY})


def choose(request, action, chosen=()):
    """Record the visitor's choice and return the new state; `remember()` it on the response."""
    previous = get(request)
    entry = records.record(
        consent_id=previous.consent_id or previous.previous_id or uuid.uuid4(),
        action=action,
        categories=categories_for(action, chosen),
        gpc=previous.gpc,
        user=request.user,
        at=timezone.now().replace(microsecond=0),
        language=request.LANGUAGE_CODE,
    )
    state = ConsentState(
        consent_id=entry.consent_id,
        categories=frozenset(entry.categories),
        given_at=entry.created_at,
        expires_at=entry.valid_until,
        policy_version=entry.policy_version,
        gpc=entry.gpc,
    )
    setattr(request, _REQUEST_ATTR, state)
    return state


def remember(response, state):
    """Set the signed consent cookie. The visitor id it no longer allows is deleted by the visits
    app's middleware (visits/visitor_cookie.py), which owns that cookie."""
    value = signing.dumps(
        {
            "id": str(state.consent_id),
            "c": sorted(state.categories),
            "v": state.policy_version,
            "r": current_revision().revision,
            "t": int(state.given_at.timestamp()),
        },
        salt=SIGNING_SALT,
    )
    set_cookie(response, CONSENT_COOKIE, value, max_age=state.expires_at - timezone.now())


def confirming(url):
    """`url` with the flag that makes its page confirm the choice just made."""
    parts = urlsplit(url)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key != CONFIRMATION[0]
    ]
    return urlunsplit(parts._replace(query=urlencode([*query, CONFIRMATION])))


def confirmed(request):
    """The choice to confirm on this page, or None."""
    name, value = CONFIRMATION
    choice = get(request)
    return choice if request.GET.get(name) == value and choice.chosen else None


def chosen_under(request):
    """The policy version in force when this browser made its consent choice (read by the
    policy notice through `policy.services.read_choices_with`)."""
    choice = get(request)
    return choice.policy_version if choice.chosen else services.NO_CHOICE
