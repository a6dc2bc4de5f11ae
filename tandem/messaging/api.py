"""The messaging part of the API: the family conversation, hand-offs and check-ins.

Paths are relative to /api/v1/. The family and the team post to the same conversation
(``POST /children/{id}/messages``); a message is "from the family" when a guardian
wrote it. Messages are posted as multipart forms (``body`` and an optional
``attachment``).
"""

import base64
import datetime
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import model_validator

from tandem.access import allows, child_for, not_found, read_only, visible_children
from tandem.access.api import permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import acting_member, signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema, PersonOut, person
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock

from . import actions
from .access import (
    checkins_of,
    get_attachment,
    handoff_recipients,
    handoffs_of,
    schedule_of,
)
from .models import MESSAGE_MAX_LENGTH, CheckIn, CheckInSchedule, Handoff, Message
from .reading import TIMELINE_SIZE, thread_page, unread_counts, with_files

router = Router(tags=["messaging"])


# --- Output --------------------------------------------------------------------


class AttachmentOut(Schema):
    id: uuid.UUID
    filename: str
    content_type: str
    size: int


class AttachmentDataOut(AttachmentOut):
    data_base64: str = Field(description="The file's bytes, base64-encoded")


class ReceiptOut(Schema):
    reader: PersonOut
    seen_at: datetime.datetime


class MessageOut(Schema):
    id: uuid.UUID
    author: PersonOut
    from_family: bool
    body: str
    created_at: datetime.datetime
    attachments: list[AttachmentOut]
    seen_by: list[ReceiptOut] = Field(description="Who has seen it and when (staff only)")


class ThreadOut(Schema):
    messages: list[MessageOut] = Field(description="Oldest first; at most 50")
    has_earlier: bool


class UnreadOut(Schema):
    child_id: uuid.UUID
    unread: int


class HandoffOut(Schema):
    id: uuid.UUID
    author: PersonOut
    recipient: PersonOut
    situation: str
    background: str
    assessment: str
    recommendation: str
    created_at: datetime.datetime


class ScheduleOut(Schema):
    every: int
    unit: str
    next_due_on: datetime.date
    is_active: bool
    version: int


class CheckInOut(Schema):
    id: uuid.UUID
    guardian: PersonOut
    due_on: datetime.date | None
    at_home: str
    hard: str
    would_help: str
    wellbeing: int | None
    needs_support: bool
    created_at: datetime.datetime


class CheckInsOut(Schema):
    schedule: ScheduleOut | None
    answers: list[CheckInOut] = Field(description="Newest first; at most 30")


class CheckInDueOut(Schema):
    due: bool
    due_on: datetime.date | None


class CheckInAnswerOut(Schema):
    id: uuid.UUID
    needs_support: bool = Field(
        description="The caregiver said they are struggling: offer support, kindly"
    )


def message_out(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": person(message.author),
        "from_family": message.from_family,
        "body": message.body,
        "created_at": message.created_at,
        "attachments": list(message.attachments.all()),
        "seen_by": [
            {"reader": person(r.reader), "seen_at": r.seen_at}
            for r in getattr(message, "seen_by", [])
        ],
    }


def handoff_out(handoff: Handoff) -> dict[str, Any]:
    return {
        "id": handoff.id,
        "author": person(handoff.author),
        "recipient": person(handoff.recipient),
        "situation": handoff.situation,
        "background": handoff.background,
        "assessment": handoff.assessment,
        "recommendation": handoff.recommendation,
        "created_at": handoff.created_at,
    }


def checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.id,
        "guardian": person(checkin.guardian),
        "due_on": checkin.due_on,
        "at_home": checkin.at_home,
        "hard": checkin.hard,
        "would_help": checkin.would_help,
        "wellbeing": checkin.wellbeing,
        "needs_support": checkin.needs_support,
        "created_at": checkin.created_at,
    }


