"""The plans part of the API: plans (read with their goals, signatures and COPM), a
guardian's signature, COPM activities, and the checks the plans' operations share (goals:
``api_goals.py``; the goal bank: ``api_goal_bank.py``).

Paths are relative to /api/v1/. Who may call each operation is the plans rules'
(``rules.py``), checked before the input is read; every record is fetched through the
scopes (``plans.access``). The API object turns Http404 / PermissionDenied / Conflict /
ValidationError into JSON 404 / 403 / 409 / 422.
"""

import uuid
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tandem.access import MemberRequest, not_found
from tandem.access.api import api_child, permits_api
from tandem.access.views import check
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock

from . import actions, signatures
from .access import copm_of
from .copm import is_important, summarize
from .models import CopmActivity, Goal, Plan, PlanSignature
from .reading import describe, plans_with_goals
from .rules import EDIT, SIGN_AS_GUARDIAN, VIEW
from .wording import STATEMENT_DOC, WORDING_DOC, for_reader, reads_clinical

router = Router(tags=["plans"])


# --- Output --------------------------------------------------------------------


class GoalOut(Schema):
    id: uuid.UUID
    plan_id: uuid.UUID
    discipline: str
    domain: str
    statement: str | None = Field(description=STATEMENT_DOC)
    wording: str = Field(description=WORDING_DOC)
    baseline: str
    target_date: date
    measurement_type: str
    mastery_value: float | None
    mastery_sessions: int
    mastery_criterion: str
    lower_is_better: bool
    task_steps: list[str] = Field(description="A task analysis: its steps, in order")
    chaining: str = Field(description='A task analysis: forward, backward, total_task or ""')
    gas_minus_2: str
    gas_minus_1: str
    gas_0: str
    gas_plus_1: str
    gas_plus_2: str
    gas_weight: int
    gas_baseline: int
    current_gas_level: int = Field(description="Latest GAS level from signed notes, else baseline")
    family_priority: int | None
    child_chosen: bool
    child_words: str
    strategies: str
    family_wording_en: str
    family_wording_es: str
    child_wording_en: str
    child_wording_es: str
    status: str
    status_reason: str
    position: int
    bank_entry_id: uuid.UUID | None
    version: int


class SignatureOut(Schema):
    id: uuid.UUID
    plan_version: int
    typed_name: str
    signed_at: datetime
    content_hash: str
    hash_scheme: int = Field(
        description="What content_hash covers: 1 the plan and goals without the family and "
        "child wordings (signed before they existed), 2 with them"
    )
    is_for_current_version: bool


class CopmOut(Schema):
    id: uuid.UUID
    plan_id: uuid.UUID
    activity: str
    importance: int
    initial_date: date
    initial_performance: int
    initial_satisfaction: int
    reassessed_on: date | None
    reassessed_performance: int | None
    reassessed_satisfaction: int | None
    performance_change: int | None
    satisfaction_change: int | None
    performance_change_important: bool
    satisfaction_change_important: bool


class CopmSummaryOut(Schema):
    count: int
    initial_performance: float | None
    initial_satisfaction: float | None
    reassessed_count: int
    reassessed_performance: float | None
    reassessed_satisfaction: float | None
    performance_change: float | None
    satisfaction_change: float | None
    performance_change_important: bool
    satisfaction_change_important: bool


class CopmListOut(Schema):
    activities: list[CopmOut]
    summary: CopmSummaryOut


class PlanOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    discipline: str
    status: str
    start_date: date
    review_date: date
    review_overdue: bool
    family_priorities: str
    summary: str
    version: int
    gas_t_score: float | None = Field(description="Kiresuk–Sherman T-score of the latest levels")
    goals: list[GoalOut]
    signatures: list[SignatureOut]
    copm: CopmListOut


def goal_out(goal: Goal, clinical: bool = True) -> dict[str, Any]:
    """A goal for the API; ``clinical`` False (a family reading it): no clinical statement."""
    data = {name: getattr(goal, name) for name in GoalOut.model_fields if hasattr(goal, name)}
    data |= for_reader(goal, clinical)
    data["task_steps"] = goal.step_list
    latest = getattr(goal, "latest_gas", None)
    data["current_gas_level"] = goal.gas_baseline if latest is None else latest
    return data


