"""Helpers for the tests that start real server processes against the test database."""

import functools
import os
import socket

import pytest
import redis
from django.db import connection

from benchmarks.topology import nginx_binary

# The topology and soak tests' Redis database; they flush it.
TOPOLOGY_REDIS_URL = "redis://127.0.0.1:6379/14"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@functools.cache
def topology_missing():
    """What the production topology needs and this machine lacks, or ""."""
    if not nginx_binary():
        return "nginx is not installed"
    try:
        redis.Redis.from_url(TOPOLOGY_REDIS_URL).ping()
    except redis.RedisError:
        return "Redis does not answer at 127.0.0.1:6379"
    return ""


def topology_required_but_missing():
    """On PostgreSQL a missing nginx or Redis skips locally but fails in CI, so the topology
    is never silently untested there."""
    on_postgresql = connection.vendor == "postgresql"
    return bool(on_postgresql and topology_missing() and os.environ.get("CI"))


def topology_marks():
    """The marks of a test module that runs nginx in front of real app nodes."""
    if topology_required_but_missing():
        return [pytest.mark.topology]
    on_postgresql = connection.vendor == "postgresql"
    missing = topology_missing() if on_postgresql else ""
    return [
        pytest.mark.topology,
        pytest.mark.skipif(
            not on_postgresql,
            reason="the nodes must see the test's committed data: PostgreSQL only",
        ),
        pytest.mark.skipif(bool(missing), reason=missing or "-"),
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ]
