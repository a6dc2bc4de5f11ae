"""The trend rules for one goal's data series: slope, mastery, plateau, regression, projection.

Pure functions of dated values; no database. ``tandem.progress.analysis`` feeds them a
goal's signed session values. docs/progress-rules.md says the same for clinicians.

**Window.** The trend is read from the *recent window*: the last 6 readings taken within
90 days of the latest reading. Six readings is about six weeks of weekly therapy — enough
for a line, recent enough to show the effect of the current plan; the 90-day limit keeps
readings from before a long break out of it. The window ends at the latest reading (not
today) so a goal paused for a while keeps its last trend, and a report for a past period
reads the same whenever it is opened.

**Trend.** Ordinary least-squares slope of value against time, in the goal's own units
per week. It needs two readings on different days (several readings on one day are all
used, but they alone give no slope).

**Direction.** "steady" when |slope| is below the *flat limit*: 2 % per week of the
distance the trend line still has to go to the target (i.e. at that rate the target is
more than 50 weeks away). Without a target, or once the line has reached it, the flat
limit is 2 % per week of the scale's span (percent: 2 points a week) or, for unbounded
counts and durations, of the window's mean. Otherwise "improving" or "worsening",
towards better — which is *down* for goals where lower is better.

**Mastery.** The latest ``sessions`` readings all meet the criterion: value ≥ target
(≤ when lower is better). Fewer readings than that: not mastered. Mastery clears the
plateau and regression flags and the projection: the skill is held.

**Regression** (not mastered), either of:
  1. the window's slope is worsening, beyond the flat limit, and significant: one-sided
     t-test of the OLS slope at 5 % (t ≥ 6.31, 2.92, 2.35, 2.13 for 3, 4, 5, 6 readings);
  2. the mean of the last 3 readings is worse by the *margin* than the mean of the 3
     readings before them (in the window), or than the baseline — the mean of the goal's
     first 3 readings, when there are at least 6. The margin is 10 % of the scale's span
     (percent: 10 points; 1–5 rating: 0.4) or, for unbounded counts and durations, 20 %
     of the earlier mean (at least 1 unit).

**Plateau** (not mastered, not a regression, the goal has a target the line has not
reached): at least 5 readings in the window and the direction is "steady".

**Projected date.** The day the trend line reaches the target, counted from the latest
reading — only when the line has not reached it yet, the slope points towards it, the
goal is neither mastered nor regressing, and the day is at most 2 years (730 days) away.
None otherwise.
"""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

Point = tuple[datetime.date, float]

WINDOW_POINTS = 6
WINDOW_DAYS = 90
FLAT_RATE = 0.02  # of the distance to go (or of the scale) per week
PLATEAU_MIN_POINTS = 5
RECENT_POINTS = 3  # compared with the 3 before them and with the first 3 (baseline)
BOUNDED_MARGIN = 0.10  # of the scale's span
UNBOUNDED_MARGIN = 0.20  # of the earlier mean
PROJECTION_DAYS = 730
# Student's t, one-sided 5 %, by degrees of freedom (readings − 2).
T_CRITICAL = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860}
T_CRITICAL_LARGE = 1.645


@dataclass(frozen=True)
class Line:
    """A fitted trend line: ``value = level + slope·weeks since origin``."""

    origin: datetime.date
    level: float
    slope: float  # units per week

    def value_on(self, day: datetime.date) -> float:
        """Return the line's value on ``day``."""
        return self.level + self.slope * (day - self.origin).days / 7


@dataclass
class Trend:
    """What the rules say about one series."""

    window: list[Point] = field(default_factory=list)
    line: Line | None = None
    direction: str | None = None  # "improving", "steady", "worsening"
    mastered: bool = False
    plateau: bool = False
    regression: bool = False
    projected_date: datetime.date | None = None

    @property
    def slope(self) -> float | None:
        return None if self.line is None else self.line.slope

    @property
    def trend_line(self) -> tuple[Point, Point] | None:
        """The fitted line from the window's first to its last day, for charts."""
        if self.line is None:
            return None
        first, last = self.window[0][0], self.window[-1][0]
        return (first, self.line.value_on(first)), (last, self.line.value_on(last))


def clean(points: Sequence[Point]) -> list[Point]:
    """Return the readings with a finite value, in date order (same-day order kept)."""
    kept = [
        (day, float(value)) for day, value in points if value is not None and math.isfinite(value)
    ]
    return sorted(kept, key=lambda point: point[0])


