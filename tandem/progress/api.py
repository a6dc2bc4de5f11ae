"""Progress over the API: one goal's series, trend, flags and projection; a child's whole picture.

Paths are relative to /api/v1/. Only signed notes count as data, for every caller.
"""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tandem.access import child_for, member, not_found
from tandem.access.api import permits_api
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS
from tandem.audit.actions import log_access
from tandem.plans.access import goals_of
from tandem.plans.models import Goal
from tandem.plans.wording import STATEMENT_DOC, WORDING_DOC, for_reader, reads_clinical

from .services import GoalProgress, child_progress, goal_progress, signed_readings

router = Router(tags=["progress"])
VIEW = signed_in(permits_api("progress.view"))


class ReadingOut(Schema):
    date: datetime.date
    value: float | None
    gas_level: int | None


class GoalProgressOut(Schema):
    goal_id: uuid.UUID
    plan_id: uuid.UUID
    statement: str | None = Field(description=STATEMENT_DOC)
    wording: str = Field(description=WORDING_DOC)
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


def _goal_out(progress: GoalProgress, clinical: bool) -> dict[str, Any]:
    goal, result = progress.goal, progress.analysis
    return {
        "goal_id": goal.id,
        "plan_id": goal.plan_id,
        **for_reader(goal, clinical),
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


@router.get(
    "/children/{child_id}/goals/{goal_id}/progress",
    response={200: GoalProgressOut, **ERRORS},
    auth=VIEW,
)
def goal_progress_detail(
    request: HttpRequest, child_id: uuid.UUID, goal_id: uuid.UUID
) -> dict[str, Any]:
    """One goal's signed data series with its trend, mastery, flags and projected date."""
    membership = member(request)
    child = child_for(request, child_id, "progress.view")
    try:
        goal = goals_of(membership, child).select_related("plan").get(pk=goal_id)
    except Goal.DoesNotExist as exc:
        raise not_found() from exc
    goal.child = child
    log_access(request, [child])
    readings = signed_readings(membership, child, goal=goal).get(goal.id, [])
    return _goal_out(goal_progress(goal, readings), reads_clinical(membership))


@router.get("/children/{child_id}/progress", response={200: ChildProgressOut, **ERRORS}, auth=VIEW)
def child_progress_detail(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """Every goal of every plan of the child, and each plan's GAS T-score over time."""
    membership = member(request)
    child = child_for(request, child_id, "progress.view")
    log_access(request, [child])
    progress = child_progress(membership, child)
    clinical = reads_clinical(membership)
    return {
        "child_id": child.id,
        "plans": [
            {
                "plan_id": plan.plan.id,
                "discipline": plan.plan.discipline,
                "status": plan.plan.status,
                "t_scores": [{"date": d, "t_score": round(t, 5)} for d, t in plan.tscores],
                "goals": [_goal_out(g, clinical) for g in plan.goals],
            }
            for plan in progress.plans
        ],
    }
