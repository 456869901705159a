import datetime

import pytest

from visits.dashboard.cards import change, share_change
from visits.dashboard.charts import nice_maximum, views_chart


@pytest.mark.parametrize(
    ("value", "maximum"),
    [(0, 2), (1, 2), (3, 4), (9, 10), (15, 20), (101, 150), (280, 300), (5_306, 6_000)],
)
def test_the_axis_ends_at_an_even_round_number_above_the_data(value, maximum):
    assert nice_maximum(value) == maximum


def test_a_phone_chart_has_few_whole_axis_labels():
    start = datetime.date(2026, 4, 21)
    per_day = [(start + datetime.timedelta(days=n), n * 9, 100) for n in range(30)]

    narrow, wide = views_chart(per_day, "narrow"), views_chart(per_day, "wide")

    assert [label.text for label in narrow.y_labels] == [0, 150, 300]
    assert [label.text for label in narrow.x_labels] == [per_day[0][0], per_day[-1][0]]
    assert len(wide.x_labels) == 3
    assert len(narrow.bars) == len(wide.bars) == 30
    assert narrow.previous_points.count(",") == 30


def test_changes_are_rounded_and_worded_with_the_right_unit():
    assert change(115, 100).text == "upp 15 % mot föregående period"
    assert change(100, 100).text == "oförändrat mot föregående period"
    assert change(5, 0) is None
    assert share_change(0.41, 0.40, True).text == "upp 1 procentenhet mot föregående period"
    assert share_change(0.30, 0.40, True).text == "ner 10 procentenheter mot föregående period"
    assert share_change(0.30, 0, False) is None
