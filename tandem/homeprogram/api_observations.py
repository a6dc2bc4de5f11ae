"""Observations over the API: where a child showed a goal's skill, and generalization.

Paths are relative to /api/v1/. Guardians say what they noticed at home, at school or out
and about; admins and lead/treating therapists what the team saw or was told. The checks
are the home program's (``api.py``); the operations keep the operation ids they had there
(the API's contract did not change when its code moved).
"""

import datetime
import uuid
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from tandem.access import MemberRequest, child_for
from tandem.accounts.models import Membership
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.plans.wording import STATEMENT_DOC, WORDING_DOC, for_reader, reads_clinical

from . import actions, reading
from .access import get_goal, goals_of, observations_of, shared_goals
from .api import MAX_ROWS, READS, VIEW, Window, writes
from .models import Observation

router = Router(tags=["home program"])


# --- Output ----------------------------------------------------------------------


class ObservationOut(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID
    observed_on: datetime.date
    setting: str
    who_was_there: str
    independence: str
    note: str
    recorder_role: str
    recorded_by_me: bool


class SettingCellOut(Schema):
    setting: str
    state: str = Field(description='"seen", "help", "not_yet" or "unknown" (nobody said yet)')
    latest_independence: str | None
    latest_on: datetime.date | None
    observations: int


class SkillRowOut(Schema):
    goal_id: uuid.UUID
    statement: str | None = Field(description=STATEMENT_DOC)
    wording: str = Field(description=WORDING_DOC)
    settings: list[SettingCellOut]


def observation_out(observation: Observation, membership: Membership) -> dict[str, Any]:
    fields = ("id", "goal_id", "observed_on", "setting", "who_was_there", "independence", "note")
    data = {name: getattr(observation, name) for name in fields}
    return data | {
        "recorder_role": observation.recorder_role,
        "recorded_by_me": observation.recorded_by_id == membership.id,
    }


# --- Input -----------------------------------------------------------------------


class ObservationIn(InputSchema):
    goal_id: uuid.UUID
    setting: Literal["home", "school", "community", "other"]
    independence: Literal["independent", "some_help", "lot_of_help", "not_yet"]
    observed_on: datetime.date | None = None
    who_was_there: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


# --- Observations and generalization -------------------------------------------------


@router.get(
    "/children/{child_id}/observations",
    response={200: list[ObservationOut], **ERRORS},
    auth=READS,
    operation_id="tandem_homeprogram_api_list_observations",
)
def list_observations(
    request: MemberRequest,
    child_id: uuid.UUID,
    window: Query[Window],
    goal_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """Observations of the child's goals in everyday settings, newest first."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    rows = observations_of(membership, child).filter(
        goal__in=goals_of(membership, child).values("pk")
    )
    if goal_id is not None:
        rows = rows.filter(goal_id=goal_id)
    if window.since:
        rows = rows.filter(observed_on__gte=window.since)
    if window.until:
        rows = rows.filter(observed_on__lte=window.until)
    page = rows.order_by("-observed_on", "-created_at")[
        window.offset : window.offset + window.limit
    ]
    return [observation_out(o, membership) for o in page]


@router.post(
    "/children/{child_id}/observations",
    response={201: ObservationOut, **ERRORS},
    auth=writes("homeprogram.observe"),
    openapi_extra=IDEMPOTENCY_HEADER,
    operation_id="tandem_homeprogram_api_create_observation",
)
def create_observation(
    request: MemberRequest, child_id: uuid.UUID, payload: ObservationIn
) -> HttpResponse:
    """Record where the child showed a goal's skill: what the family noticed at home, at
    school or out and about (guardians), or what the team saw or was told (admins and
    lead/treating therapists). Who recorded it is kept with it."""
    membership = request.membership
    child = child_for(request, child_id, "homeprogram.observe")

    def write() -> dict[str, Any]:
        goal = get_goal(membership, child, payload.goal_id)
        fields = payload.model_dump(exclude={"goal_id"}, exclude_none=True)
        observation = actions.record_observation(membership, child, goal, **fields)
        return observation_out(observation, membership)

    return run_once(request, "homeprogram.observation", 201, ObservationOut, write)


@router.get(
    "/children/{child_id}/generalization",
    response={200: list[SkillRowOut], **ERRORS},
    auth=READS,
    operation_id="tandem_homeprogram_api_generalization",
)
def generalization(request: MemberRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """Per goal of the active plans: where the skill has been seen, and how independently."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    goals = list(shared_goals(membership, child))
    observations = list(observations_of(membership, child)[:MAX_ROWS])
    clinical = reads_clinical(membership)
    return [
        {
            "goal_id": row.goal.id,
            **for_reader(row.goal, clinical),
            "settings": [
                {
                    "setting": cell.setting,
                    "state": cell.state,
                    "latest_independence": cell.latest.independence if cell.latest else None,
                    "latest_on": cell.latest.observed_on if cell.latest else None,
                    "observations": len(cell.observations),
                }
                for cell in row.cells
            ],
        }
        for row in reading.skill_settings(goals, observations)
    ]
