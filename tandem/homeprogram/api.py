"""Home programs over the API: the activities, and the checks every home-program
operation runs (practice logs and adherence: ``api_practice.py``; observations and
generalization: ``api_observations.py``).

Paths are relative to /api/v1/. The rules are the pages' (``rules.py``), checked before
the input is read: outsiders (and roles the home program is not for) get 404, members
who read the child's home program but may not do the operation 403, then bad input 422.
"""

import datetime
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from tandem.access import MemberRequest, child_for
from tandem.access.api import permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, MAX_OFFSET, ConflictOut, InputSchema
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core.access import Conflict
from tandem.plans.models import Goal

from . import actions
from .access import activities_of, activity_of, assignable_goals
from .models import HomeActivity

VIEW = "homeprogram.view"
EDIT = "homeprogram.edit"
router = Router(tags=["home program"])
WRITE_ERRORS = {**ERRORS, 409: ConflictOut}
MAX_ROWS = 500


# --- Output ----------------------------------------------------------------------


class HomeActivityOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    goal_ids: list[uuid.UUID]
    title: str
    why: str = Field(description="Why it helps, in plain language")
    steps: list[str]
    times_per_week: int
    minutes: int
    materials: str
    starts_on: datetime.date
    status: str
    archived_on: datetime.date | None
    handout_url: str | None = Field(
        description="The picture or handout, served to those who see the child"
    )
    handout_type: str | None
    version: int


def activity_out(activity: HomeActivity) -> dict[str, Any]:
    url = None
    if activity.handout:
        url = reverse("homeprogram:handout", args=[activity.child_id, activity.id])
    return {
        "id": activity.id,
        "child_id": activity.child_id,
        "goal_ids": [g.id for g in activity.goals.all()],
        "title": activity.title,
        "why": activity.why,
        "steps": activity.step_list,
        "times_per_week": activity.times_per_week,
        "minutes": activity.minutes,
        "materials": activity.materials,
        "starts_on": activity.starts_on,
        "status": activity.status,
        "archived_on": activity.archived_on,
        "handout_url": url,
        "handout_type": activity.handout_type or None,
        "version": activity.version,
    }


# --- Input -----------------------------------------------------------------------


