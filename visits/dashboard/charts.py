"""Server-side geometry of the dashboard's SVG chart: bars for the period, a dashed line for
the previous one (told apart by shape, not only colour), few axis labels.

Two sizes are drawn from the same data, a narrow one for phones and a wide one, and CSS
shows one: an SVG scales its text with it, so one drawing cannot be legible at both sizes.
"""

import math
from dataclasses import dataclass

SIZES = {"narrow": (300, 200), "wide": (820, 260)}
LEFT = 44  # room for the y-axis labels
TOP = 10
BOTTOM = 26  # room for the date labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    views: int


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: object
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    size: str
    width: int
    height: int
    plot_left: int
    plot_bottom: float
    bars: list
    previous_points: str  # SVG polyline points of the previous period
    y_labels: list
    x_labels: list
    grid: list  # y of each horizontal grid line, at the y-axis labels


def nice_maximum(value):
    """The smallest even round number (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten) at or
    above value: the axis is labelled at zero, half and the maximum, and all three stay whole."""
    power = 10 ** math.floor(math.log10(max(value, 1)))
    for step in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        candidate = round(step * power)
        if value <= candidate and candidate % 2 == 0:
            return candidate
    return 20 * power


def views_chart(per_day, size):
    """`per_day`: [(day, views, previous views)]."""
    width, height = SIZES[size]
    maximum = nice_maximum(max([max(v, p) for _, v, p in per_day] + [1]))
    plot_width = width - LEFT
    bottom = height - BOTTOM
    plot_height = bottom - TOP
    slot = plot_width / max(len(per_day), 1)
    gap = slot * 0.2 if slot >= 4 else 0

    def y(value):
        return round(bottom - plot_height * value / maximum, 2)

    bars = [
        Bar(
            x=round(LEFT + index * slot + gap / 2, 2),
            y=y(views),
            width=round(max(slot - gap, 0.5), 2),
            height=round(bottom - y(views), 2),
            day=day,
            views=views,
        )
        for index, (day, views, _) in enumerate(per_day)
    ]
    points = " ".join(
        f"{round(LEFT + (index + 0.5) * slot, 2)},{y(previous)}"
        for index, (_, _, previous) in enumerate(per_day)
    )
    values = (0, maximum // 2, maximum)
    y_labels = [Label(LEFT - 6, y(value) + 4, value, "end") for value in values]
    picks = sorted({0, len(per_day) // 2, len(per_day) - 1}) if per_day else []
    if size == "narrow" and len(picks) == 3:
        picks = [picks[0], picks[2]]
    x_labels = []
    for index in picks:
        anchor = "start" if index == 0 else "end" if index == len(per_day) - 1 else "middle"
        x = LEFT if anchor == "start" else width if anchor == "end" else LEFT + (index + 0.5) * slot
        x_labels.append(Label(round(x, 2), height - 6, per_day[index][0], anchor))
    grid = [y(value) for value in values[1:]]
    return Chart(size, width, height, LEFT, bottom, bars, points, y_labels, x_labels, grid)
