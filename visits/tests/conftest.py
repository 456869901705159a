import pytest
import time_machine

from visits.tests.factories import NOW


@pytest.fixture
def frozen_now():
    """The statistics tests' clock: NOW, standing still."""
    with time_machine.travel(NOW, tick=False):
        yield
