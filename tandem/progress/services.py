"""A child's progress: per-goal series, trend and flags, and each plan's GAS T-score over time.

Everything is read in three queries whatever the amount of data (plans, goals, goal
data), through the plans and notes access modules. Only signed notes count, for
every reader: a draft may still change, so it is not data yet.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import QuerySet

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.notes.access import goal_data_of
from tandem.notes.models import NoteStatus
from tandem.plans.access import goals_of, plans_of
from tandem.plans.family import FAMILY_STEPS
from tandem.plans.models import Goal, GoalStatus, Plan, PlanStatus

from . import analysis


@dataclass
class Reading:
    """One signed session's measurement of one goal."""

    date: datetime.date
    value: float | None
    gas_level: int | None
    note_id: object = None

    @property
    def family_step(self) -> str:
        """The GAS level reached, as a family reads it (a step on the way)."""
        return "" if self.gas_level is None else str(FAMILY_STEPS.get(self.gas_level, ""))


# The Progress tab's table shows a goal's latest sessions (the rest on the goal's own
# page); the clinical PDF prints a summary of the latest months, not every session.
TABLE_ROWS = 10
SUMMARY_MONTHS = 12


@dataclass
class MonthSummary:
    month: datetime.date
    sessions: int
    mean: float | None
    low: float | None
    high: float | None


@dataclass
class GoalProgress:
    goal: Goal
    readings: list[Reading]
    analysis: analysis.GoalAnalysis
    chart: object = None  # set by charts.draw for pages and reports
    # [(Monday, times practised at home that week)], set by with_home_practice.
    home_practice: list = field(default_factory=list)
    status_word: str = ""  # where the goal stands, for the clinical tables (clinical.py)

    @property
    def values(self) -> list[tuple[datetime.date, float]]:
        return [(r.date, r.value) for r in self.readings if r.value is not None]

    @cached_property
    def late(self) -> bool:
        """Whether the goal is off course for its target date: not mastered, the trend
        line short of the target, and the projected day after the target date or none
        (the line points away, a regression, or more than two years out)."""
        result, goal = self.analysis, self.goal
        if result.mastered or goal.mastery_value is None or result.trend_line is None:
            return False
        better = -1 if goal.lower_is_better else 1
        if better * (goal.mastery_value - result.trend_line[1][1]) <= 0:
            return False  # the line is there; mastery waits for enough sessions in a row
        return result.projected_date is None or result.projected_date > goal.target_date

    @property
    def latest_readings(self) -> list[Reading]:
        """The latest TABLE_ROWS sessions, newest first."""
        return self.readings[: -TABLE_ROWS - 1 : -1]

    @property
    def more_readings(self) -> bool:
        return len(self.readings) > TABLE_ROWS

    @cached_property
    def monthly(self) -> list[MonthSummary]:
        """Sessions, average, lowest and highest value per month: the latest
        SUMMARY_MONTHS months with sessions, newest first."""
        months: dict[datetime.date, list[Reading]] = {}
        for reading in reversed(self.readings):
            month = reading.date.replace(day=1)
            if month not in months and len(months) == SUMMARY_MONTHS:
                break
            months.setdefault(month, []).append(reading)
        summaries = []
        for month, readings in months.items():
            values = [r.value for r in readings if r.value is not None]
            mean = sum(values) / len(values) if values else None
            low, high = (min(values), max(values)) if values else (None, None)
            summaries.append(MonthSummary(month, len(readings), mean, low, high))
        return summaries

    @property
    def monthly_capped(self) -> bool:
        """Whether sessions older than the months ``monthly`` shows exist."""
        shown = self.monthly
        return bool(shown) and self.readings[0].date < shown[-1].month

    @property
    def latest_gas(self) -> int:
        levels = [r.gas_level for r in self.readings if r.gas_level is not None]
        return levels[-1] if levels else self.goal.gas_baseline

    @property
    def latest_gas_description(self) -> str:
        return self.goal.gas_description(self.latest_gas)

    @property
    def needs_review(self) -> bool:
        return self.analysis.plateau or self.analysis.regression


