"""Progress over the API: one goal's series, trend, flags and projection; a child's whole picture.

Paths are relative to /api/v1/. Only signed notes count as data, for every caller.
"""

import datetime
import uuid

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from tandem.audit.actions import log_access
from tandem.children.access import get_child
from tandem.plans.access import get_goal

from .services import GoalProgress, child_progress, goal_progress, signed_readings

router = Router(tags=["progress"])


class ReadingOut(Schema):
    date: datetime.date
    value: float | None
    gas_level: int | None


class GoalProgressOut(Schema):
    goal_id: uuid.UUID
    plan_id: uuid.UUID
    statement: str
    measurement_type: str
    mastery_value: float | None
    mastery_sessions: int
    lower_is_better: bool
    series: list[ReadingOut]
    slope_per_week: float | None
    direction: str | None
    mastered: bool
    plateau: bool
    regression: bool
    needs_review: bool
    projected_date: datetime.date | None
    latest_gas_level: int


class TScoreOut(Schema):
    date: datetime.date
    t_score: float


class PlanProgressOut(Schema):
    plan_id: uuid.UUID
    discipline: str
    status: str
    t_scores: list[TScoreOut]
    goals: list[GoalProgressOut]


class ChildProgressOut(Schema):
    child_id: uuid.UUID
    plans: list[PlanProgressOut]


def _membership(request: HttpRequest):  # type: ignore[no-untyped-def]
    membership = getattr(request, "membership", None)
    if membership is None:
        raise HttpError(401, "Sign in or send an API token.")
    return membership


def _goal_out(progress: GoalProgress) -> dict:
    goal, result = progress.goal, progress.analysis
    return {
        "goal_id": goal.id,
        "plan_id": goal.plan_id,
        "statement": goal.statement,
        "measurement_type": goal.measurement_type,
        "mastery_value": goal.mastery_value,
        "mastery_sessions": goal.mastery_sessions,
        "lower_is_better": goal.lower_is_better,
        "series": [
            {"date": r.date, "value": r.value, "gas_level": r.gas_level} for r in progress.readings
        ],
        "slope_per_week": result.slope,
        "direction": result.direction,
        "mastered": result.mastered,
        "plateau": result.plateau,
        "regression": result.regression,
        "needs_review": progress.needs_review,
        "projected_date": result.projected_date,
        "latest_gas_level": progress.latest_gas,
    }


@router.get("/children/{child_id}/goals/{goal_id}/progress", response=GoalProgressOut)
def goal_progress_detail(request: HttpRequest, child_id: uuid.UUID, goal_id: uuid.UUID) -> dict:
    """One goal's signed data series with its trend, mastery, flags and projected date."""
    membership = _membership(request)
    goal = get_goal(membership, child_id, goal_id)
    log_access(request, [goal.child])
    readings = signed_readings(membership, goal.child, goal=goal).get(goal.id, [])
    return _goal_out(goal_progress(goal, readings))


@router.get("/children/{child_id}/progress", response=ChildProgressOut)
def child_progress_detail(request: HttpRequest, child_id: uuid.UUID) -> dict:
    """Every goal of every plan of the child, and each plan's GAS T-score over time."""
    membership = _membership(request)
    child = get_child(membership, child_id)
    log_access(request, [child])
    progress = child_progress(membership, child)
    return {
        "child_id": child.id,
        "plans": [
            {
                "plan_id": plan.plan.id,
                "discipline": plan.plan.discipline,
                "status": plan.plan.status,
                "t_scores": [{"date": d, "t_score": round(t, 5)} for d, t in plan.tscores],
                "goals": [_goal_out(g) for g in plan.goals],
            }
            for plan in progress.plans
        ],
    }
