import datetime

import pytest

from core.days import day_bounds

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("day", "start", "hours"),
    [
        (datetime.date(2026, 3, 29), datetime.datetime(2026, 3, 28, 23, tzinfo=UTC), 23),
        (datetime.date(2026, 10, 25), datetime.datetime(2026, 10, 24, 22, tzinfo=UTC), 25),
        (datetime.date(2026, 5, 4), datetime.datetime(2026, 5, 3, 22, tzinfo=UTC), 24),
        (datetime.date(2026, 12, 31), datetime.datetime(2026, 12, 30, 23, tzinfo=UTC), 24),
    ],
)
def test_a_stockholm_day_starts_at_local_midnight_and_lasts_23_24_or_25_hours(day, start, hours):
    starts, ends = day_bounds(day)
    assert starts == start
    assert starts.utcoffset() == ends.utcoffset() == datetime.timedelta(0)
    assert ends - starts == datetime.timedelta(hours=hours)
    assert ends == day_bounds(day + datetime.timedelta(days=1))[0]