def copm_out(activity: CopmActivity) -> dict[str, Any]:
    data = {
        name: getattr(activity, name) for name in CopmOut.model_fields if hasattr(activity, name)
    }
    data["performance_change_important"] = is_important(activity.performance_change)
    data["satisfaction_change_important"] = is_important(activity.satisfaction_change)
    return data


def copm_list_out(activities: list[CopmActivity]) -> dict[str, Any]:
    summary = summarize(activities)
    return {
        "activities": [copm_out(a) for a in activities],
        "summary": asdict(summary)
        | {
            "performance_change_important": summary.performance_important,
            "satisfaction_change_important": summary.satisfaction_important,
        },
    }


def signature_out(signature: PlanSignature, plan: Plan) -> dict[str, Any]:
    return {
        "id": signature.id,
        "plan_version": signature.plan_version,
        "typed_name": signature.typed_name,
        "signed_at": signature.signed_at,
        "content_hash": signature.content_hash,
        "hash_scheme": signature.hash_scheme,
        "is_for_current_version": signature.plan_version == plan.version,
    }


def plan_out(plan: Plan, clinical: bool = True) -> dict[str, Any]:
    """A prefetched plan (``reading.plans_with_goals``) described for the API (``clinical``:
    see ``goal_out``; only the clinical staff write, so a write's answer is clinical)."""
    return {
        "id": plan.id,
        "child_id": plan.child_id,
        "discipline": plan.discipline,
        "status": plan.status,
        "start_date": plan.start_date,
        "review_date": plan.review_date,
        "review_overdue": plan.is_overdue,
        "family_priorities": plan.family_priorities,
        "summary": plan.summary,
        "version": plan.version,
        "gas_t_score": plan.t_score,
        "goals": [goal_out(g, clinical) for g in plan.goal_list],
        "signatures": [signature_out(s, plan) for s in plan.signatures.all()],
        "copm": copm_list_out(list(plan.copm_activities.all())),
    }


# --- Input ---------------------------------------------------------------------


class PlanIn(InputSchema):
    discipline: str
    start_date: date
    review_date: date
    family_priorities: str = ""
    summary: str = ""


class PlanPatch(InputSchema):
    version: int = Field(description="The version the change is based on (409 if stale)")
    discipline: str | None = None
    start_date: date | None = None
    review_date: date | None = None
    family_priorities: str | None = None
    summary: str | None = None
    status: Literal["active", "closed"] | None = None


class SignatureIn(InputSchema):
    typed_name: str = Field(description="The guardian's full name as on their account")
    version: int = Field(description="The plan version the guardian read (409 if it changed)")


class CopmIn(InputSchema):
    activity: str = Field(min_length=1, max_length=200)
    importance: int
    initial_date: date
    initial_performance: int
    initial_satisfaction: int
    reassessed_on: date | None = None
    reassessed_performance: int | None = None
    reassessed_satisfaction: int | None = None


class CopmPatch(InputSchema):
    activity: str | None = None
    importance: int | None = None
    initial_date: date | None = None
    initial_performance: int | None = None
    initial_satisfaction: int | None = None
    reassessed_on: date | None = None
    reassessed_performance: int | None = None
    reassessed_satisfaction: int | None = None


# --- Checks run before the input is read (404 outsiders, 403 read-only, then 422) --


def _signer(request: HttpRequest, membership: Membership) -> None:
    """Signing: a guardian with legal authority (404 for whoever does not read the plans,
    403 for the team). Admins, who run the plan, reach the operation, which tells them
    that only the family signs (403 once the input is read)."""
    (_READS if membership.is_admin else _SIGNS)(request, membership)


_READS = permits_api(VIEW)
_SIGNS = permits_api(SIGN_AS_GUARDIAN, gate=VIEW)
READ = signed_in(_READS)
# Those who read the plans but may not change them get 403, not 404.
WRITE = signed_in(permits_api(EDIT, gate=VIEW))
SIGN = signed_in(_signer)
WRITE_ERRORS = {**ERRORS, 409: ConflictOut}


# --- Helpers -------------------------------------------------------------------


def plan_for(request: MemberRequest, child: Child, plan_id: uuid.UUID) -> Plan:
    """A plan of the child the member reads, described as the API shows it, else 404."""
    membership = request.membership
    try:
        plan = plans_with_goals(membership, child).get(pk=plan_id)
    except Plan.DoesNotExist as exc:
        raise not_found() from exc
    plan.child = child
    return describe(plan, membership, clock.today())


