"""The family's practice over the API: practice logs, and adherence to the home program.

Paths are relative to /api/v1/. Logs are the family's: guardians write them for their own
children; the team reads them and sees, per activity and week, how much was practised and
what got in the way. The checks are the home program's (``api.py``); the operations keep
the operation ids they had there (the API's contract did not change when its code moved).
"""

import datetime
import uuid
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from tandem.access import MemberRequest, child_for
from tandem.access.api import permits_api
from tandem.access.views import check
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.core import clock

from . import actions, reading
from .access import activities_of, activity_of, log_of, logs_of
from .api import READS, VIEW, Window, writes
from .models import PracticeLog

router = Router(tags=["home program"])


# --- Output ----------------------------------------------------------------------


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


def log_out(log: PracticeLog, membership: Membership) -> dict[str, Any]:
    fields = ("id", "activity_id", "date", "outcome", "minutes", "how_it_went")
    data = {name: getattr(log, name) for name in fields}
    return data | {
        "barrier": log.barrier,
        "barrier_other": log.barrier_other,
        "note": log.note,
        "logged_by_me": log.logged_by_id == membership.id,
    }


# --- Input -----------------------------------------------------------------------


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


# --- Practice logs ------------------------------------------------------------------

# The practice-log writes read the input of the child's guardians and of admins (the
# authorization matrix's "guardian" rule); a well-formed request is then refused to
# anyone ``log_practice`` / ``change_log`` does not allow (403): logs are the family's.
PRACTICE_INPUT = writes("homeprogram.practice_input")


@router.get(
    "/children/{child_id}/practice-logs",
    response={200: list[PracticeLogOut], **ERRORS},
    auth=READS,
    operation_id="tandem_homeprogram_api_list_logs",
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
    operation_id="tandem_homeprogram_api_create_log",
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
    operation_id="tandem_homeprogram_api_patch_log",
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


@router.get(
    "/children/{child_id}/adherence",
    response={200: AdherenceOut, **ERRORS},
    auth=signed_in(permits_api("homeprogram.adherence")),
    operation_id="tandem_homeprogram_api_adherence",
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