def schedule_out(schedule: CheckInSchedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    return {
        "every": schedule.every,
        "unit": schedule.unit,
        "next_due_on": schedule.next_due_on,
        "is_active": schedule.is_active,
        "version": schedule.version,
    }


# --- Input ---------------------------------------------------------------------


class HandoffIn(InputSchema):
    recipient_id: uuid.UUID = Field(description="A colleague on the child's care team")
    situation: str = Field(min_length=1, max_length=2000)
    background: str = Field(min_length=1, max_length=4000)
    assessment: str = Field(min_length=1, max_length=4000)
    recommendation: str = Field(min_length=1, max_length=4000)


class ScheduleIn(InputSchema):
    every: int = Field(ge=1, le=12)
    unit: Literal["weeks", "months"]
    next_due_on: datetime.date
    is_active: bool = True
    version: int | None = Field(None, description="Required to change an existing schedule")


class CheckInAnswerIn(InputSchema):
    at_home: str = Field("", max_length=3000)
    hard: str = Field("", max_length=3000)
    would_help: str = Field("", max_length=3000)
    wellbeing: int | None = Field(None, ge=1, le=5, description="How the caregiver is doing")

    @model_validator(mode="after")
    def something_answered(self) -> "CheckInAnswerIn":
        if not (self.at_home or self.hard or self.would_help) and self.wellbeing is None:
            raise ValueError("Answer at least one question.")
        return self


WRITE_ERRORS = {**ERRORS, 409: ConflictOut}


# --- The conversation ----------------------------------------------------------


@router.get(
    "/children/{child_id}/messages",
    response={200: ThreadOut, **ERRORS},
    auth=signed_in(permits_api("messaging.view")),
)
def list_messages(
    request: HttpRequest,
    child_id: uuid.UUID,
    before: datetime.datetime | None = None,
    mark_read: bool = True,
) -> dict[str, Any]:
    """The latest 50 messages (or those ``before`` a moment); reading them marks them seen."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.view")
    log_access(request, [child])
    page = thread_page(membership, child, before=before)
    if mark_read and before is None:
        actions.mark_thread_read(membership, child)
    return {"messages": [message_out(m) for m in page.messages], "has_earlier": page.has_earlier}


def _posted(request: HttpRequest, child_id: uuid.UUID, body: str, attachment: Any) -> HttpResponse:
    """Post once per ``Idempotency-Key``: a resent message is not written twice."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.post")

    def write() -> dict[str, Any]:
        message = actions.post_message(membership, child, body, attachment)
        return message_out(with_files(membership, child, message))

    return run_once(request, "messaging.message", 201, MessageOut, write)


@router.post(
    "/children/{child_id}/messages",
    response={201: MessageOut, **ERRORS},
    auth=signed_in(permits_api("messaging.post")),
    openapi_extra=IDEMPOTENCY_HEADER,
)
def post_message(
    request: HttpRequest,
    child_id: uuid.UUID,
    body: str = Form(..., max_length=MESSAGE_MAX_LENGTH),
    attachment: UploadedFile | None = File(None),  # noqa: B008
) -> HttpResponse:
    """Write in the conversation: a guardian to the care team, or someone on the team to
    the family (multipart: ``body``, optional ``attachment``)."""
    return _posted(request, child_id, body, attachment)


@router.get(
    "/children/{child_id}/messages/files/{message_file_id}",
    response={200: AttachmentDataOut, **ERRORS},
    auth=signed_in(permits_api("messaging.view")),
)
def get_message_file(
    request: HttpRequest, child_id: uuid.UUID, message_file_id: uuid.UUID
) -> dict[str, Any]:
    """A file sent with a message, its bytes in base64 (files are at most 5 MB)."""
    child = child_for(request, child_id, "messaging.view")
    stored = get_attachment(acting_member(request), child, message_file_id)
    try:
        with stored.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError) as exc:
        raise not_found() from exc
    log_access(request, [child])
    return {
        "id": stored.id,
        "filename": stored.filename,
        "content_type": stored.content_type,
        "size": stored.size,
        "data_base64": base64.b64encode(data).decode("ascii"),
    }


@router.get("/messages/unread", response={200: list[UnreadOut], **ERRORS})
def unread(request: HttpRequest) -> list[dict[str, Any]]:
    """Unread messages per child, for every child whose conversation the caller takes part
    in and who has some (an empty list for those who take part in none)."""
    membership = acting_member(request)
    child_ids = visible_children(membership).active().values_list("pk", flat=True)
    counts = unread_counts(membership, child_ids)
    return [{"child_id": pk, "unread": n} for pk, n in sorted(counts.items(), key=str)]


