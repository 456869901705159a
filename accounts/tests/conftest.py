import pytest

from policy.models import PolicyVersion


@pytest.fixture
def policy_version(db):
    """Version 1, which the data migration publishes on every fresh database."""
    return PolicyVersion.objects.get(number=1)
