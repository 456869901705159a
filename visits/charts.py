"""Server-side bar chart geometry for the statistics page's SVG."""

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 200
LEFT = 48  # room for the y-axis labels
BOTTOM = 24  # room for the date labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: object
    views: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    bars: list
    previous_points: str  # SVG polyline points of the previous period
    maximum: int


def views_chart(views_per_day, previous_views_per_day):
    maximum = max([v for _, v in views_per_day] + [v for _, v in previous_views_per_day] + [1])
    plot_width = WIDTH - LEFT
    plot_height = HEIGHT - BOTTOM
    slot = plot_width / max(len(views_per_day), 1)
    gap = slot * 0.15 if slot >= 4 else 0
    bars = []
    for index, (day, views) in enumerate(views_per_day):
        height = plot_height * views / maximum
        bars.append(
            Bar(
                x=round(LEFT + index * slot + gap / 2, 2),
                y=round(plot_height - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                day=day,
                views=views,
            )
        )
    points = " ".join(
        f"{round(LEFT + (index + 0.5) * slot, 2)},"
        f"{round(plot_height - plot_height * views / maximum, 2)}"
        for index, (_, views) in enumerate(previous_views_per_day)
    )
    return Chart(WIDTH, HEIGHT, LEFT, plot_height, bars, points, maximum)
