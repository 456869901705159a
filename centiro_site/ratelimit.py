"""Fixed-window rate limits kept in the shared cache, so they hold across workers."""

from django.core.cache import cache
from django.utils.translation import ngettext

from centiro_site import metrics


def hit(scope, key, *, limit, period):
    """Count one attempt for (scope, key); False once `limit` is exceeded in `period` seconds."""
    cache_key = f"ratelimit:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=period):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The window expired between add() and incr(): start a new one.
        cache.add(cache_key, 1, timeout=period)
        return True
    if count > limit:
        metrics.rate_limit_rejections.labels(scope).inc()
        return False
    return True


def retry_in_words(seconds):
    """When to try again, as a sentence: the longest the current window can still last."""
    minutes = max(1, -(-seconds // 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext(
            "Försök igen om %(count)d timme.", "Försök igen om %(count)d timmar.", hours
        ) % {"count": hours}
    return ngettext(
        "Försök igen om %(count)d minut.", "Försök igen om %(count)d minuter.", minutes
    ) % {"count": minutes}
