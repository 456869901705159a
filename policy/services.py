"""What other apps ask the policy app."""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from policy import stamp_channel
from policy.models import (
    ConsentOwner,
    ConsentRecord,
    ConsentTextRevision,
    PolicyAcceptance,
    PolicyVersion,
)
from policy.models.versions import CACHE_KEY

ACKNOWLEDGED_CACHE_SECONDS = 7 * 24 * 60 * 60


class Notice(NamedTuple):
    """A major version to announce, and the version its diff link compares it with."""

    version: PolicyVersion
    diff_from: int | None


# What this process last worked out, kept with the stamp it was cached under.
_computed = None


def _in_effect():
    """The current version and the major version being announced, for today.

    The shared cache holds only a short stamp naming them (the Stockholm day and the
    versions' keys); each process keeps the versions it loaded under that stamp, so a
    warm request reads a few bytes from Redis instead of unpickling the policy texts.
    Publishing deletes the stamp, so every process reloads at its next request; a
    scheduled version takes over when its day comes, without anyone clearing the cache.
    A warm cache costs no database query, and with Redis not even the stamp's GET: publishing
    also pushes a message that changes `stamp_channel.generation()` in every process.
    """
    global _computed
    today = timezone.localdate()
    generation = stamp_channel.generation()
    computed = _computed
    fresh = computed is not None and computed["day"] == today
    if fresh and generation is not None and computed["generation"] == generation:
        return computed
    stamp = cache.get(CACHE_KEY)
    if fresh and stamp == computed["stamp"]:
        _computed = {**computed, "generation": generation}
        return _computed
    in_effect = PolicyVersion.objects.in_effect(today).order_by("-effective_date", "-number")
    current = in_effect.first()
    major = in_effect.filter(is_major=True).first()
    previous = major.previous() if major else None
    computed = {
        "day": today,
        "generation": generation,
        "stamp": f"{today}:{current and current.pk}:{major and major.pk}",
        "current": current,
        "notice": Notice(major, previous.number if previous else None) if major else None,
    }
    if computed["stamp"] != stamp:
        cache.set(CACHE_KEY, computed["stamp"], timeout=24 * 60 * 60)
    _computed = computed
    return computed


def in_effect(request=None):
    """The current version and the notice together, for callers that need both.

    With `request`, read once per request: the view and the context processor share it.
    """
    if request is None:
        return _in_effect()
    if not hasattr(request, "_policy_in_effect"):
        request._policy_in_effect = _in_effect()
    return request._policy_in_effect


def current_version():
    """The latest published version whose effective date has come (Stockholm days)."""
    return _in_effect()["current"]


def announced_version():
    """The latest major version in effect, which users are told about until they acknowledge."""
    notice = _in_effect()["notice"]
    return notice.version if notice else None


def record_shown(user, version=None):
    """Note that `version` (default: the current one) was shown to `user`."""
    version = version or current_version()
    if version is None:
        return None
    acceptance, _ = PolicyAcceptance.objects.get_or_create(user=user, version=version)
    return acceptance


def _acknowledged_key(user, version):
    return f"policy:acknowledged:{user.pk}:{version.pk}"


def acknowledge(user, version):
    """Note that `user` has read the notice about `version`; the first time counts."""
    acceptance = record_shown(user, version)
    if acceptance.acknowledged_at is None:
        acceptance.acknowledged_at = timezone.now()
        acceptance.save(update_fields=["acknowledged_at"])
    cache.set(_acknowledged_key(user, version), True, ACKNOWLEDGED_CACHE_SECONDS)
    return acceptance


def notice_for(user, in_effect=None):
    """The Notice of the major version to announce to this visitor, or None.

    `in_effect` is what `in_effect()` returned earlier in the same request, to save a
    second cache read.

    Everyone sees it for 30 days after it takes effect. A signed-in user sees
    it until they acknowledge it, after the 30 days too if they had an account
    before it took effect. Showing it to a signed-in user is recorded.
    """
    notice = (in_effect or _in_effect())["notice"]
    if notice is None:
        return None
    version = notice.version
    within_window = timezone.localdate() < version.announcement_ends
    if not user.is_authenticated:
        return notice if within_window else None
    if not within_window and timezone.localdate(user.date_joined) >= version.effective_date:
        return None
    # Remembered in the cache, so users who have acknowledged cost no query per page.
    if cache.get(_acknowledged_key(user, version)):
        return None
    if record_shown(user, version).acknowledged_at is not None:
        cache.set(_acknowledged_key(user, version), True, ACKNOWLEDGED_CACHE_SECONDS)
        return None
    return notice


def consent_records_to_purge(now=None):
    """Consent records whose 12-month validity ended more than CONSENT_RECORD_RETENTION_DAYS ago.

    A record is proof of a choice while it may be asked for: during its
    validity and for the retention period after it (limitation periods).
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.CONSENT_RECORD_RETENTION_DAYS)
    return ConsentRecord.objects.filter(created_at__lt=_one_year_before(cutoff))


def _one_year_before(moment):
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def purge_consent_records(*, now=None, batch_size=10_000, progress=None):
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
                consent_records_to_purge(now)
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
    from policy.consent import current_revision  # policy.consent imports this module

    # The banner shows the current texts now: the next choice will point at them.
    revisions = (
        ConsentTextRevision.objects.filter(pk__in=unused)
        .exclude(revision=current_revision().revision)
        .delete()[0]
    )
    return records, owners, revisions
