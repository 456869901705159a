"""Fixed-window rate limits kept in the shared cache, so they hold across workers."""

import contextlib
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import ngettext

from core import metrics


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


def release(scope, key):
    """Take back one attempt `hit()` counted, for a caller that counts only some outcomes."""
    # ValueError: the window ended meanwhile, so there is nothing left to take back.
    with contextlib.suppress(ValueError):
        cache.decr(f"ratelimit:{scope}:{key}")


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


def too_many_requests(request, retry_after=60, template="429.html", context=None):
    """429 with Retry-After; `template` may be the form that was sent, shown again."""
    context = {**(context or {}), "rate_limited": True, "retry_in": retry_in_words(retry_after)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope, key, *, limit, period, template="429.html", context=None):
    """At most `limit` POSTs a `period` (seconds) for each `key(request)`, then the 429 page.

    `template` and `context(request)` show the sent form again instead, with what was typed.
    Every POST that reaches it counts, refused or not.
    """

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method == "POST" and not hit(
                scope, key(request), limit=limit, period=period
            ):
                extra = context(request) if context else None
                return too_many_requests(request, period, template, extra)
            return view(request, *args, **kwargs)

        return limited

    return decorator
