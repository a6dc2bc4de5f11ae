"""Goals over the API: a child's goals with their current GAS level, adding one to a plan
(from scratch or from a goal-bank entry) and changing one, its status included. A task
analysis's steps come as a list (the goal keeps them one a line, as its form does); the
rules are the form's (``actions.goal_problems`` and the model's choices).

Paths are relative to /api/v1/. The checks, the goal's schema and the plan it belongs to
come from ``api.py`` (a plan as read carries its goals); the operations keep the operation
ids they had there (the API's contract did not change when its code moved).
"""

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router
from pydantic import AfterValidator

from tandem.access import MemberRequest, not_found
from tandem.access.api import api_child
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.children.models import Child

from . import actions
from .access import goal_bank_for
from .api import READ, WRITE, WRITE_ERRORS, GoalOut, goal_out, plan_for
from .models import MAX_TASK_STEPS, Chaining, Goal, GoalBankEntry, MeasurementType
from .reading import goals_with_levels
from .wording import reads_clinical

router = Router(tags=["plans"])


# --- Input ---------------------------------------------------------------------


def _one_line(step: str) -> str:
    """A step is one line as the goal reads its steps (``str.splitlines``: \u2028 too)."""
    if len(step.splitlines()) != 1:
        raise ValueError("a step is one line of text")
    return step


# One step of a task analysis: a line of text (the goal keeps its steps one a line).
StepName = Annotated[str, Field(min_length=1, pattern=r"^[^\r\n]+$"), AfterValidator(_one_line)]
STEPS_DOC = f"A task analysis: its steps, in order (at most {MAX_TASK_STEPS})"
CHAINING_DOC = f"A task analysis: how it is taught, one of {', '.join(Chaining.values)} or empty"


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
    task_steps: list[StepName] = Field(default_factory=list, description=STEPS_DOC)
    chaining: str = Field("", description=CHAINING_DOC)
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
    task_steps: list[StepName] | None = Field(None, description=STEPS_DOC)
    chaining: str | None = Field(None, description=CHAINING_DOC)
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


def _task_fields(fields: dict[str, Any], measurement_type: str) -> None:
    """Turn the API's list of steps into the goal's lines (null clears them, as does null
    chaining); refuse steps or a chaining given for a goal that is not a task analysis."""
    if "task_steps" in fields:
        fields["task_steps"] = "\n".join(fields["task_steps"] or [])
    if "chaining" in fields:
        fields["chaining"] = fields["chaining"] or ""
    if measurement_type == MeasurementType.TASK_ANALYSIS:
        return
    errors = {}
    if fields.get("task_steps"):
        errors["task_steps"] = [
            _(
                "Only a task-analysis goal lists steps: measure it as “Task-analysis steps” "
                "or leave the steps out."
            )
        ]
    if fields.get("chaining"):
        errors["chaining"] = [
            _(
                "Only a task analysis is chained: measure the goal as “Task-analysis steps” "
                "or leave the chaining out."
            )
        ]
    if errors:
        raise ValidationError(errors)


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
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=WRITE,
    operation_id="tandem_plans_api_create_goal",
)
def create_goal(request: MemberRequest, child_id: uuid.UUID, payload: GoalIn) -> HttpResponse:
    """Add a goal to one of the child's plans (once per ``Idempotency-Key``: a retried
    request answers with the goal it added)."""
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
    _task_fields(fields, fields["measurement_type"])

    def write() -> dict[str, Any]:
        goal = actions.add_goal(plan, **fields)
        return goal_out(_goal(request, child, goal.id))

    return run_once(request, "plans.goal_create", 201, GoalOut, write)


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
    kind = changes.get("measurement_type") or goal.measurement_type
    _task_fields(changes, kind)
    if kind != MeasurementType.TASK_ANALYSIS:
        # Measured otherwise now: its steps go, as a goal created so is refused them.
        if goal.task_steps:
            changes.setdefault("task_steps", "")
        if goal.chaining:
            changes.setdefault("chaining", "")
    actions.update_goal(goal, expected_version=version, **changes)
    return goal_out(_goal(request, child, goal_id))
