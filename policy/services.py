"""What other apps ask the policy app."""

from django.core.cache import cache
from django.utils import timezone

from policy.models import PolicyAcceptance, PolicyVersion

CURRENT_VERSION_CACHE_KEY = "policy:current-version"


def current_version():
    """The latest published version whose effective date has come (Stockholm days)."""
    version = cache.get(CURRENT_VERSION_CACHE_KEY)
    if version is None:
        version = (
            PolicyVersion.objects.filter(
                status=PolicyVersion.Status.PUBLISHED,
                effective_date__lte=timezone.localdate(),
            )
            .order_by("-effective_date", "-number")
            .first()
        )
        if version is not None:
            cache.set(CURRENT_VERSION_CACHE_KEY, version, timeout=300)
    return version


def record_shown(user, version=None):
    """Note that `version` (default: the current one) was shown to `user`."""
    version = version or current_version()
    if version is None:
        return None
    acceptance, _ = PolicyAcceptance.objects.get_or_create(user=user, version=version)
    return acceptance
