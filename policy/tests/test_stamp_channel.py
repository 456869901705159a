"""Pushed invalidation: with Redis, a warm process reads no stamp, yet sees a publish at once."""

import datetime
import time

import pytest
import redis
import time_machine
from django.core.cache import caches
from django.utils import timezone

from policy import services, stamp_channel

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_answers(), reason="needs Redis at 127.0.0.1:6379"),
]


@pytest.fixture
def on_redis(settings, monkeypatch):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": REDIS_URL},
    }
    monkeypatch.setattr(services, "_computed", None)
    monkeypatch.setattr(stamp_channel, "_subscription", stamp_channel._Subscription())
    caches["default"].clear()
    stamp_gets = []
    get = caches["default"].get

    def counting_get(key, *args, **kwargs):
        stamp_gets.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(caches["default"], "get", counting_get)
    yield stamp_gets
    caches["default"].clear()


def test_a_warm_process_reads_no_stamp_from_redis(on_redis, policy_version):
    assert services.current_version() == policy_version
    reads = len(on_redis)

    for _ in range(5):
        assert services.current_version() == policy_version

    assert len(on_redis) == reads


def test_a_publish_is_seen_by_the_next_request(on_redis, policy_version, make_draft, publish):
    services.current_version()
    version_2 = publish(make_draft(), timezone.localdate())

    assert services.current_version() == version_2


def test_a_message_from_another_process_makes_it_read_the_stamp_again(on_redis, policy_version):
    services.current_version()
    reads = len(on_redis)

    redis.Redis.from_url(REDIS_URL).publish(stamp_channel.CHANNEL, b"changed")
    time.sleep(stamp_channel.POLL_SECONDS)
    services.current_version()

    assert len(on_redis) == reads + 1


def test_the_socket_is_read_at_most_every_poll_interval(on_redis, policy_version, monkeypatch):
    services.current_version()
    polls = []
    get_message = stamp_channel._subscription._pubsub.get_message
    monkeypatch.setattr(
        stamp_channel._subscription._pubsub,
        "get_message",
        lambda **kwargs: polls.append(kwargs) or get_message(**kwargs),
    )

    for _ in range(20):
        services.current_version()
    within_interval = len(polls)
    time.sleep(stamp_channel.POLL_SECONDS)
    services.current_version()

    assert within_interval == 0
    assert polls


def test_without_redis_every_request_reads_the_stamp(policy_version, monkeypatch):
    monkeypatch.setattr(services, "_computed", None)
    assert stamp_channel.generation() is None
    services.current_version()
    assert services.current_version() == policy_version


def test_a_scheduled_version_takes_over_on_its_day_without_a_message(
    on_redis, policy_version, make_draft, publish
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version_2 = publish(make_draft(), tomorrow)
    assert services.current_version() == policy_version

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert services.current_version() == version_2
