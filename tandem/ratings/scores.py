# ruff: noqa: RUF002
"""Three GAS T-scores side by side over time: the therapist's, the family's, the child's.

Each is the Kiresuk–Sherman T-score (``tandem.plans.gas.t_score``: goal weights, ρ = 0.3)
of one plan's goals, discontinued goals left out, as at the end of each month:

- the therapist's: the plan's T-score from signed sessions' GAS levels, as the Progress
  tab draws it (``progress.services.tscores_over_time``: a goal without a session level
  counts at its baseline) — the score standing on the month's last day;
- the family's and the child's: each goal at its latest rating up to that day. A goal
  nobody of that kind has rated yet is left out rather than guessed, so a score is only
  given when at least half of the plan's goals (rounded up, and at least one) have been
  rated; otherwise None ("too few goals rated"). How many goals it rests on is shown.

Months run from the first month with a rating to the period's end, newest first, the
latest ``MONTHS`` only. No rating at all: no table.
"""

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tandem.plans import gas
from tandem.plans.models import GoalStatus

from .models import Rater

MONTHS = 12


class ScoredGoal(Protocol):
    """What the scores read of a goal (a ``plans.Goal``)."""

    id: Any
    gas_weight: int
    status: str


# (goal_id, rater, rated_on, level), in date order.
RatingRow = tuple[Any, str, datetime.date, int]


@dataclass
class MonthScores:
    month: datetime.date  # the first of the month
    therapist: float | None
    family: float | None
    family_rated: int
    child: float | None
    child_rated: int
    goals: int  # the plan's scored goals


def minimum_rated(goal_count: int) -> int:
    """How many goals a family or a child must have rated for a T-score: half, rounded up."""
    return max(1, math.ceil(goal_count / 2))


def rater_tscore(goals: Sequence[ScoredGoal], levels: dict[Any, int]) -> tuple[float | None, int]:
    """The T-score of the ``goals`` rated in ``levels`` ({goal_id: level}) and how many
    were rated; None when fewer than ``minimum_rated`` were."""
    rated = [g for g in goals if g.id in levels]
    if not rated or len(rated) < minimum_rated(len(goals)):
        return None, len(rated)
    score = gas.t_score([levels[g.id] for g in rated], [g.gas_weight for g in rated])
    return score, len(rated)


def _month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of each month from ``first``'s to ``last``'s, newest first, capped."""
    months: list[datetime.date] = []
    month = last.replace(day=1)
    while month >= first.replace(day=1) and len(months) < MONTHS:
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def side_by_side(
    goals: Iterable[ScoredGoal],
    therapist_points: Sequence[tuple[datetime.date, float]],
    ratings: Iterable[RatingRow],
    *,
    end: datetime.date,
    start: datetime.date | None = None,
) -> list[MonthScores]:
    """Each month's three T-scores of one plan's ``goals`` (pure: no query).

    ``therapist_points`` are the plan's (date, T-score) in date order; ``ratings`` the
    child's ratings in date order (those of other goals or after ``end`` are ignored).
    """
    scored = [g for g in goals if g.status != GoalStatus.DISCONTINUED]
    ids = {g.id for g in scored}
    rows = sorted((r for r in ratings if r[0] in ids and r[2] <= end), key=lambda r: r[2])
    if not scored or not rows:
        return []
    first = rows[0][2] if start is None else max(rows[0][2], start)
    table = []
    for month in _months(first, end):
        cutoff = min(_month_end(month), end)
        latest: dict[str, dict[Any, int]] = {Rater.FAMILY: {}, Rater.CHILD: {}}
        for goal_id, rater, day, level in rows:
            if day > cutoff:
                break
            latest[rater][goal_id] = level
        standing = [t for day, t in therapist_points if day <= cutoff]
        family, family_rated = rater_tscore(scored, latest[Rater.FAMILY])
        child, child_rated = rater_tscore(scored, latest[Rater.CHILD])
        table.append(
            MonthScores(
                month=month,
                therapist=standing[-1] if standing else None,
                family=family,
                family_rated=family_rated,
                child=child,
                child_rated=child_rated,
                goals=len(scored),
            )
        )
    return table


def rating_rows(queryset: Any) -> list[RatingRow]:
    """A ratings queryset as ``RatingRow`` tuples in date order (one query)."""
    return list(
        queryset.order_by("rated_on", "created_at").values_list(
            "goal_id", "rater", "rated_on", "level"
        )
    )


def side_by_side_for(
    membership: Any,
    child: Any,
    goals: Sequence[Any],
    *,
    end: datetime.date | None = None,
    start: datetime.date | None = None,
) -> list[MonthScores]:
    """The side-by-side table of one plan's ``goals`` (with ``goal.plan`` loaded): the
    therapist's T-scores from the child's signed sessions (the Progress tab's own
    computation), the ratings the member reads. Two queries."""
    from tandem.core import clock
    from tandem.progress.services import signed_readings, tscores_over_time

    from .access import ratings_of

    end = end or clock.today_for_member(membership)
    series = signed_readings(membership, child, end=end)
    points = tscores_over_time(list(goals), series)
    ids = [g.id for g in goals]
    rows = rating_rows(ratings_of(membership, child).filter(goal_id__in=ids, rated_on__lte=end))
    return side_by_side(goals, points, rows, end=end, start=start)
