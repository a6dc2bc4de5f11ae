"""Home programs over the API: activities, practice logs, observations, adherence.

Paths are relative to /api/v1/. The rules are the pages' (``rules.py``), checked before
the input is read: outsiders (and roles the home program is not for) get 404, members
who read the child's home program but may not do the operation 403, then bad input 422.
"""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import model_validator

from tandem.access import MemberRequest, allows, child_for, not_found, read_only
from tandem.access.api import path_child_id, permits_api
from tandem.access.relation import get_visible_child
from tandem.access.views import check
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.plans.models import Goal

from . import actions, reading
from .access import (
    activities_of,
    activity_of,
    assignable_goals,
    get_goal,
    goals_of,
    log_of,
    logs_of,
    observations_of,
    shared_goals,
)
from .models import HomeActivity, Observation, PracticeLog

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


class PracticeLogOut(Schema):
    id: uuid.UUID
    activity_id: uuid.UUID
    date: datetime.date
    outcome: str
    minutes: int | None
    how_it_went: int | None = Field(description="1 hard, 2 OK, 3 went well")
    barrier: str
    barrier_other: str
    note: str
    logged_by_me: bool


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
    statement: str
    settings: list[SettingCellOut]


class AdherenceWeekOut(Schema):
    week_of: datetime.date
    planned: int | None = Field(description="None when the activity did not run that week")
    done: int
    partly: int
    not_today: int
    barriers: list[str]


class AdherenceRowOut(Schema):
    activity_id: uuid.UUID
    title: str
    percent: int | None
    weeks: list[AdherenceWeekOut]


class BarrierOut(Schema):
    date: datetime.date
    activity_id: uuid.UUID
    barrier: str
    phrase: str


class AdherenceOut(Schema):
    weeks: list[datetime.date]
    percent: int | None
    activities: list[AdherenceRowOut]
    barriers: list[BarrierOut]


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


def log_out(log: PracticeLog, membership: Membership) -> dict[str, Any]:
    fields = ("id", "activity_id", "date", "outcome", "minutes", "how_it_went")
    data = {name: getattr(log, name) for name in fields}
    return data | {
        "barrier": log.barrier,
        "barrier_other": log.barrier_other,
        "note": log.note,
        "logged_by_me": log.logged_by_id == membership.id,
    }


