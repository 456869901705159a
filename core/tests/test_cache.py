import logging
import os

import pytest
from django.core.cache import caches
from django.test import override_settings

from core import ratelimit

DOWN = {
    "default": {
        "BACKEND": "core.cache.FallbackRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}
UP = {
    "default": {
        "BACKEND": "core.cache.FallbackRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
}


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(UP["default"]["LOCATION"]).ping()
    except redis.exceptions.ConnectionError:
        return False


@override_settings(CACHES=DOWN)
def test_redis_down_falls_back_to_the_process_and_logs(caplog):
    cache = caches["default"]
    with caplog.at_level(logging.ERROR, logger="core.cache"):
        cache.set("key", "value")
        assert cache.get("key") == "value"
    assert "Redis unavailable" in caplog.text


@override_settings(CACHES=DOWN)
def test_rate_limit_still_holds_when_redis_is_down():
    results = [ratelimit.hit("test-down", "k", limit=3, period=60) for _ in range(5)]
    assert results == [True, True, True, False, False]


@pytest.mark.skipif(
    not redis_answers() and not os.environ.get("CI"), reason="needs the Redis on 127.0.0.1:6379"
)
@override_settings(CACHES=UP)
def test_rate_limit_is_shared_through_redis_when_it_is_up():
    cache = caches["default"]
    cache.delete("ratelimit:test-up:k")
    assert [ratelimit.hit("test-up", "k", limit=2, period=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    # A second process would see the same count: it lives in Redis, not in this process.
    assert cache._fallback.get("ratelimit:test-up:k") is None
    assert cache.get("ratelimit:test-up:k") == 3