# --- SBAR hand-offs (the team only) ------------------------------------------------


@router.get(
    "/children/{child_id}/handoffs",
    response={200: list[HandoffOut], **ERRORS},
    auth=signed_in(permits_api("messaging.timeline")),
)
def list_handoffs(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """SBAR hand-offs about the child, newest first (the team only; never for families)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.timeline")
    log_access(request, [child])
    return [handoff_out(h) for h in handoffs_of(membership, child)[:TIMELINE_SIZE]]


@router.post(
    "/children/{child_id}/handoffs",
    response={201: HandoffOut, **ERRORS},
    auth=signed_in(permits_api("messaging.handoff")),
)
def create_handoff(
    request: HttpRequest, child_id: uuid.UUID, payload: HandoffIn
) -> Status[dict[str, Any]]:
    """Hand the child over to a colleague on the care team, in SBAR form."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.handoff")
    fields = payload.model_dump()
    recipient = _colleague(membership, child, fields.pop("recipient_id"))
    handoff = actions.send_handoff(membership, child, recipient, **fields)
    return Status(201, handoff_out(handoff))


def _colleague(membership: Membership, child: Child, recipient_id: uuid.UUID) -> Membership:
    found = handoff_recipients(membership, child).filter(pk=recipient_id).first()
    if found is None:
        raise ValidationError({"recipient_id": ["Choose a colleague on this child's team."]})
    return found


# --- Check-ins -------------------------------------------------------------------


@router.get(
    "/children/{child_id}/check-ins",
    response={200: CheckInsOut, **ERRORS},
    auth=signed_in(permits_api("messaging.timeline")),
)
def list_checkins(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """The check-in schedule and the family's answers, newest first (the team only)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.timeline")
    log_access(request, [child])
    return {
        "schedule": schedule_out(schedule_of(membership, child)),
        "answers": [checkin_out(c) for c in checkins_of(membership, child)[:TIMELINE_SIZE]],
    }


@router.put(
    "/children/{child_id}/check-ins/schedule",
    response={200: ScheduleOut, **WRITE_ERRORS},
    auth=signed_in(permits_api("messaging.schedule_checkins", gate="messaging.view")),
)
def put_schedule(request: HttpRequest, child_id: uuid.UUID, payload: ScheduleIn) -> Any:
    """Set or change the family check-in schedule (admins and lead/treating therapists)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.schedule_checkins")
    fields = payload.model_dump()
    version = fields.pop("version")
    existing = schedule_of(membership, child)
    schedule = actions.set_checkin_schedule(
        membership,
        child,
        expected_version=(version or 0) if existing else None,
        **fields,
    )
    return schedule_out(schedule)


@router.get(
    "/children/{child_id}/check-ins/due",
    response={200: CheckInDueOut, **ERRORS},
    auth=signed_in(permits_api("messaging.view")),
)
def checkin_due(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """Whether the family's check-in is due now."""
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.view")
    schedule = schedule_of(membership, child)
    due = bool(schedule and schedule.is_due(clock.today()))
    return {"due": due, "due_on": schedule.next_due_on if due and schedule else None}


@router.post(
    "/children/{child_id}/check-ins/answers",
    response={201: CheckInAnswerOut, **ERRORS},
    auth=signed_in(permits_api("messaging.checkin_gate", gate="messaging.view")),
)
def answer_checkin(
    request: HttpRequest, child_id: uuid.UUID, payload: CheckInAnswerIn
) -> Status[dict[str, Any]]:
    """A guardian answers the check-in; the team sees the answers on its timeline.

    When ``needs_support`` is true the caregiver said they are struggling: show them the
    support the check-in page offers (the team is told, too).
    """
    membership = acting_member(request)
    child = child_for(request, child_id, "messaging.checkin_gate")
    if not allows(membership, "messaging.checkin", child=child):
        raise read_only("Only the family answers check-ins.")
    checkin = actions.answer_checkin(membership, child, **payload.model_dump())
    return Status(201, {"id": checkin.id, "needs_support": checkin.needs_support})