@dataclass
class PlanProgress:
    plan: Plan
    goals: list[GoalProgress]
    tscores: list[tuple[datetime.date, float]] = field(default_factory=list)
    chart: object = None
    # The Progress tab's rendered T-score chart and goal cards ("tscore", "goals"),
    # set by fragments.attach.
    html: dict = field(default_factory=dict)

    @property
    def latest_tscores(self) -> list[tuple[datetime.date, float]]:
        """The latest TABLE_ROWS T-scores, newest first (the chart draws them all)."""
        return self.tscores[: -TABLE_ROWS - 1 : -1]

    @property
    def latest_tscore(self) -> float | None:
        return self.tscores[-1][1] if self.tscores else None


@dataclass
class ChildProgress:
    child: Child
    plans: list[PlanProgress]
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def goals(self) -> list[GoalProgress]:
        return [g for p in self.plans for g in p.goals]

    @property
    def session_count(self) -> int:
        return len({r.note_id for g in self.goals for r in g.readings})

    @property
    def to_review(self) -> list[GoalProgress]:
        return [g for g in self.goals if g.needs_review]


def _signed_data(membership: Membership, child: Child) -> QuerySet:
    """The child's goal data from signed notes only: a draft may still change."""
    return goal_data_of(membership, child).filter(
        note__organization_id=membership.organization_id, note__status=NoteStatus.SIGNED
    )


def readings_newest_first(membership: Membership, child: Child, goal: Goal) -> QuerySet:
    """One goal's signed readings, newest first, as rows for ``Reading`` (to page through)."""
    data = _signed_data(membership, child).filter(goal=goal)
    return data.order_by("-note__date", "-note__start_time").values_list(
        "note__date", "value", "gas_level", "note_id"
    )


def signed_readings(
    membership: Membership,
    child: Child,
    *,
    goal: Goal | None = None,
    end: datetime.date | None = None,
) -> dict:
    """Return {goal_id: [Reading, ...]} in session order, from signed notes only (one query)."""
    data = _signed_data(membership, child)
    if goal is not None:
        data = data.filter(goal=goal)
    if end is not None:
        data = data.filter(note__date__lte=end)
    rows = data.order_by("note__date", "note__start_time").values_list(
        "goal_id", "note__date", "value", "gas_level", "note_id"
    )
    series: dict = defaultdict(list)
    for goal_id, day, value, level, note_id in rows:
        series[goal_id].append(Reading(day, value, level, note_id))
    return series


def goal_progress(
    goal: Goal,
    readings: list[Reading],
    *,
    start: datetime.date | None = None,
    today: datetime.date | None = None,
) -> GoalProgress:
    """Analyse one goal's readings, from ``start`` on when a period is asked for."""
    if start is not None:
        readings = [r for r in readings if r.date >= start]
    values = [(r.date, r.value) for r in readings if r.value is not None]
    return GoalProgress(goal, readings, analysis.analyse(goal, values, today=today))


def tscores_over_time(goals: list[Goal], series: dict) -> list[tuple[datetime.date, float]]:
    """The plan's T-score at each session date, from each goal's latest GAS level so far.

    Before a goal has any GAS data it counts at its baseline level; discontinued goals
    are left out (they are no longer being attained).
    """
    scored = [g for g in goals if g.status != GoalStatus.DISCONTINUED]
    if not scored:
        return []
    events = sorted(
        (r.date, g.id, r.gas_level)
        for g in scored
        for r in series.get(g.id, [])
        if r.gas_level is not None
    )
    levels = {g.id: g.gas_baseline for g in scored}
    weights = [g.gas_weight for g in scored]
    scores: dict[tuple[int, ...], float] = {}  # a few level combinations recur for years

    def tscore() -> float:
        now = tuple(levels[g.id] for g in scored)
        if now not in scores:
            scores[now] = analysis.tscore(list(now), weights)
        return scores[now]

    start = min(g.plan.start_date for g in scored)
    points = [(start, tscore())]
    for index, (day, goal_id, level) in enumerate(events):
        levels[goal_id] = level
        if index + 1 < len(events) and events[index + 1][0] == day:
            continue  # one point per date, after all of that date's levels
        score = tscore()
        if day == points[-1][0]:
            points[-1] = (day, score)
        else:
            points.append((day, score))
    return points


