"""Every choice as append-only proof: what was chosen, and the exact texts shown.

`proof()` answers "what had consent id X agreed to at time T, and what had they
been shown"; the purge removes proof nobody can ask for any more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consent.models import ConsentOwner, ConsentRecord, ConsentTextRevision, years_after
from consent.texts import current_revision
from core import metrics
from policy import services


def record(*, consent_id, action, categories, gpc, user, at, language=""):
    """Append one choice, with the texts shown, the policy version in force and the language."""
    revision = current_revision()
    version = services.current_version()
    with transaction.atomic():
        texts, _created = ConsentTextRevision.objects.get_or_create(
            revision=revision.revision, defaults={"texts": revision.texts}
        )
        entry = ConsentRecord.objects.create(
            consent_id=consent_id,
            action=action,
            categories=sorted(categories),
            policy_version=version.number if version is not None else None,
            revision=texts,
            gpc=gpc,
            language=language,
            created_at=at,
        )
        if user.is_authenticated:
            ConsentOwner.objects.get_or_create(consent_id=consent_id, user=user)
    metrics.consent_choices.labels(action).inc()
    return entry


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
    found = (
        ConsentRecord.objects.filter(consent_id=consent_id, created_at__lte=at)
        .select_related("revision")
        .order_by("-created_at", "-id")
        .first()
    )
    if found is None or at >= found.valid_until:
        return None
    return Proof(record=found, valid_until=found.valid_until)


def records_to_purge(now=None):
    """Consent records whose 12-month validity ended more than CONSENT_RECORD_RETENTION_DAYS ago.

    A record is proof of a choice while it may be asked for: during its
    validity and for the retention period after it (limitation periods).
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONSENT_RECORD_RETENTION_DAYS)
    return ConsentRecord.objects.filter(created_at__lt=years_after(cutoff, -1))


def purge(*, now=None, batch_size=10_000, progress=None):
    """Delete expired consent records in batches, then what only they needed.

    The owner links of a consent id go once none of its records remain, and a
    text revision goes once no record points at it, unless the banner still
    shows it. Idempotent; returns (records, owner links, text revisions) deleted.
    """
    records = owners = 0
    revision_ids = set()
    while True:
        with transaction.atomic():
            batch = list(
                records_to_purge(now)
                .order_by("pk")
                .values_list("pk", "consent_id", "revision_id")[:batch_size]
            )
            if not batch:
                break
            ConsentRecord.objects.filter(pk__in=[pk for pk, _c, _r in batch]).delete()
            consent_ids = {consent_id for _p, consent_id, _r in batch}
            kept = ConsentRecord.objects.filter(consent_id__in=consent_ids)
            gone = consent_ids - set(kept.values_list("consent_id", flat=True))
            owners += ConsentOwner.objects.filter(consent_id__in=gone).delete()[0]
        revision_ids.update(revision_id for _p, _c, revision_id in batch)
        records += len(batch)
        if progress:
            progress(records)
    still_shown = ConsentRecord.objects.filter(revision_id__in=revision_ids)
    unused = revision_ids - set(still_shown.values_list("revision_id", flat=True))
    # The banner shows the current texts now: the next choice will point at them.
    revisions = (
        ConsentTextRevision.objects.filter(pk__in=unused)
        .exclude(revision=current_revision().revision)
        .delete()[0]
    )
    return records, owners, revisions
