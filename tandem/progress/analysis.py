"""One goal's analysis for the pages, reports and API: the trend rules applied to a Goal.

The rules live in ``tandem.progress.trends`` (see its docstring and docs/progress-rules.md)
and the GAS T-score in ``tandem.plans.gas``; this module only maps a Goal onto them.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from tandem.plans import gas
from tandem.plans.models import Goal, MeasurementType

from . import trends

# The width of each bounded measurement scale, for the regression margin and flat limit;
# counts and durations have no upper bound (None).
SPANS: dict[str, float | None] = {
    MeasurementType.PERCENT_TRIALS: 100.0,
    MeasurementType.TASK_ANALYSIS: 100.0,
    MeasurementType.RATING: 4.0,
    MeasurementType.GAS_ONLY: 4.0,
    MeasurementType.FREQUENCY: None,
    MeasurementType.DURATION: None,
    MeasurementType.RATE: None,
    MeasurementType.LATENCY: None,
    MeasurementType.PARTIAL_INTERVAL: 100.0,
    MeasurementType.WHOLE_INTERVAL: 100.0,
    MeasurementType.MOMENTARY_SAMPLING: 100.0,
}


@dataclass
class GoalAnalysis:
    slope: float | None = None  # units of the goal's measure per week
    direction: str | None = None  # "improving", "steady", "worsening"
    mastered: bool = False
    plateau: bool = False
    regression: bool = False
    projected_date: datetime.date | None = None
    trend_line: tuple | None = None  # ((first day, value), (last day, value)) of the window
    last_value: float | None = None


def analyse(
    goal: Goal,
    values: Sequence[tuple[datetime.date, float]],
    *,
    today: datetime.date | None = None,
) -> GoalAnalysis:
    """Apply the trend rules to a goal's (date, value) readings, in session order.

    ``today`` is accepted for callers but does not change the result: the rules are
    anchored at the latest reading, so a past period reads the same on any day.
    """
    result = trends.assess(
        values,
        target=goal.mastery_value,
        sessions=goal.mastery_sessions,
        lower_is_better=goal.lower_is_better,
        span=SPANS.get(goal.measurement_type),
    )
    return GoalAnalysis(
        slope=result.slope,
        direction=result.direction,
        mastered=result.mastered,
        plateau=result.plateau,
        regression=result.regression,
        projected_date=result.projected_date,
        trend_line=result.trend_line,
        last_value=values[-1][1] if values else None,
    )


def tscore(levels: list[int], weights: list[int]) -> float:
    """Return the Kiresuk–Sherman GAS T-score of goals at ``levels`` with ``weights``."""
    return gas.t_score(levels, weights)