def recent_window(points: Sequence[Point]) -> list[Point]:
    """Return the last WINDOW_POINTS readings within WINDOW_DAYS of the latest one."""
    if not points:
        return []
    since = points[-1][0] - datetime.timedelta(days=WINDOW_DAYS)
    return [p for p in points if p[0] >= since][-WINDOW_POINTS:]


def fit(points: Sequence[Point]) -> Line | None:
    """Return the least-squares line through the points, or None without two distinct days."""
    if len({day for day, _v in points}) < 2:
        return None
    origin = points[0][0]
    xs = [(day - origin).days / 7 for day, _v in points]
    ys = [value for _d, value in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Line(origin, mean_y - slope * mean_x, slope)


def slope_t(points: Sequence[Point], line: Line) -> float:
    """Return the slope's t statistic (infinite when the points lie exactly on the line)."""
    n = len(points)
    if n < 3:
        return 0.0
    xs = [(day - line.origin).days / 7 for day, _v in points]
    mean_x = sum(xs) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    residuals = sum((value - line.value_on(day)) ** 2 for day, value in points)
    error = math.sqrt(residuals / (n - 2) / sxx)
    if error == 0:
        return math.inf if line.slope else 0.0
    return line.slope / error


def is_mastered(
    values: Sequence[float], target: float | None, sessions: int, *, lower_is_better: bool
) -> bool:
    """Return whether each of the latest ``sessions`` values meets the target."""
    if target is None or sessions < 1 or len(values) < sessions:
        return False
    latest = values[-sessions:]
    if lower_is_better:
        return all(v <= target for v in latest)
    return all(v >= target for v in latest)


def margin(span: float | None, earlier: float) -> float:
    """Return how much worse a mean must be to count as a drop (see the module docstring)."""
    if span is not None:
        return BOUNDED_MARGIN * span
    return UNBOUNDED_MARGIN * max(abs(earlier), 1.0)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def dropped(
    values: Sequence[float], window: Sequence[float], span: float | None, better: int
) -> bool:
    """Return whether the last readings fell by the margin below those before, or baseline."""
    k = RECENT_POINTS
    if len(window) < 2 * k:
        return False
    last = _mean(window[-k:])
    earlier = [_mean(window[-2 * k : -k])]
    if len(values) >= 2 * k:
        earlier.append(_mean(values[:k]))
    return any(better * (before - last) >= margin(span, before) for before in earlier)


def assess(
    points: Sequence[Point],
    *,
    target: float | None = None,
    sessions: int = 3,
    lower_is_better: bool = False,
    span: float | None = None,
) -> Trend:
    """Apply the rules to one goal's readings.

    ``target`` is the mastery value and ``sessions`` how many readings in a row must meet
    it; ``span`` is the width of a bounded scale (100 for percentages), None if unbounded.
    """
    series = clean(points)
    values = [v for _d, v in series]
    window = recent_window(series)
    better = -1 if lower_is_better else 1
    result = Trend(window=window, line=fit(window))
    result.mastered = is_mastered(values, target, sessions, lower_is_better=lower_is_better)
    line = result.line
    if line is None:
        return result
    latest = window[-1][0]
    # How far the line still has to go, towards better (≤ 0 once it is there).
    to_go = None if target is None else better * (target - line.value_on(latest))
    if to_go is not None and to_go > 0:
        reference = to_go
    elif span is not None:
        reference = span
    else:
        reference = max(abs(_mean([v for _d, v in window])), 1.0)
    flat = abs(line.slope) < FLAT_RATE * reference
    towards = better * line.slope
    result.direction = "steady" if flat else "improving" if towards > 0 else "worsening"
    if result.mastered:
        return result
    n = len(window)
    significant = better * slope_t(window, line) <= -T_CRITICAL.get(n - 2, T_CRITICAL_LARGE)
    result.regression = (result.direction == "worsening" and significant) or dropped(
        values, [v for _d, v in window], span, better
    )
    result.plateau = (
        not result.regression
        and n >= PLATEAU_MIN_POINTS
        and result.direction == "steady"
        and to_go is not None
        and to_go > 0
    )
    if not result.regression and to_go is not None and to_go > 0 and towards > 0:
        days = to_go / towards * 7
        if days <= PROJECTION_DAYS:
            # The first whole day on which the line is at the target.
            result.projected_date = latest + datetime.timedelta(days=math.ceil(round(days, 6)))
    return result
