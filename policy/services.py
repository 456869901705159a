"""What other apps ask the policy app."""

import dataclasses
import datetime
import time
from typing import NamedTuple

from django.core.cache import cache
from django.utils import timezone

from core.cookies import set_cookie
from core.days import day_bounds
from policy import stamp_channel
from policy.cookies import NOTICE_COOKIE
from policy.models import PolicyAcceptance, PolicyVersion
from policy.models.versions import CACHE_KEY

ACKNOWLEDGED_CACHE_SECONDS = 7 * 24 * 60 * 60


class Notice(NamedTuple):
    """A major version to announce, and the version its diff link compares it with."""

    version: PolicyVersion
    diff_from: int | None


@dataclasses.dataclass(frozen=True, slots=True)
class InEffect:
    """The versions in effect today, as this process last worked them out."""

    current: PolicyVersion | None
    notice: Notice | None
    # Names today's versions (the Stockholm day and their keys): what the shared cache holds,
    # and a part of every cached page's key.
    versions_key: str
    # Valid while the clock is within today's bounds and no publish was announced since.
    starts: float
    ends: float
    generation: object


# What this process last worked out.
_computed = None


def _in_effect():
    """The current version and the major version being announced, for today.

    The shared cache holds only a short key naming them (`versions_key`: the Stockholm day and
    the versions' keys); each process keeps the versions it loaded under that key, so a
    warm request reads a few bytes from Redis instead of unpickling the policy texts.
    Publishing deletes the key, so every process reloads at its next request; a
    scheduled version takes over when its day comes, without anyone clearing the cache.
    A warm cache costs no database query, and with Redis not even the key's GET: publishing
    also pushes a message that changes `stamp_channel.generation()` in every process.
    """
    global _computed
    # Comparing a clock reading with the day's bounds costs a fraction of working out the day.
    now = time.time()
    generation = stamp_channel.generation()
    computed = _computed
    fresh = computed is not None and computed.starts <= now < computed.ends
    if fresh and generation is not None and computed.generation == generation:
        return computed
    shared_key = cache.get(CACHE_KEY)
    if fresh and shared_key == computed.versions_key:
        _computed = dataclasses.replace(computed, generation=generation)
        return _computed
    today = timezone.localdate()
    in_effect = PolicyVersion.objects.in_effect(today).order_by("-effective_date", "-number")
    current = in_effect.first()
    major = in_effect.filter(is_major=True).first()
    previous = major.previous() if major else None
    starts, ends = (moment.timestamp() for moment in day_bounds(today))
    computed = InEffect(
        current=current,
        notice=Notice(major, previous.number if previous else None) if major else None,
        versions_key=f"{today}:{current and current.pk}:{major and major.pk}",
        starts=starts,
        ends=ends,
        generation=generation,
    )
    if computed.versions_key != shared_key:
        cache.set(CACHE_KEY, computed.versions_key, timeout=24 * 60 * 60)
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
    return _in_effect().current


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


def dismissed_notice(request):
    """The number of the version whose notice this browser closed, or None."""
    value = request.COOKIES.get(NOTICE_COOKIE.name, "")
    return int(value) if value.isdecimal() and len(value) <= 9 else None


def dismiss_notice(response, version):
    """Remember on `response` that the browser closed `version`'s notice, while it is shown."""
    days_left = (version.announcement_ends - timezone.localdate()).days
    set_cookie(
        response,
        NOTICE_COOKIE,
        str(version.number),
        max_age=datetime.timedelta(days=max(days_left, 1)),
    )


def close_notice(response):
    """Close the notice being announced, if any, for the browser `response` goes to."""
    notice = _in_effect().notice
    if notice is not None and timezone.localdate() < notice.version.announcement_ends:
        dismiss_notice(response, notice.version)


# `chosen_under` when the browser has made no valid consent choice.
NO_CHOICE = "no-choice"


# The consent app records the policy version with every choice and imports this module, so it
# hands its reader over in its ready() (consent.apps) instead of being imported here.
_choice_reader = None


def read_choices_with(reader):
    global _choice_reader
    _choice_reader = reader


def chosen_under(request):
    """The policy version in force when this browser made its consent choice.

    NO_CHOICE when it has made no valid choice (a first visit, or a choice that expired or
    was asked again); None when the choice was made before any version was in effect.
    """
    return _choice_reader(request) if _choice_reader else NO_CHOICE


def notice_inputs(request):
    """Everything in an anonymous request that decides its notice bar, for cache keys.

    The day's versions are not in it: `in_effect(request).versions_key` names them.
    """
    return (dismissed_notice(request), chosen_under(request))


def notice_for_request(request):
    """The Notice to show on this request's pages, or None."""
    user = getattr(request, "user", None)
    if user is None or chosen_under(request) == NO_CHOICE:
        # Without a cookie choice the cookie banner asks first: one banner at a time, so that
        # on a phone the page still starts in the first screen. A signed-in user gets the bar
        # once they have chosen; an anonymous visitor without a choice is new to the site.
        return None
    if user.is_authenticated:
        return notice_for(user, in_effect(request))
    return notice_for(user, in_effect(request), dismissed_notice(request), chosen_under(request))


def _predates(chosen_version, version):
    return chosen_version != NO_CHOICE and (
        chosen_version is None or chosen_version < version.number
    )


def _concerns_user(user, version):
    """Whether `user` was shown (at sign-up) or acknowledged a version older than `version`."""
    return PolicyAcceptance.objects.filter(user=user, version__number__lt=version.number).exists()


def notice_for(user, in_effect=None, dismissed=None, chosen_version=NO_CHOICE):
    """The Notice of the major version to announce to this visitor, or None.

    `in_effect` is what `in_effect()` returned earlier in the same request, to save a
    second cache read. `dismissed` is the version whose notice the browser closed
    (`dismissed_notice()`), `chosen_version` what `chosen_under()` returned.

    The bar goes to those the change concerns. A visitor sees it for 30 days after it takes
    effect if their consent choice was made under an older version, unless they close it; a
    first-time visitor knew no older version (the policy page and the footer announce it to
    everyone). A signed-in user who was shown or acknowledged an older version sees it until
    they acknowledge it, after the 30 days too. Showing it to a signed-in user is recorded.
    """
    notice = (in_effect or _in_effect()).notice
    if notice is None:
        return None
    version = notice.version
    if not user.is_authenticated:
        within_window = timezone.localdate() < version.announcement_ends
        shown = within_window and dismissed != version.number
        return notice if shown and _predates(chosen_version, version) else None
    # Remembered in the cache, so users it does not concern or who have acknowledged it
    # cost no query per page (no older version can appear later).
    if cache.get(_acknowledged_key(user, version)):
        return None
    if not _concerns_user(user, version) or record_shown(user, version).acknowledged_at:
        cache.set(_acknowledged_key(user, version), True, ACKNOWLEDGED_CACHE_SECONDS)
        return None
    return notice


def announcement(in_effect=None):
    """The major version announced to everyone on the policy page and in the footer, or None.

    The bar goes only to those a change concerns; the 2016 policy promises that a major change
    is announced on the site, so this announcement is there for anyone for the 30 days.
    """
    notice = (in_effect or _in_effect()).notice
    if notice is None or timezone.localdate() >= notice.version.announcement_ends:
        return None
    return notice
