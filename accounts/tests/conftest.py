import pytest
from django.core.cache import cache
from django.utils import translation

from policy.models import PolicyVersion


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and the current policy live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def swedish():
    """Requests to English pages leave English active in the thread; tests start in Swedish."""
    with translation.override("sv"):
        yield


@pytest.fixture
def policy_version(db):
    """Version 1, which the data migration publishes on every fresh database."""
    return PolicyVersion.objects.get(number=1)
