"""Cookie consent: the visitor's choice, kept in a signed cookie, and proof of every choice.

Other apps ask only `consent.get(request)`; reading it costs no database query.
Every choice appends a ConsentRecord pointing at the exact texts shown
(ConsentTextRevision), so "what did consent id X agree to at time T, and what
had they been shown" can always be answered (`proof()`).
"""

import functools
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from centiro_site import metrics
from policy import services
from policy.cookies import (
    CATEGORIES,
    CONSENT_COOKIE,
    DECLARATION,
    NECESSARY,
    STATISTICS,
    VISITOR_COOKIE,
)
from policy.models import ConsentOwner, ConsentRecord, ConsentTextRevision

Action = ConsentRecord.Action

SIGNING_SALT = "policy.consent"
_REQUEST_ATTR = "_consent_state"

# The banner's texts live here, not in the template, so the texts stored as
# proof are exactly the texts rendered.
BANNER = {
    "heading": _("Kakor på centiro.se"),
    "intro": _("Vi använder kakor för att göra din upplevelse bättre när du besöker vår site."),
    "choice": _(
        "Nödvändiga kakor behövs för att webbplatsen ska fungera. Statistikkakor sätter vi "
        "bara om du godkänner dem, och du kan ändra eller återkalla ditt val när som helst."
    ),
    "gpc": _(
        "Din webbläsare skickar signalen Global Privacy Control (GPC). Vi respekterar den: "
        "statistikkakor förblir avstängda om du inte själv väljer dem."
    ),
    "policy_link": _("Sekretesspolicy"),
    "cookies_link": _("Vilka kakor vi använder"),
    "accept_all": _("Godkänn alla"),
    "necessary_only": _("Endast nödvändiga"),
    "settings": _("Inställningar"),
}


def one_year_after(moment):
    """The same instant twelve calendar months later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


@dataclass(frozen=True)
class Revision:
    revision: str
    texts: dict


def _texts_in(language):
    with translation.override(language):
        return {
            "banner": {key: str(text) for key, text in BANNER.items()},
            "categories": [
                {"key": c.key, "name": str(c.name), "description": str(c.description)}
                for c in CATEGORIES
            ],
            "cookies": [
                {
                    "name": c.name,
                    "category": c.category,
                    "purpose": str(c.purpose),
                    "party": str(c.party),
                    "lifetime": str(c.lifetime),
                    "data": str(c.data),
                }
                for c in DECLARATION
            ],
        }


@functools.cache
def current_revision():
    """The banner texts and the declaration in every language, and their SHA-256."""
    texts = {code: _texts_in(code) for code, _name in settings.LANGUAGES}
    canonical = json.dumps(texts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Revision(hashlib.sha256(canonical.encode()).hexdigest(), texts)


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
        gpc = request.headers.get("Sec-GPC", "").strip() == "1"
        state = _read(request.COOKIES.get(CONSENT_COOKIE), gpc=gpc)
        setattr(request, _REQUEST_ATTR, state)
    return state


def was_read(request):
    return hasattr(request, _REQUEST_ATTR)


def _read(value, *, gpc):
    if not value:
        return ConsentState(gpc=gpc)
    try:
        payload = signing.loads(value, salt=SIGNING_SALT)
        consent_id = uuid.UUID(payload["id"])
        categories = frozenset(payload["c"])
        given_at = datetime.fromtimestamp(int(payload["t"]), tz=UTC)
        revision = payload["r"]
        version = payload["v"]
    except (signing.BadSignature, LookupError, TypeError, ValueError, OverflowError):
        return ConsentState(gpc=gpc)
    known = {category.key for category in CATEGORIES}
    if not categories <= known or not (version is None or isinstance(version, int)):
        return ConsentState(gpc=gpc)
    expires_at = one_year_after(given_at)
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
    consent_id = previous.consent_id or previous.previous_id or uuid.uuid4()
    categories = categories_for(action, chosen)
    revision = current_revision()
    version = services.current_version()
    version_number = version.number if version is not None else None
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        texts, _created = ConsentTextRevision.objects.get_or_create(
            revision=revision.revision, defaults={"texts": revision.texts}
        )
        ConsentRecord.objects.create(
            consent_id=consent_id,
            action=action,
            categories=sorted(categories),
            policy_version=version_number,
            revision=texts,
            gpc=previous.gpc,
            created_at=now,
        )
        if request.user.is_authenticated:
            ConsentOwner.objects.get_or_create(consent_id=consent_id, user=request.user)
    metrics.consent_choices.labels(action).inc()
    state = ConsentState(
        consent_id=consent_id,
        categories=categories,
        given_at=now,
        expires_at=one_year_after(now),
        policy_version=version_number,
        gpc=previous.gpc,
    )
    setattr(request, _REQUEST_ATTR, state)
    return state


def remember(response, state):
    """Set the signed consent cookie; without statistics consent, delete the visitor id."""
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
    response.set_cookie(
        CONSENT_COOKIE,
        value,
        max_age=int((state.expires_at - timezone.now()).total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if not state.allows(STATISTICS):
        forget_visitor(response)


def forget_visitor(response):
    response.delete_cookie(VISITOR_COOKIE, samesite="Lax")


@dataclass(frozen=True)
class Proof:
    record: ConsentRecord
    valid_until: datetime

    @property
    def texts(self):
        """The banner and declaration texts (sv and en) shown when the choice was made."""
        return self.record.revision.texts

    @property
    def categories(self):
        return frozenset(self.record.categories)


def proof(consent_id, at=None):
    """What `consent_id` had agreed to at time `at` (default now), and the texts shown.

    None when no choice had been made by then or the last one had expired.
    """
    at = at or timezone.now()
    record = (
        ConsentRecord.objects.filter(consent_id=consent_id, created_at__lte=at)
        .select_related("revision")
        .order_by("-created_at", "-id")
        .first()
    )
    if record is None or at >= one_year_after(record.created_at):
        return None
    return Proof(record=record, valid_until=one_year_after(record.created_at))


def _collect(user):
    ids = list(ConsentOwner.objects.filter(user=user).values_list("consent_id", flat=True))
    records = ConsentRecord.objects.filter(consent_id__in=ids).select_related("revision")
    history = {consent_id: [] for consent_id in ids}
    for record in records.order_by("created_at", "id"):
        history[record.consent_id].append(
            {
                "time": timezone.localtime(record.created_at).isoformat(),
                "action": record.action,
                "action_label": str(record.get_action_display()),
                "categories": record.categories,
                "policy_version": record.policy_version,
                "revision": record.revision.revision,
                "gpc": record.gpc,
            }
        )
    return [{"consent_id": str(key), "records": value} for key, value in history.items()]


def _delete(user):
    # The records are anonymous proof and stay; only the link to the account goes.
    ConsentOwner.objects.filter(user=user).delete()


def connect():
    """Called from PolicyConfig.ready(): the personal data section."""
    from accounts.registry import PersonalDataSection, register

    register(
        PersonalDataSection(
            key="cookie_consents",
            title=_("Val om kakor"),
            collect=_collect,
            delete=_delete,
            template="policy/_my_data_consents.html",
        )
    )
