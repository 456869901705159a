"""Fixtures of the page cache tests (test_pagecache.py, test_earlyhits.py)."""

import pytest
from django.utils import timezone

from policy.models import PolicyVersion


@pytest.fixture
def publish(staff_user, django_capture_on_commit_callbacks):
    """Publish a new version as the admin does, with its on-commit cache invalidation."""

    def do(body_sv, effective_date=None, is_major=False):
        version = PolicyVersion.objects.create(
            body_sv=body_sv, body_en="New text.", is_major=is_major
        )
        with django_capture_on_commit_callbacks(execute=True):
            version.publish(by=staff_user, effective_date=effective_date or timezone.localdate())
        return version

    return do


@pytest.fixture
def version_2(publish):
    return publish("Version två.\n\n## Rubrik\n\nText.")


@pytest.fixture
def major_version(publish):
    return publish("Stor ändring.", is_major=True)
