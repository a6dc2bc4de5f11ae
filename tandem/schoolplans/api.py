"""The school-plans part of the API: a child's IEP, IFSP and 504 plans with their goals,
the clinic goals each is linked to and the dates they raise; editors add plans and goals.

Paths are relative to /api/v1/. Who may call each operation is ``rules.py``'s, checked
before the input is read; every record is fetched through the scopes (``access.py``).
"""

import datetime
import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from tandem.access import MemberRequest
from tandem.access.api import api_child, permits_api
from tandem.api.auth import signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.plans.access import goals_of
from tandem.plans.rules import VIEW as PLANS_VIEW

from . import actions
from .access import get_school_plan, school_plans_of
from .models import PlanKind, SchoolPlan
from .reminders import reminders_for
from .rules import EDIT, VIEW

router = Router(tags=["school plans"])
READ = signed_in(permits_api(VIEW))
WRITE = signed_in(permits_api(EDIT, gate=PLANS_VIEW))


class LinkOut(Schema):
    goal_id: uuid.UUID
    wording: str = Field(
        description="The clinic goal: its SMART statement for staff, the family wording "
        "(in the caller's language) for families and teachers."
    )


class SchoolGoalOut(Schema):
    id: uuid.UUID
    statement: str = Field(description="The goal as the school's plan words it.")
    area: str
    clinic_goals: list[LinkOut]
    version: int


class ReminderOut(Schema):
    kind: str = Field(description="transition, ifsp_review, iep_review or 504_review")
    date: datetime.date = Field(description="The day it is due (the transition window's last day).")
    overdue: bool
    text: str


class SchoolPlanOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="ifsp, iep or 504")
    provider: str
    start_date: date
    review_due: date
    ended_on: date | None
    notes: str
    goals: list[SchoolGoalOut]
    version: int


class SchoolPlansOut(Schema):
    plans: list[SchoolPlanOut]
    reminders: list[ReminderOut]


class SchoolPlanIn(InputSchema):
    kind: PlanKind
    provider: str = Field(min_length=1, max_length=200)
    start_date: date
    review_due: date | None = Field(
        None, description="Left out: six months after start_date for an IFSP, a year otherwise."
    )
    notes: str = Field("", max_length=2000)


class SchoolGoalIn(InputSchema):
    statement: str = Field(min_length=1, max_length=2000)
    area: str = Field("", max_length=120)
    clinic_goal_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="The child's clinic goals to link."
    )


def _plan_out(plan: SchoolPlan, clinical: bool) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "kind": plan.kind,
        "provider": plan.provider,
        "start_date": plan.start_date,
        "review_due": plan.review_due,
        "ended_on": plan.ended_on,
        "notes": plan.notes,
        "version": plan.version,
        "goals": [
            {
                "id": goal.pk,
                "statement": goal.statement,
                "area": goal.area,
                "version": goal.version,
                "clinic_goals": [
                    {
                        "goal_id": link.goal_id,
                        "wording": link.goal.statement if clinical else link.goal.family_wording,
                    }
                    for link in goal.links.all()
                ],
            }
            for goal in plan.goals.all()
        ],
    }


@router.get(
    "/children/{child_id}/school-plans", response={200: SchoolPlansOut, **ERRORS}, auth=READ
)
def list_school_plans(request: MemberRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """The child's school plans, newest first, and the dates they raise now."""
    membership = request.membership
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    plans = list(school_plans_of(membership, child))
    clinical = membership.is_staff_member
    return {
        "plans": [_plan_out(p, clinical) for p in plans],
        "reminders": [
            {"kind": r.kind, "date": r.day, "overdue": r.overdue, "text": r.text}
            for r in reminders_for(child, plans, clock.today())
        ],
    }


def _fresh(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> dict[str, Any]:
    child = api_child(request, request.membership, child_id)
    plan = school_plans_of(request.membership, child).get(pk=plan_id)
    return _plan_out(plan, clinical=True)


@router.post(
    "/children/{child_id}/school-plans",
    response={201: SchoolPlanOut, **ERRORS},
    auth=WRITE,
    openapi_extra=IDEMPOTENCY_HEADER,
)
def create_school_plan(request: MemberRequest, child_id: uuid.UUID, payload: SchoolPlanIn) -> Any:
    """Enter a school plan (admins and lead/treating therapists on the team)."""
    child = api_child(request, request.membership, child_id)
    log_access(request, [child])

    def write() -> dict[str, Any]:
        plan = actions.create_plan(request.membership, child, **payload.model_dump())
        return _fresh(request, child_id, plan.pk)

    return run_once(request, "schoolplans.api_new", 201, SchoolPlanOut, write)


@router.post(
    "/children/{child_id}/school-plans/{school_plan_id}/goals",
    response={201: SchoolPlanOut, **ERRORS},
    auth=WRITE,
    openapi_extra=IDEMPOTENCY_HEADER,
)
def add_school_goal(
    request: MemberRequest, child_id: uuid.UUID, school_plan_id: uuid.UUID, payload: SchoolGoalIn
) -> Any:
    """Add a goal to a school plan, linked to the child's clinic goals; the plan is returned."""
    membership = request.membership
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    plan = get_school_plan(membership, child, school_plan_id)
    wanted = set(payload.clinic_goal_ids)
    found = list(goals_of(membership, child).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"clinic_goal_ids": ["Link only this child's own clinic goals."]})

    def write() -> dict[str, Any]:
        actions.add_goal(plan, statement=payload.statement, area=payload.area, clinic_goals=found)
        return _fresh(request, child_id, plan.pk)

    return run_once(request, "schoolplans.api_goal", 201, SchoolPlanOut, write)
