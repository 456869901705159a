"""Redis cache that keeps the site up when Redis is down.

Every cache operation that cannot reach Redis is answered by a per-process local-memory cache
instead, and the outage is logged (at most every 30 seconds per process). Public pages keep
serving, and rate limits (ours and allauth's, both kept in this cache) keep counting per process,
so guessing stays bounded by the limit times the number of worker processes; they are shared
again once Redis answers.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core import metrics

logger = logging.getLogger(__name__)

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 30


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis per operation; building one costs more than
    a GET on the local network (it fills a dict of ~170 response callbacks). A redis.Redis is
    safe to share between threads: it takes a connection from its pool for each command.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                **params.get("OPTIONS", {}),
            },
        }
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._fallback = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT")})
        self._last_logged = 0.0

    def _log_outage(self, operation):
        now = time.monotonic()
        if now - self._last_logged >= LOG_EVERY_SECONDS:
            self._last_logged = now
            logger.error("Redis unavailable during %s; using the per-process cache", operation)


def _with_fallback(name):
    redis_method = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return redis_method(self, *args, **kwargs)
        except REDIS_DOWN:
            metrics.cache_errors.labels(name).inc()
            self._log_outage(name)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FallbackRedisCache, _name, _with_fallback(_name))