class ActivityIn(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    why: str = Field(min_length=1, max_length=1000)
    steps: str = Field(min_length=1, max_length=3000, description="One step per line")
    times_per_week: int = 3
    minutes: int = 10
    materials: str = ""
    starts_on: datetime.date | None = None
    goal_ids: list[uuid.UUID] = []


class ActivityPatch(InputSchema):
    version: int = Field(description="The version the change is based on (409 if stale)")
    title: str | None = Field(None, min_length=1, max_length=200)
    why: str | None = Field(None, min_length=1, max_length=1000)
    steps: str | None = Field(None, min_length=1, max_length=3000)
    times_per_week: int | None = None
    minutes: int | None = None
    materials: str | None = None
    starts_on: datetime.date | None = None
    goal_ids: list[uuid.UUID] | None = None
    status: Literal["active", "archived"] | None = None
    remove_handout: bool = False


# The dates and page of a list of logs or observations (a docstring would enter the schema).
class Window(Schema):
    since: datetime.date | None = None
    until: datetime.date | None = None
    limit: int = Field(200, ge=1, le=MAX_ROWS)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# --- Checks run before the input is read (404 outsiders, 403 read-only, then 422) --


def writes(action: str) -> Any:
    """The auth of a write: the member reads the path's child's home program (else 404:
    roles it is not for, children they do not see), and ``action`` is theirs (else 403:
    they see the record but may not do this)."""
    return signed_in(permits_api(action, gate=VIEW))


READS = signed_in(permits_api(VIEW))
EDITS = writes(EDIT)


def _goals(
    membership: Membership, child: Child, ids: list[uuid.UUID], keep: list[uuid.UUID] | None = None
) -> list[Goal]:
    goals = {g.id: g for g in assignable_goals(membership, child, keep=keep or ())}
    missing = [str(i) for i in ids if i not in goals]
    if missing:
        raise ValidationError(
            {"goal_ids": [f"Not an open goal of this child: {', '.join(missing)}"]}
        )
    return [goals[i] for i in ids]


# --- Activities -------------------------------------------------------------------


@router.get(
    "/children/{child_id}/home-activities",
    response={200: list[HomeActivityOut], **ERRORS},
    auth=READS,
)
def list_activities(
    request: MemberRequest,
    child_id: uuid.UUID,
    status: Literal["active", "archived", "all"] = "all",
) -> list[dict[str, Any]]:
    """The child's home activities with their linked goals."""
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    activities = activities_of(request.membership, child)
    if status != "all":
        activities = activities.filter(status=status)
    return [activity_out(a) for a in activities]


@router.post(
    "/children/{child_id}/home-activities",
    response={201: HomeActivityOut, **ERRORS},
    auth=EDITS,
)
def create_activity(
    request: MemberRequest, child_id: uuid.UUID, payload: ActivityIn
) -> Status[Any]:
    """Assign a home activity (admins and lead/treating therapists)."""
    membership = request.membership
    child = child_for(request, child_id, EDIT)
    fields = payload.model_dump(exclude={"goal_ids"}, exclude_none=True)
    activity = actions.create_activity(
        membership, child, goals=_goals(membership, child, payload.goal_ids), **fields
    )
    return Status(201, activity_out(activity_of(membership, child, activity.id)))


@router.get(
    "/children/{child_id}/home-activities/{home_activity_id}",
    response={200: HomeActivityOut, **ERRORS},
    auth=READS,
)
def get_activity(
    request: MemberRequest, child_id: uuid.UUID, home_activity_id: uuid.UUID
) -> dict[str, Any]:
    child = child_for(request, child_id, VIEW)
    activity = activity_of(request.membership, child, home_activity_id)
    log_access(request, [child])
    return activity_out(activity)


@router.patch(
    "/children/{child_id}/home-activities/{home_activity_id}",
    response={200: HomeActivityOut, **WRITE_ERRORS},
    auth=EDITS,
)
def patch_activity(
    request: MemberRequest, child_id: uuid.UUID, home_activity_id: uuid.UUID, payload: ActivityPatch
) -> dict[str, Any]:
    """Change an activity based on ``version``; archive or bring it back with ``status``."""
    membership = request.membership
    child = child_for(request, child_id, EDIT)
    activity = activity_of(membership, child, home_activity_id)
    if payload.version != activity.version:
        raise Conflict(activity.version)
    changes = payload.model_dump(
        exclude={"version", "goal_ids", "status", "remove_handout"}, exclude_none=True
    )
    if changes or payload.goal_ids is not None or payload.remove_handout:
        goals = None
        if payload.goal_ids is not None:
            keep = [g.id for g in activity.goals.all()]
            goals = _goals(membership, child, payload.goal_ids, keep=keep)
        activity = actions.update_activity(
            activity,
            expected_version=activity.version,
            goals=goals,
            remove_handout=payload.remove_handout,
            **changes,
        )
    if payload.status is not None and payload.status != activity.status:
        activity = actions.set_activity_status(
            activity, expected_version=activity.version, status=payload.status
        )
    return activity_out(activity_of(membership, child, activity.id))


@router.post(
    "/children/{child_id}/home-activities/{home_activity_id}/handout",
    response={200: HomeActivityOut, **WRITE_ERRORS},
    auth=EDITS,
)
def upload_handout(
    request: MemberRequest,
    child_id: uuid.UUID,
    home_activity_id: uuid.UUID,
    version: int,
    file: File[UploadedFile],
) -> dict[str, Any]:
    """Attach (or replace) the activity's picture or handout; the content is checked."""
    child = child_for(request, child_id, EDIT)
    activity = activity_of(request.membership, child, home_activity_id)
    actions.update_activity(activity, expected_version=version, handout=file)
    return activity_out(activity_of(request.membership, child, activity.id))
