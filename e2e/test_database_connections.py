"""The database connections Django opens beside Playwright's event loop are closed with it
(issue 24, item 7d: on PostgreSQL one stayed open and the test database could not be dropped)."""

import pytest
from django.db import connections

from e2e.conftest import running_playwright
from policy.models import PolicyVersion


def test_a_connection_opened_beside_playwright_is_closed_when_it_stops():
    own = connections["default"]
    if own.vendor == "sqlite" and own.is_in_memory_db():
        pytest.skip("Django never closes an in-memory SQLite database; it has no server either")

    with running_playwright():
        assert PolicyVersion.objects.exists()
        beside = connections["default"]
        assert beside.connection is not None

    # A connection of its own, not the thread's, and closed.
    assert beside is not own
    assert beside.connection is None
