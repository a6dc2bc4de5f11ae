"""Geometry for the server-rendered SVG charts: scales, ticks and coordinates, no drawing.

The templates draw; this module only turns dates and values into pixels, so a chart
needs no JavaScript and prints the same in the PDF.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tandem.core.numbers import for_people
from tandem.plans.family import FAMILY_MEASURES
from tandem.plans.models import Goal, MeasurementType

from . import chart_words, labels
from .chart_words import FONT
from .labels import Label
from .services import ChildProgress, GoalProgress, PlanProgress

# Two drawings of each chart: a narrow one for phones (its 14-unit text is about 12 px
# when a 375 px screen scales it to its card) and a wide one for larger screens, so the
# chart fills its card at any width without its words growing huge. CSS shows one.
# At most this many dots and bars (a dot every ~6 units): a longer series is drawn as
# averages over equal spans of time, so a chart costs the same after 3 years as after 3
# months. Trend, mastery and the API use every reading.
MAX_DOTS = 56
MAX_BARS = 56
NARROW_DOTS = 28  # the phone's drawing: a dot every ~11 units of its narrower plot
WIDTH = 360
HEIGHT = 252  # a plot 196 high: quarters and eighths are exact (the bars)
LEFT, RIGHT, TOP, BOTTOM = 44, 10, 12, 44
WIDE_WIDTH, WIDE_HEIGHT = 720, 292


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    x_ticks: int  # spans between time-axis ticks (labels that would touch are dropped)
    max_dots: int  # dots (and bars) at most; more readings are averaged over spans of time


NARROW = Frame(WIDTH, HEIGHT, 2, NARROW_DOTS)
WIDE = Frame(WIDE_WIDTH, WIDE_HEIGHT, 5, MAX_DOTS)


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Dot:
    x: float
    y: float
    label: str


@dataclass
class Mark:
    """One week of home practice: a bar standing on the time axis."""

    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass
class Chart:
    """Pixel coordinates for one chart, in a ``width`` x ``height`` viewBox.

    Coordinates stay numbers (the template draws them with localization off); labels are
    text for people, already in their language. ``wide`` is the same chart drawn for a
    wide card.
    """

    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    right: float = WIDTH - RIGHT
    top: float = TOP
    bottom: float = HEIGHT - BOTTOM
    font: int = FONT
    dots: list[Dot] = field(default_factory=list)
    path: str = ""
    y_ticks: list[Tick] = field(default_factory=list)
    trend: tuple[float, float, float, float] | None = None
    target_y: float | None = None
    target_label: str = ""
    marker_x: float | None = None
    marker_label: str = ""
    # The goal's target date, drawn when the projection is later than it (or there is none).
    due_x: float | None = None
    late: bool = False
    y_label: str = ""
    marks: list[Mark] = field(default_factory=list)
    # Every word drawn on the chart, placed so none covers a dot, a line or another word.
    texts: list[Label] = field(default_factory=list)
    # A long series is drawn as averages over spans of time (see MAX_DOTS, MAX_BARS).
    averaged: bool = False
    practice_weeks: int = 0
    bar_weeks: int = 1
    wide: "Chart | None" = None
    tooltips: bool = True

    @property
    def dot_radius(self) -> float:
        return 2.5 if len(self.dots) > 40 else 3.5

    @property
    def dots_svg(self) -> SafeString:
        """The dots' markup, built once in Python rather than node by node in the
        template (coordinates as plain numbers, labels escaped). Only the wide drawing
        has tooltips: a phone has no pointer to hover with (the table says every value)."""
        radius = self.dot_radius
        if not self.tooltips:
            return mark_safe(  # noqa: S308 — numbers only
                "".join(f'<circle cx="{d.x}" cy="{d.y}" r="{radius}"/>' for d in self.dots)
            )
        return mark_safe(  # noqa: S308 — numbers and escaped labels only
            "".join(
                f'<circle cx="{d.x}" cy="{d.y}" r="{radius}">'
                f"<title>{escape(d.label)}</title></circle>"
                for d in self.dots
            )
        )

    @property
    def marks_svg(self) -> SafeString:
        """The home-practice bars' markup, as ``dots_svg``."""
        return mark_safe(  # noqa: S308 — numbers and escaped labels only
            "".join(
                f'<rect x="{m.x}" y="{m.y}" width="{m.width}" height="{m.height}" '
                'fill="#6b9f7f" fill-opacity="0.55" stroke="#2f7d4f" stroke-width="0.5">'
                f"<title>{escape(m.label)}</title></rect>"
                for m in self.marks
            )
        )

    @property
    def texts_svg(self) -> SafeString:
        """Every placed word: axis labels and the lines' names (escaped)."""
        return mark_safe(  # noqa: S308 — numbers and escaped labels only
            "".join(
                f'<text class="{t.css}" x="{t.x}" y="{t.y}" text-anchor="{t.anchor}" '
                f'font-size="{t.size}" fill="{t.fill}">{escape(t.text)}</text>'
                for t in self.texts
            )
        )

    @property
    def mid_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2


