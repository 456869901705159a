"""Pushed invalidation of the policy stamp: a Redis channel instead of a GET per request.

Each process subscribes once to `CHANNEL` on the shared cache's Redis, and
`policy.models.versions.forget_cached_versions` publishes on it when a version is published. A
request asks `generation()`: at most every `POLL_SECONDS` it reads whatever is waiting on the
subscription's socket without waiting (no round trip to Redis), and it answers a number that
changes with every message and every (re)subscription. So another process's publish is seen within
`POLL_SECONDS`; the publishing process itself sees it at once. While the number is unchanged and
the day the same, the versions this process loaded are still the ones in effect. Without Redis, or
while the subscription is down, it answers None and the caller reads the stamp from the cache as
before.
"""

import contextlib
import logging
import os
import threading
import time

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from core.cache import REDIS_DOWN

logger = logging.getLogger(__name__)

CHANNEL = "policy:in-effect:changed"
RETRY_SECONDS = 5
SUBSCRIBE_TIMEOUT = 1.0
# Reading the socket through redis-py costs about 5 % of a page cache hit; a publish seen by the
# other processes 50 ms later changes nothing a visitor could notice.
POLL_SECONDS = 0.05


def _redis():
    """A client of the shared cache's Redis (its first server, the one written to): Django's
    cache has no public way to its own. Asked only to subscribe and to publish."""
    location = settings.CACHES["default"]["LOCATION"]
    server = (location if isinstance(location, str) else location[0]).split(",")[0]
    return redis.Redis.from_url(server, socket_connect_timeout=0.5, socket_timeout=0.5)


class _Subscription:
    def __init__(self):
        self._lock = threading.Lock()
        self._pubsub = None
        self._pid = None
        self._retry_at = 0.0
        self._generation = 0
        self._polled_at = float("-inf")

    def _subscribe(self):
        pubsub = _redis().pubsub()
        pubsub.subscribe(CHANNEL)
        # Only once Redis confirms is every later publish sure to reach us.
        deadline = time.monotonic() + SUBSCRIBE_TIMEOUT
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=SUBSCRIBE_TIMEOUT)
            if message is not None and message["type"] == "subscribe":
                return pubsub
        pubsub.close()
        raise TimeoutError("no subscription confirmation")

    def _drop(self):
        if self._pubsub is not None:
            with contextlib.suppress(REDIS_DOWN):
                self._pubsub.close()
        self._pubsub = None
        self._polled_at = float("-inf")
        self._retry_at = time.monotonic() + RETRY_SECONDS

    def generation(self):
        if not isinstance(caches["default"], RedisCache):
            return None
        if self._pid == os.getpid() and time.monotonic() - self._polled_at < POLL_SECONDS:
            return self._generation
        with self._lock:
            if self._pid != os.getpid():
                # A forked child must not share its parent's socket.
                self._pubsub, self._pid = None, os.getpid()
            if self._pubsub is None:
                if time.monotonic() < self._retry_at:
                    return None
                try:
                    self._pubsub = self._subscribe()
                except REDIS_DOWN:
                    logger.warning("Could not subscribe to %s; reading the stamp instead", CHANNEL)
                    self._drop()
                    return None
                self._generation += 1
            try:
                while (message := self._pubsub.get_message(timeout=0)) is not None:
                    if message["type"] == "message":
                        self._generation += 1
            except REDIS_DOWN:
                self._drop()
                return None
            self._polled_at = time.monotonic()
            return self._generation

    def changed_here(self):
        """This process published: its next request reads the stamp, without waiting for its
        own message to arrive."""
        with self._lock:
            self._generation += 1


_subscription = _Subscription()


def generation():
    """A number that changes whenever the versions in effect may have; None: ask the cache."""
    return _subscription.generation()


def publish():
    """Tell every subscribed process that the versions in effect changed."""
    if not isinstance(caches["default"], RedisCache):
        return
    try:
        _redis().publish(CHANNEL, b"changed")
    except REDIS_DOWN:
        logger.error("Could not announce a policy change on %s", CHANNEL)
    _subscription.changed_here()
