"""PROVISIONAL: adapter over tandem.progress.trends and tandem.plans.gas (not yet committed)."""

import datetime
import math
from dataclasses import dataclass


@dataclass
class GoalAnalysis:
    slope: float | None = None  # units of the goal's measure per week
    direction: str | None = None  # "improving", "steady", "worsening"
    mastered: bool = False
    plateau: bool = False
    regression: bool = False
    projected_date: datetime.date | None = None
    trend_line: tuple | None = None
    last_value: float | None = None


def analyse(goal, values, *, today=None) -> GoalAnalysis:  # type: ignore[no-untyped-def]
    return GoalAnalysis(last_value=values[-1][1] if values else None)


def tscore(levels: list[int], weights: list[int]) -> float:
    rho = 0.3
    num = sum(w * x for w, x in zip(weights, levels, strict=True))
    den = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    return 50 + 10 * num / den
