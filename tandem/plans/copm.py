"""COPM arithmetic: change scores and averages of family-rated activities (1–10).

By the COPM manual's convention the performance (or satisfaction) score is the
mean of the activities' ratings, the change score is re-assessment minus initial,
and a change of 2 points or more is clinically important.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

CLINICALLY_IMPORTANT_CHANGE = 2
MAX_ACTIVITIES = 5


class Rated(Protocol):
    initial_performance: int
    initial_satisfaction: int
    reassessed_performance: int | None
    reassessed_satisfaction: int | None


@dataclass(frozen=True)
class CopmSummary:
    """Average scores before and after, over the activities rated both times."""

    count: int
    initial_performance: float | None
    initial_satisfaction: float | None
    reassessed_count: int
    reassessed_performance: float | None
    reassessed_satisfaction: float | None
    performance_change: float | None
    satisfaction_change: float | None

    @property
    def performance_important(self) -> bool:
        return is_important(self.performance_change)

    @property
    def satisfaction_important(self) -> bool:
        return is_important(self.satisfaction_change)


def is_important(change: float | None) -> bool:
    """A rise of 2 points or more is a clinically important improvement."""
    return change is not None and change >= CLINICALLY_IMPORTANT_CHANGE


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summarize(activities: Iterable[Rated]) -> CopmSummary:
    """Average the ratings; change scores use the activities re-rated on both scales."""
    rated = list(activities)
    # (initial, re-rated) performance and satisfaction of the activities rated both times.
    again = [
        (a.initial_performance, p, a.initial_satisfaction, s)
        for a in rated
        if (p := a.reassessed_performance) is not None
        and (s := a.reassessed_satisfaction) is not None
    ]
    after_p = _mean([p for _, p, _, _ in again])
    after_s = _mean([s for _, _, _, s in again])
    before_p = _mean([p for p, _, _, _ in again])
    before_s = _mean([s for _, _, s, _ in again])
    return CopmSummary(
        count=len(rated),
        initial_performance=_mean([a.initial_performance for a in rated]),
        initial_satisfaction=_mean([a.initial_satisfaction for a in rated]),
        reassessed_count=len(again),
        reassessed_performance=after_p,
        reassessed_satisfaction=after_s,
        performance_change=_change(before_p, after_p),
        satisfaction_change=_change(before_s, after_s),
    )


def _change(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)