def observation_out(observation: Observation, membership: Membership) -> dict[str, Any]:
    fields = ("id", "goal_id", "observed_on", "setting", "who_was_there", "independence", "note")
    data = {name: getattr(observation, name) for name in fields}
    return data | {
        "recorder_role": observation.recorder_role,
        "recorded_by_me": observation.recorded_by_id == membership.id,
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


class LogIn(InputSchema):
    activity_id: uuid.UUID
    outcome: Literal["done", "partly", "not_today"]
    date: datetime.date | None = Field(
        None, description="Today in the clinic's time zone if left out"
    )
    minutes: int | None = None
    how_it_went: Literal[1, 2, 3] | None = None
    barrier: Literal["no_time", "refused", "unclear", "materials", "other"] | None = None
    barrier_other: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


class LogPatch(InputSchema):
    outcome: Literal["done", "partly", "not_today"] | None = None
    minutes: int | None = None
    how_it_went: Literal[1, 2, 3] | None = None
    barrier: Literal["", "no_time", "refused", "unclear", "materials", "other"] | None = None
    barrier_other: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def says_something(self) -> "LogPatch":
        if not self.model_fields_set:
            raise ValueError("Send at least one field to change.")
        return self


class ObservationIn(InputSchema):
    goal_id: uuid.UUID
    setting: Literal["home", "school", "community", "other"]
    independence: Literal["independent", "some_help", "lot_of_help", "not_yet"]
    observed_on: datetime.date | None = None
    who_was_there: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


class Window(Schema):
    since: datetime.date | None = None
    until: datetime.date | None = None
    limit: int = Field(200, ge=1, le=MAX_ROWS)
    offset: int = Field(0, ge=0)


# --- Checks run before the input is read (404 outsiders, 403 read-only, then 422) --


@dataclass(frozen=True)
class Reads:
    """A check for ``signed_in``: the member reads the path's child's home program (else
    404: roles it is not for, children they do not see), and ``access_action`` is theirs
    (else 403: they see the record but may not do this)."""

    access_action: str

    def __call__(self, request: HttpRequest, membership: Membership) -> None:
        child = get_visible_child(membership, path_child_id(request))
        if not allows(membership, VIEW, child=child):
            raise not_found()
        if not allows(membership, self.access_action, child=child):
            raise read_only()


READS = signed_in(permits_api(VIEW))
EDITS = signed_in(Reads(EDIT))


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


# --- Practice logs ------------------------------------------------------------------

# The practice-log writes read the input of the child's guardians and of admins (the
# authorization matrix's "guardian" rule); a well-formed request is then refused to
# anyone ``log_practice`` / ``change_log`` does not allow (403): logs are the family's.
PRACTICE_INPUT = signed_in(Reads("homeprogram.practice_input"))


@router.get(
    "/children/{child_id}/practice-logs",
    response={200: list[PracticeLogOut], **ERRORS},
    auth=READS,
)
def list_logs(
    request: MemberRequest,
    child_id: uuid.UUID,
    window: Query[Window],
    activity_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """The family's practice logs, newest first (at most 500 at a time)."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    logs = logs_of(membership, child)
    if activity_id is not None:
        logs = logs.filter(activity_id=activity_id)
    if window.since:
        logs = logs.filter(date__gte=window.since)
    if window.until:
        logs = logs.filter(date__lte=window.until)
    rows = logs.order_by("-date", "-created_at")[window.offset : window.offset + window.limit]
    return [log_out(entry, membership) for entry in rows]


@router.post(
    "/children/{child_id}/practice-logs",
    response={201: PracticeLogOut, **ERRORS},
    auth=PRACTICE_INPUT,
    openapi_extra=IDEMPOTENCY_HEADER,
)
def create_log(request: MemberRequest, child_id: uuid.UUID, payload: LogIn) -> HttpResponse:
    """Log a practice: done, partly or not today (guardians, for their own children)."""
    membership = request.membership
    child = child_for(request, child_id, "homeprogram.log_practice")
    activity = activity_of(membership, child, payload.activity_id)
    fields = payload.model_dump(exclude={"activity_id"}, exclude_none=True)
    fields.setdefault("date", clock.today())

    def write() -> dict[str, Any]:
        return log_out(actions.log_practice(membership, activity, **fields), membership)

    return run_once(request, "homeprogram.practice_log", 201, PracticeLogOut, write)


@router.patch(
    "/children/{child_id}/practice-logs/{log_id}",
    response={200: PracticeLogOut, **ERRORS},
    auth=PRACTICE_INPUT,
)
def patch_log(
    request: MemberRequest, child_id: uuid.UUID, log_id: uuid.UUID, payload: LogPatch
) -> dict[str, Any]:
    """Add how it went, minutes, a barrier or a note (the guardian who logged it)."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log = log_of(membership, child, log_id)
    check(request, "homeprogram.change_log", obj=log)
    changes = payload.model_dump(exclude_unset=True)
    for name in ("barrier", "barrier_other", "note"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if changes.get("outcome") is None:
        changes.pop("outcome", None)
    return log_out(actions.update_log(log, **changes), membership)


# --- Observations and generalization -------------------------------------------------


@router.get(
    "/children/{child_id}/observations",
    response={200: list[ObservationOut], **ERRORS},
    auth=READS,
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
    auth=signed_in(Reads("homeprogram.observe")),
    openapi_extra=IDEMPOTENCY_HEADER,
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
)
def generalization(request: MemberRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """Per goal of the active plans: where the skill has been seen, and how independently."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    goals = list(shared_goals(membership, child))
    observations = list(observations_of(membership, child)[:MAX_ROWS])
    return [
        {
            "goal_id": row.goal.id,
            "statement": row.goal.statement,
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


@router.get(
    "/children/{child_id}/adherence",
    response={200: AdherenceOut, **ERRORS},
    auth=signed_in(permits_api("homeprogram.adherence")),
)
def adherence(request: MemberRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """Practice logged against the plan per activity per week (last 8 weeks), and barriers."""
    membership = request.membership
    child = child_for(request, child_id, "homeprogram.adherence")
    log_access(request, [child])
    today = clock.today()
    activities = list(activities_of(membership, child))
    result = reading.adherence(
        child, activities, reading.adherence_logs(membership, child, today), today
    )
    return {
        "weeks": result.weeks,
        "percent": result.percent,
        "activities": [
            {
                "activity_id": row.activity.id,
                "title": row.activity.title,
                "percent": row.percent,
                "weeks": [
                    {
                        "week_of": c.week,
                        "planned": c.planned,
                        "done": c.done,
                        "partly": c.partly,
                        "not_today": c.skipped,
                        "barriers": c.barriers,
                    }
                    for c in row.cells
                ],
            }
            for row in result.rows
        ],
        "barriers": [
            {"date": n.date, "activity_id": n.activity.id, "barrier": n.code, "phrase": n.phrase}
            for n in result.barriers
        ],
    }
