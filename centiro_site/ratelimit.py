"""Fixed-window rate limits kept in the shared cache, so they hold across workers."""

from django.core.cache import cache

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