def day_label(day: datetime.date) -> str:
    """A date for a chart's labels ("15 Jan 2024"), in the active language. The same
    session dates recur on every goal's chart, and formatting a date is slow: cached."""
    return _day_label(day, get_language())


@lru_cache(maxsize=4096)
def _day_label(day: datetime.date, language: str | None) -> str:
    return date_format(day, "MEDIUM_DATE_FORMAT")


def _nice_step(span: float, count: int = 5) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _value_range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def build(
    points: list[tuple[datetime.date, float]],
    *,
    trend: tuple[tuple[datetime.date, float], tuple[datetime.date, float]] | None = None,
    target: float | None = None,
    target_label: str = "",
    marker: datetime.date | None = None,
    marker_label: str = "",
    due: datetime.date | None = None,
    due_label: str = "",
    late_label: str = "",
    y_floor: float | None = None,
    y_ceiling: float | None = None,
    fixed: tuple[float, float] | None = None,
    marks: list[tuple[datetime.date, int]] | None = None,
    frame: Frame = NARROW,
) -> Chart:
    """Lay out a time series with an optional trend segment, target line and date marker.

    ``marks`` are (Monday, times practised at home that week), drawn as bars on the time axis.
    ``due`` is the goal's target date, drawn with ``late_label`` when the projection
    (``marker``) is later than it or there is none.
    """
    chart = Chart(width=frame.width, height=frame.height, right=frame.width - RIGHT)
    chart.bottom = frame.height - BOTTOM
    marks = marks or []
    if not points and not marks:
        return chart
    dates = [d for d, _v in points] + ([marker] if marker else []) + ([due] if due else [])
    dates += [d + datetime.timedelta(days=offset) for d, _n in marks for offset in (0, 6)]
    if trend:
        dates += [trend[0][0], trend[1][0]]
    start, end = min(dates), max(dates)
    days = max((end - start).days, 1)
    values = [v for _d, v in points] + ([target] if target is not None else [])
    if trend:
        values += [trend[0][1], trend[1][1]]
    low, high = _value_range(values or [0.0, 1.0])
    if y_floor is not None:
        low = max(low, y_floor)
    if y_ceiling is not None:
        high = min(high, y_ceiling)
    if fixed is not None:
        low, high = fixed
    if high <= low:
        high = low + 1
    step = _nice_step(high - low, 4)
    tick_values = []
    tick = low
    while tick <= high + 1e-9:
        tick_values.append((tick, for_people(round(tick, 6))))
        tick += step
    # Room on the left for the widest value label.
    widest = max(len(text) for _v, text in tick_values)
    chart.left = max(LEFT, math.ceil(widest * FONT * labels.CHAR_WIDTH + 10))

    def x(day: datetime.date) -> float:
        return round(chart.left + (day - start).days / days * (chart.right - chart.left), 1)

    def y(value: float) -> float:
        clamped = min(max(value, low), high)
        return round(chart.bottom - (clamped - low) / (high - low) * (chart.bottom - chart.top), 1)

    chart.dots = [
        Dot(x(day), y(value), label) for day, value, label in _dots(points, frame.max_dots)
    ]
    chart.averaged = len(points) > frame.max_dots
    chart.path = " ".join(
        f"{'M' if i == 0 else 'L'}{dot.x},{dot.y}" for i, dot in enumerate(chart.dots)
    )
    chart.y_ticks = [Tick(y(value), text) for value, text in tick_values]
    if trend:
        (d0, v0), (d1, v1) = trend
        chart.trend = (x(d0), y(v0), x(d1), y(v1))
    if target is not None:
        chart.target_y, chart.target_label = y(target), target_label
    if marker:
        chart.marker_x, chart.marker_label = x(marker), marker_label
    if due:
        chart.due_x, chart.late = x(due), True
    _lay_out_marks(chart, marks, x, frame.max_dots)
    chart_words.place(
        chart, _x_ticks(_date_ticks(start, end, frame.x_ticks), x), due_label, late_label
    )
    return chart


