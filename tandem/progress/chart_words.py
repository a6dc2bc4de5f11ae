"""The words of a chart, placed once in Python: axis labels outside the plot, then the
names of the lines inside it, each at the first free spot (see ``labels``)."""

from typing import TYPE_CHECKING

from . import labels

if TYPE_CHECKING:
    from .charts import Chart, Tick

FONT = 14
LATE = "#9b1c1c"  # a projection later than the target date


def place(chart: "Chart", ticks: list["Tick"], due_label: str, late_label: str) -> None:
    """Axis labels outside the plot, then the lines' names inside it, each where it
    covers nothing drawn (see ``labels``); a name that fits nowhere is left to the legend."""
    size, grey = FONT, "#4a5568"
    chart.texts = [
        labels.Label(t.label, chart.left - 6, round(t.position + 5, 1), "end", size, grey, "tick-y")
        for t in chart.y_ticks
    ]
    chart.texts += labels.thin_ticks(
        [
            labels.Label(
                t.label,
                t.position,
                chart.bottom + 18,
                "start" if i == 0 else "end" if i == len(ticks) - 1 and i else "middle",
                size,
                grey,
                "tick-x",
            )
            for i, t in enumerate(ticks)
        ]
    )
    dot_r = chart.dot_radius
    obstacles = labels.Obstacles(
        [t.box for t in chart.texts]
        + [labels.Box(d.x - dot_r, d.y - dot_r, d.x + dot_r, d.y + dot_r) for d in chart.dots]
        + [labels.Box(m.x, m.y, m.x + m.width, m.y + m.height) for m in chart.marks],
        labels.path_segments([(d.x, d.y) for d in chart.dots]),
    )
    if chart.trend:
        obstacles.segments.append(chart.trend)
    for line_x in (chart.marker_x, chart.due_x):
        if line_x is not None:
            obstacles.segments.append((line_x, chart.top, line_x, chart.bottom))
    if chart.target_y is not None:
        obstacles.segments.append((chart.left, chart.target_y, chart.right, chart.target_y))
    within = labels.Box(chart.left + 1, 1, chart.width - 1, chart.bottom - 1)
    placed = [
        _name_line(chart.target_label, chart.target_y, "#2f7d4f", chart, within, obstacles)
        if chart.target_y is not None
        else None,
        _name_mark(chart.marker_label, chart.marker_x, "#1d2430", chart, within, obstacles),
        _name_mark(due_label, chart.due_x, LATE, chart, within, obstacles),
    ]
    if chart.late and late_label:
        # Near the projected date when there is one, else along the top of the plot.
        at = chart.marker_x if chart.marker_x is not None else chart.right
        placed.append(_name_mark(late_label, at, LATE, chart, within, obstacles, row=1))
    chart.texts += [p for p in placed if p is not None]


def _name_line(
    text: str,
    at: float,
    fill: str,
    chart: "Chart",
    within: labels.Box,
    obstacles: labels.Obstacles,
) -> labels.Label | None:
    """A horizontal line's name: above it or below it, at its right end, left end or middle."""
    above, below = at - 7, at + FONT + 3
    spots = [
        (x, y, anchor)
        for y in (above, below)
        for x, anchor in ((chart.right, "end"), (chart.left + 6, "start"), (chart.mid_x, "middle"))
    ]
    return labels.place(text, spots, size=FONT, fill=fill, within=within, obstacles=obstacles)


def _name_mark(
    text: str,
    at: float | None,
    fill: str,
    chart: "Chart",
    within: labels.Box,
    obstacles: labels.Obstacles,
    row: int = 0,
) -> labels.Label | None:
    """A vertical line's name: beside it, left or right, from the top of the plot down."""
    if at is None or not text:
        return None
    rows = [chart.top + FONT * (1.2 * n + 0.8) for n in range(row, 12)]
    spots = [
        (at + side * 5, y, "end" if side < 0 else "start")
        for y in rows
        if y < chart.bottom
        for side in (-1, 1)
    ]
    return labels.place(text, spots, size=FONT, fill=fill, within=within, obstacles=obstacles)