def _fresh_plan(request: MemberRequest, child: Child, plan_id: uuid.UUID) -> dict[str, Any]:
    return plan_out(plan_for(request, child, plan_id))


# --- Plans ---------------------------------------------------------------------


@router.get("/children/{child_id}/plans", response={200: list[PlanOut], **ERRORS}, auth=READ)
def list_plans(request: MemberRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's plans with goals, signatures and COPM (guardians: not drafts)."""
    membership = request.membership
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    today = clock.today()
    clinical = reads_clinical(membership)
    return [
        plan_out(describe(p, membership, today), clinical)
        for p in plans_with_goals(membership, child)
    ]


@router.post("/children/{child_id}/plans", response={201: PlanOut, **ERRORS}, auth=WRITE)
def create_plan(request: MemberRequest, child_id: uuid.UUID, payload: PlanIn) -> Status[Any]:
    """Start a draft plan (admins and lead/treating therapists)."""
    child = api_child(request, request.membership, child_id)
    plan = actions.create_plan(request.membership, child, **payload.model_dump())
    return Status(201, _fresh_plan(request, child, plan.id))


@router.get("/children/{child_id}/plans/{plan_id}", response={200: PlanOut, **ERRORS}, auth=READ)
def get_plan(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> dict[str, Any]:
    child = api_child(request, request.membership, child_id)
    plan = plan_for(request, child, plan_id)
    log_access(request, [child])
    return plan_out(plan, reads_clinical(request.membership))


@router.patch(
    "/children/{child_id}/plans/{plan_id}", response={200: PlanOut, **WRITE_ERRORS}, auth=WRITE
)
@transaction.atomic
def patch_plan(
    request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID, payload: PlanPatch
) -> dict[str, Any]:
    """Change a plan based on ``version``; ``status`` makes it active or closes it."""
    child = api_child(request, request.membership, child_id)
    plan = plan_for(request, child, plan_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    status = changes.pop("status", None)
    if changes:
        plan = actions.update_plan(plan, expected_version=version, **changes)
        version = plan.version
    if status:
        actions.set_plan_status(plan, expected_version=version, status=status)
    return _fresh_plan(request, child, plan_id)


# --- Signatures ----------------------------------------------------------------


@router.post(
    "/children/{child_id}/plans/{plan_id}/signatures",
    response={201: SignatureOut, **WRITE_ERRORS},
    auth=SIGN,
)
def sign_plan(
    request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID, payload: SignatureIn
) -> Status[Any]:
    """A guardian with legal authority signs the version of the plan they read."""
    membership = request.membership
    child = api_child(request, membership, child_id)
    plan = plan_for(request, child, plan_id)
    check(request, SIGN_AS_GUARDIAN, child=child)
    signature = signatures.sign_plan(
        plan, membership, payload.typed_name, expected_version=payload.version
    )
    return Status(201, signature_out(signature, plan))


# --- COPM ----------------------------------------------------------------------


@router.get(
    "/children/{child_id}/plans/{plan_id}/copm", response={200: CopmListOut, **ERRORS}, auth=READ
)
def list_copm(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> dict[str, Any]:
    """The plan's COPM activities with change scores, averages and what is clinically important."""
    child = api_child(request, request.membership, child_id)
    plan = plan_for(request, child, plan_id)
    log_access(request, [child])
    return copm_list_out(list(plan.copm_activities.all()))


@router.post(
    "/children/{child_id}/plans/{plan_id}/copm", response={201: CopmOut, **ERRORS}, auth=WRITE
)
def create_copm(
    request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID, payload: CopmIn
) -> Status[Any]:
    child = api_child(request, request.membership, child_id)
    plan = plan_for(request, child, plan_id)
    return Status(201, copm_out(actions.add_copm_activity(plan, **payload.model_dump())))


@router.patch(
    "/children/{child_id}/copm/{activity_id}", response={200: CopmOut, **ERRORS}, auth=WRITE
)
def patch_copm(
    request: MemberRequest, child_id: uuid.UUID, activity_id: uuid.UUID, payload: CopmPatch
) -> dict[str, Any]:
    """Change an activity or record its re-assessment."""
    child = api_child(request, request.membership, child_id)
    try:
        activity = copm_of(request.membership, child).get(pk=activity_id)
    except CopmActivity.DoesNotExist as exc:
        raise not_found() from exc
    changes = payload.model_dump(exclude_unset=True)
    return copm_out(actions.update_copm_activity(activity, **changes))