def _from(start: datetime.date, points: list) -> list:
    """Keep a period's T-scores, starting with the score standing on its first day."""
    before = [p for p in points if p[0] < start]
    inside = [p for p in points if p[0] >= start]
    if before and (not inside or inside[0][0] > start):
        inside.insert(0, (start, before[-1][1]))
    return inside


def child_progress(
    membership: Membership,
    child: Child,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> ChildProgress:
    """Every plan and goal of a child with its progress, in three queries."""
    plans = list(plans_of(membership, child).order_by("-start_date", "created_at"))
    if membership.is_guardian:
        # A draft may still change: families see a plan once it is in force.
        plans = [p for p in plans if p.status != PlanStatus.DRAFT]
    goals = list(goals_of(membership, child).order_by("position", "created_at"))
    series = signed_readings(membership, child, end=end)
    by_plan: dict = defaultdict(list)
    plan_by_id = {p.id: p for p in plans}
    for goal in goals:
        if goal.plan_id not in plan_by_id:
            continue
        goal.plan = plan_by_id[goal.plan_id]
        by_plan[goal.plan_id].append(goal)
    result = []
    for plan in plans:
        plan_goals = by_plan.get(plan.id, [])
        tscores = tscores_over_time(plan_goals, series)
        if start is not None:
            tscores = _from(start, tscores)
        progress = [
            goal_progress(g, series.get(g.id, []), start=start, today=today) for g in plan_goals
        ]
        result.append(PlanProgress(plan, progress, tscores))
    return ChildProgress(child, result, start, end)


@dataclass
class ReportPeriod:
    """A period a progress report can cover: the plans in force now, or an earlier plan."""

    start: datetime.date
    end: datetime.date
    plans: list[Plan]
    current: bool


def report_periods(plans: list[Plan], today: datetime.date) -> list[ReportPeriod]:
    """The periods worth a report: since the plans in force began, then each earlier plan.

    Periods end today at the latest and span at most the longest period a report covers.
    """
    from .forms import MAX_DAYS

    def clamp(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
        end = min(end, today)
        return max(start, end - datetime.timedelta(days=MAX_DAYS)), end

    periods: list[ReportPeriod] = []
    active = [p for p in plans if p.status == PlanStatus.ACTIVE and p.start_date <= today]
    if active:
        start, end = clamp(min(p.start_date for p in active), today)
        periods.append(ReportPeriod(start, end, active, current=True))
    seen = {(p.start, p.end) for p in periods}
    for plan in plans:
        if plan.status != PlanStatus.CLOSED or plan.start_date > today:
            continue
        start, end = clamp(plan.start_date, plan.review_date)
        if end < start or (start, end) in seen:
            continue
        seen.add((start, end))
        periods.append(ReportPeriod(start, end, [plan], current=False))
    return periods


def with_home_practice(membership: Membership, child: Child, progress: ChildProgress) -> None:
    """Put the family's home practice per week beside each goal's session data (one query)."""
    from tandem.homeprogram.reading import practice_by_goal

    weeks = practice_by_goal(membership, child, end=progress.end)
    for goal in progress.goals:
        goal.home_practice = [
            (monday, count)
            for monday, count in weeks.get(goal.goal.id, [])
            if progress.start is None or monday + datetime.timedelta(days=6) >= progress.start
        ]