def _spans(first: datetime.date, last: datetime.date, count: int) -> Callable[[datetime.date], int]:
    """Which of ``count`` equal spans of time from ``first`` to ``last`` a day falls in."""
    days = max((last - first).days, 1)
    return lambda day: min((day - first).days * count // days, count - 1)


def _dots(
    points: list[tuple[datetime.date, float]], most: int = MAX_DOTS
) -> list[tuple[datetime.date, float, str]]:
    """Each session's dot, or, past ``most`` sessions, one dot per span of time: the
    average of its sessions, at their middle date, labelled with the span and count."""
    if len(points) <= most:
        return [(d, v, f"{day_label(d)}: {for_people(v)}") for d, v in points]
    span_of = _spans(points[0][0], points[-1][0], most)
    groups: dict[int, list[tuple[datetime.date, float]]] = {}
    for day, value in points:
        groups.setdefault(span_of(day), []).append((day, value))
    dots = []
    wordings: dict[int, str] = {}  # the label's wording per session count, looked up once
    for group in groups.values():
        first, last = group[0][0], group[-1][0]
        middle = first + (last - first) / 2
        mean = sum(v for _d, v in group) / len(group)
        count = len(group)
        if count not in wordings:
            wordings[count] = ngettext(
                "%(first)s – %(last)s: average %(value)s (%(n)s session)",
                "%(first)s – %(last)s: average %(value)s (%(n)s sessions)",
                count,
            )
        label = wordings[count] % {
            "first": day_label(first),
            "last": day_label(last),
            "value": for_people(round(mean, 1)),
            "n": len(group),
        }
        dots.append((middle, mean, label))
    return dots


def _bars(
    marks: list[tuple[datetime.date, int]], most: int = MAX_BARS
) -> list[tuple[datetime.date, int, int]]:
    """(first Monday, times practised, weeks) per bar: each week, or, past ``most`` weeks,
    runs of consecutive weeks added up."""
    marks = sorted((d, n) for d, n in marks if n > 0)
    if len(marks) <= most:
        return [(d, n, 1) for d, n in marks]
    weeks = ((marks[-1][0] - marks[0][0]).days // 7) + 1
    size = -(-weeks // most)  # weeks per bar, rounded up
    bars: dict[int, tuple[datetime.date, int]] = {}
    for monday, count in marks:
        index = (monday - marks[0][0]).days // 7 // size
        start = marks[0][0] + datetime.timedelta(weeks=index * size)
        bars[index] = (start, bars.get(index, (start, 0))[1] + count)
    return [(start, count, size) for start, count in bars.values()]


def _lay_out_marks(
    chart: Chart,
    marks: list[tuple[datetime.date, int]],
    x: Callable[[datetime.date], float],
    limit: int = MAX_BARS,
) -> None:
    """Bars of home practice along the bottom quarter of the plot, tallest = busiest."""
    bars = _bars(marks, limit)
    chart.practice_weeks = sum(1 for _d, n in marks if n > 0)
    chart.bar_weeks = max((w for _d, _n, w in bars), default=1)
    most = max((n for _d, n, _w in bars), default=0)
    room = (chart.bottom - chart.top) / 4
    for monday, count, weeks in bars:
        left, right = x(monday), x(monday + datetime.timedelta(days=7 * weeks - 1))
        height = round(max(room * count / most, 3), 1)
        day = day_label(monday)
        if weeks == 1:
            label = ngettext(
                "Week of %(day)s: practised at home %(n)s time",
                "Week of %(day)s: practised at home %(n)s times",
                count,
            ) % {"day": day, "n": count}
        else:
            label = ngettext(
                "%(weeks)s weeks from %(day)s: practised at home %(n)s time",
                "%(weeks)s weeks from %(day)s: practised at home %(n)s times",
                count,
            ) % {"weeks": weeks, "day": day, "n": count}
        width = round(max(right - left, 3), 1)
        chart.marks.append(Mark(left, round(chart.bottom - height, 1), width, height, label))


def _x_ticks(days: list[datetime.date], x: Callable[[datetime.date], float]) -> list[Tick]:
    """Month and year under each tick; day and month when months would repeat ("8 Jan")."""
    texts = [date_format(d, "SHORT_YEAR_MONTH_FORMAT") for d in days]
    if len(set(texts)) < len(texts):
        texts = [date_format(d, "SHORT_MONTH_DAY_FORMAT") for d in days]
    return [Tick(x(d), text) for d, text in zip(days, texts, strict=True)]


def _date_ticks(start: datetime.date, end: datetime.date, count: int = 3) -> list[datetime.date]:
    if start == end:
        return [start]
    days = (end - start).days
    return [start + datetime.timedelta(days=round(days * i / count)) for i in range(count + 1)]


# Scales whose ends are fixed by the measurement (percentages, 1-5 ratings): drawn in full.
FIXED = {
    "percent_trials": (0.0, 100.0),
    "task_analysis": (0.0, 100.0),
    "rating": (1.0, 5.0),
    "gas_only": (-2.0, 2.0),
    "partial_interval": (0.0, 100.0),
    "whole_interval": (0.0, 100.0),
    "momentary_sampling": (0.0, 100.0),
}


def goal_chart(progress: GoalProgress, *, family: bool = False, name: str = "") -> Chart:
    """The chart of one goal (narrow, with its wide drawing): its readings, trend, mastery
    line and projected date, and the target date when the projection is later than it.

    For families the lines are named plainly ("Goal: 80", "How long Mateo kept going").
    """
    goal, result, values = progress.goal, progress.analysis, progress.values
    projected = result.projected_date
    if projected and values and (projected - values[-1][0]).days > 365:
        projected = None  # too far out to draw usefully; the text still says it
    due = goal.target_date if progress.late else None
    if due and not (
        values[0][0] <= due
        and (due - values[-1][0]).days <= max((values[-1][0] - values[0][0]).days, 90)
    ):
        due = None  # far from the readings (they would shrink to a corner): the text says it
    value = {"value": for_people(goal.mastery_value or 0)}
    if family:
        late = _("Later than hoped") if result.projected_date else _("May take longer than hoped")
    else:
        late = (
            _("Projected after the target date")
            if result.projected_date
            else _("Not on course for the target date")
        )
    options = {
        "marks": getattr(progress, "home_practice", None),
        "trend": result.trend_line,
        "target": goal.mastery_value,
        "target_label": (_("Goal: %(value)s") if family else _("Mastery %(value)s")) % value,
        "marker": projected,
        "marker_label": date_format(projected, "MEDIUM_DATE_FORMAT") if projected else "",
        "due": due,
        "due_label": _("Hoped-for date") if family else _("Target date"),
        "late_label": late if progress.late else "",
        "y_floor": 0.0,
        "fixed": FIXED.get(goal.measurement_type),
    }
    chart = build(values, **options)  # type: ignore[arg-type]
    chart.tooltips = False
    chart.wide = build(values, frame=WIDE, **options)  # type: ignore[arg-type]
    chart.late = progress.late
    chart.y_label = chart.wide.y_label = measure_label(goal, family=family, name=name)
    return chart


def measure_label(goal: Goal, *, family: bool = False, name: str = "") -> str:
    """What a goal's values measure, in plain words for families (with the child's name,
    so no pronoun is guessed)."""
    if not family:
        return str(goal.get_measurement_type_display())
    kind = goal.measurement_type
    if kind == MeasurementType.DURATION and name:
        if goal.lower_is_better:
            return _("How long it took %(name)s, in seconds") % {"name": name}
        return _("How long %(name)s kept going, in seconds") % {"name": name}
    if kind == MeasurementType.DURATION:
        return _("How long it lasted, in seconds")
    if kind == MeasurementType.FREQUENCY and goal.lower_is_better:
        return _("How many times it happened")
    return (
        str(FAMILY_MEASURES.get(MeasurementType(kind), "")) or goal.get_measurement_type_display()
    )


def tscore_chart(plan_progress: PlanProgress, *, family: bool = False) -> Chart:
    """The plan's GAS T-score over time, with the expected outcome (T = 50) as a line."""
    label = _("As expected (50)") if family else _("Expected (T = 50)")
    chart = build(plan_progress.tscores, target=50.0, target_label=label)
    chart.tooltips = False
    chart.wide = build(plan_progress.tscores, target=50.0, target_label=label, frame=WIDE)
    return chart


def child_name(progress: ChildProgress) -> str:
    """The name a family calls the child by, for the charts' plain labels."""
    child = progress.child
    return child.preferred_name or child.first_name


def draw(progress: ChildProgress, *, family: bool = False) -> None:
    """Attach a chart to every plan and goal of a ChildProgress."""
    name = child_name(progress) if family else ""
    for plan in progress.plans:
        plan.chart = tscore_chart(plan, family=family)
        for goal in plan.goals:
            goal.chart = goal_chart(goal, family=family, name=name)
