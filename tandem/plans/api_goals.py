"""Goals over the API: a child's goals with their current GAS level, adding one to a plan
(from scratch or from a goal-bank entry) and changing one, its status included.

Paths are relative to /api/v1/. The checks, the goal's schema and the plan it belongs to
come from ``api.py`` (a plan as read carries its goals); the operations keep the operation
ids they had there (the API's contract did not change when its code moved).
"""

import uuid
from datetime import date
from typing import Any, Literal

from ninja import Field, Router, Status

from tandem.access import MemberRequest, not_found
from tandem.access.api import api_child
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.children.models import Child

from . import actions
from .access import goal_bank_for
from .api import READ, WRITE, WRITE_ERRORS, GoalOut, goal_out, plan_for
from .models import Goal, GoalBankEntry
from .reading import goals_with_levels
from .wording import reads_clinical

router = Router(tags=["plans"])


# --- Input ---------------------------------------------------------------------


class GoalFields(InputSchema):
    domain: str
    statement: str = Field(min_length=1)
    baseline: str = Field(min_length=1)
    target_date: date
    measurement_type: str
    mastery_value: float | None = None
    mastery_sessions: int = 3
    mastery_criterion: str = Field(min_length=1)
    lower_is_better: bool = False
    gas_minus_2: str
    gas_minus_1: str
    gas_0: str
    gas_plus_1: str
    gas_plus_2: str
    gas_weight: int = 1
    gas_baseline: int = -2
    family_priority: int | None = None
    child_chosen: bool = False
    child_words: str = ""
    strategies: str = ""
    family_wording_en: str = Field("", description="In the family's words; empty: drafted")
    family_wording_es: str = ""
    child_wording_en: str = Field("", description="“I can …”, shown once reached")
    child_wording_es: str = ""


class GoalIn(GoalFields):
    plan_id: uuid.UUID
    bank_entry_id: uuid.UUID | None = None


class GoalPatch(InputSchema):
    version: int = Field(description="The version the change is based on (409 if stale)")
    domain: str | None = None
    statement: str | None = None
    baseline: str | None = None
    target_date: date | None = None
    measurement_type: str | None = None
    mastery_value: float | None = None
    mastery_sessions: int | None = None
    mastery_criterion: str | None = None
    lower_is_better: bool | None = None
    gas_minus_2: str | None = None
    gas_minus_1: str | None = None
    gas_0: str | None = None
    gas_plus_1: str | None = None
    gas_plus_2: str | None = None
    gas_weight: int | None = None
    gas_baseline: int | None = None
    family_priority: int | None = None
    child_chosen: bool | None = None
    child_words: str | None = None
    strategies: str | None = None
    family_wording_en: str | None = None
    family_wording_es: str | None = None
    child_wording_en: str | None = None
    child_wording_es: str | None = None
    position: int | None = None
    status: Literal["active", "met", "on_hold", "discontinued"] | None = None
    status_reason: str | None = None


# --- Helpers -------------------------------------------------------------------


def _goal(request: MemberRequest, child: Child, goal_id: uuid.UUID) -> Goal:
    goals = goals_with_levels(request.membership, child).select_related("plan")
    try:
        goal = goals.get(pk=goal_id)
    except Goal.DoesNotExist as exc:
        raise not_found() from exc
    goal.child = child
    return goal


# --- Goals ---------------------------------------------------------------------


@router.get(
    "/children/{child_id}/goals",
    response={200: list[GoalOut], **ERRORS},
    auth=READ,
    operation_id="tandem_plans_api_list_goals",
)
def list_goals(
    request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """The child's goals, optionally of one plan, with their current GAS level."""
    child = api_child(request, request.membership, child_id)
    log_access(request, [child])
    goals = goals_with_levels(request.membership, child)
    if plan_id:
        goals = goals.filter(plan_id=plan_id)
    clinical = reads_clinical(request.membership)
    return [goal_out(g, clinical) for g in goals]


@router.post(
    "/children/{child_id}/goals",
    response={201: GoalOut, **ERRORS},
    auth=WRITE,
    operation_id="tandem_plans_api_create_goal",
)
def create_goal(request: MemberRequest, child_id: uuid.UUID, payload: GoalIn) -> Status[Any]:
    """Add a goal to one of the child's plans."""
    membership = request.membership
    child = api_child(request, membership, child_id)
    fields = payload.model_dump()
    plan = plan_for(request, child, fields.pop("plan_id"))
    bank_entry_id = fields.pop("bank_entry_id")
    if bank_entry_id:
        try:
            fields["bank_entry"] = goal_bank_for(membership).get(pk=bank_entry_id)
        except GoalBankEntry.DoesNotExist as exc:
            raise not_found() from exc
    goal = actions.add_goal(plan, **fields)
    return Status(201, goal_out(_goal(request, child, goal.id)))


@router.get(
    "/children/{child_id}/goals/{goal_id}",
    response={200: GoalOut, **ERRORS},
    auth=READ,
    operation_id="tandem_plans_api_get_goal",
)
def get_goal(request: MemberRequest, child_id: uuid.UUID, goal_id: uuid.UUID) -> dict[str, Any]:
    child = api_child(request, request.membership, child_id)
    goal = _goal(request, child, goal_id)
    log_access(request, [child])
    return goal_out(goal, reads_clinical(request.membership))


@router.patch(
    "/children/{child_id}/goals/{goal_id}",
    response={200: GoalOut, **WRITE_ERRORS},
    auth=WRITE,
    operation_id="tandem_plans_api_patch_goal",
)
def patch_goal(
    request: MemberRequest, child_id: uuid.UUID, goal_id: uuid.UUID, payload: GoalPatch
) -> dict[str, Any]:
    """Change a goal based on ``version``, including its status (discontinued needs a reason)."""
    child = api_child(request, request.membership, child_id)
    goal = _goal(request, child, goal_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    actions.update_goal(goal, expected_version=version, **changes)
    return goal_out(_goal(request, child, goal_id))
