"""The session-notes part of the API: notes and their drafts' goal data, with the note
schema and the checks the operations on a finished note share (signing, co-signing,
addenda: ``api_signing.py``).

Paths are relative to /api/v1/. Each operation's ``auth`` checks its rule (``rules.py``)
before the input is read; every record is fetched through ``notes.access`` and changed
through ``notes.actions``; the API object turns Http404 / PermissionDenied / Conflict (a
stale version, or a change to a signed note) / ValidationError into JSON 404 / 403 / 409 /
422. A write on a note answers its state (409) before who may make it (403), as the pages do.
"""

import datetime as dt
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tandem.access import child_for, member, require
from tandem.access.api import permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import (
    ERRORS,
    MAX_OFFSET,
    ConflictOut,
    InputSchema,
    LocalTime,
    PersonOut,
    person,
)
from tandem.audit.actions import log_access
from tandem.plans.models import MAX_TASK_STEPS
from tandem.plans.wording import STATEMENT_DOC, WORDING_DOC, for_reader, reads_clinical

from . import actions, datatypes, goal_data
from .access import (
    active_goals_of,
    appointment_to_document,
    goals_on_note,
    note_for,
    notes_of,
)
from .api_datatypes import AbcOut, IoaOut, PromptValue, SecondObserverIn, SecondObserverOut, ioa_out
from .models import GoalData, SessionNote
from .reading import NoteView, notes_for_index, read_note

router = Router(tags=["notes"])
MAX_PAGE = 100

# The models' choices as plain string literals (inline enums in the schema: other apps
# have choices of the same names, and OpenAPI components are one namespace);
# tests/test_api.py checks they match the models' choices.
ServiceTypeValue = Literal[
    "individual",
    "co_treatment",
    "group",
    "evaluation",
    "re_evaluation",
    "caregiver_training",
    "consultation",
]
LocationValue = Literal["clinic", "home", "school", "teletherapy"]
RegulationValue = Literal["calm", "alert", "low", "anxious", "high", "dysregulated"]
StatusValue = Literal["draft", "awaiting_cosign", "signed"]


# --- Output --------------------------------------------------------------------


class Trial(Schema):
    correct: bool
    prompt: PromptValue


class GoalDataOut(Schema):
    goal_id: uuid.UUID
    goal_statement: str | None = Field(description=STATEMENT_DOC)
    goal_wording: str = Field(description=WORDING_DOC)
    measurement_type: str
    trials: list[Trial]
    count: int | None
    duration_seconds: int | None
    rating: int | None
    steps_done: int | None
    steps_total: int | None
    step_prompts: list[str] = Field(
        description='Task analysis: each listed step\'s prompt level ("" = not scored)'
    )
    observation_minutes: float | None = Field(description="Rate: the minutes observed")
    interval_seconds: int | None = Field(description="Interval recording: one interval's length")
    intervals: list[bool] = Field(description="Interval recording: scored in each interval")
    second_observer: SecondObserverOut | None = Field(
        description="Inter-observer agreement: a second observer's record (never a reading)"
    )
    ioa: IoaOut | None = Field(description="Agreement with the second observer")
    value: float | None = Field(description="The session's value on the goal's own scale")
    gas_level: int | None
    comment: str


class AddendumOut(Schema):
    id: uuid.UUID
    author: PersonOut
    created_at: dt.datetime
    text: str


class NoteSummaryOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    date: dt.date
    start_time: LocalTime
    end_time: LocalTime
    service_type: str
    location: str
    status: StatusValue
    author: PersonOut
    signed_at: dt.datetime | None
    version: int


class NoteOut(NoteSummaryOut):
    subjective: str
    objective: str
    assessment: str
    plan_next: str
    activities: str
    child_chosen_activities: str
    regulation: str
    mood: str
    engagement: int | None
    minutes: int
    billable_units: int = Field(description="Units of a timed code by the 8-minute rule")
    signed_by: PersonOut | None
    cosigned_at: dt.datetime | None
    cosigned_by: PersonOut | None
    content_hash: str
    content_intact: bool = Field(description="Whether the note still hashes to what was signed")
    goal_data: list[GoalDataOut]
    abc_records: list[AbcOut] = Field(description="ABC records (clinical readers only)")
    addenda: list[AddendumOut]


def person_or_none(membership: Membership | None) -> dict[str, Any] | None:
    """The person, described for the API, or None (a note not yet signed, say)."""
    return person(membership) if membership is not None else None


def summary_out(note: SessionNote) -> dict[str, Any]:
    return {
        "id": note.id,
        "child_id": note.child_id,
        "date": note.date,
        "start_time": note.start_time,
        "end_time": note.end_time,
        "service_type": note.service_type,
        "location": note.location,
        "status": note.status,
        "author": person(note.author),
        "signed_at": note.signed_at,
        "version": note.version,
    }


def goal_data_out(entry: GoalData, clinical: bool = True) -> dict[str, Any]:
    words = for_reader(entry.goal, clinical)
    return {
        "goal_id": entry.goal_id,
        "goal_statement": words["statement"],
        "goal_wording": words["wording"],
        "measurement_type": entry.goal.measurement_type,
        "trials": entry.trials or [],
        "count": entry.count,
        "duration_seconds": entry.duration_seconds,
        "rating": entry.rating,
        "steps_done": entry.steps_done,
        "steps_total": entry.steps_total,
        "step_prompts": entry.step_prompts or [],
        "observation_minutes": entry.observation_minutes,
        "interval_seconds": entry.interval_seconds,
        "intervals": entry.intervals or [],
        "second_observer": entry.second_observer or None,
        "ioa": ioa_out(entry),
        "value": entry.value,
        "gas_level": entry.gas_level,
        "comment": entry.comment,
    }


def note_out(view: NoteView, clinical: bool = True) -> dict[str, Any]:
    """A note for the API; ``clinical`` False (a family reading it) leaves the goals'
    clinical statements out (``plans.wording.for_reader``). Only the clinical staff write."""
    note = view.note
    return (
        summary_out(note)
        | {
            name: getattr(note, name)
            for name in (
                "subjective",
                "objective",
                "assessment",
                "plan_next",
                "activities",
                "child_chosen_activities",
                "regulation",
                "mood",
                "engagement",
                "minutes",
                "cosigned_at",
                "content_hash",
            )
        }
        | {
            "billable_units": view.units,
            "signed_by": person_or_none(note.signed_by),
            "cosigned_by": person_or_none(note.cosigned_by),
            "content_intact": view.intact,
            "goal_data": [goal_data_out(e, clinical) for e in view.entries],
            "abc_records": (note.abc_records or []) if clinical else [],
            "addenda": [
                {"id": a.id, "author": person(a.author), "created_at": a.created_at, "text": a.text}
                for a in view.addenda
            ],
        }
    )


# --- Input ---------------------------------------------------------------------


class NoteFields(InputSchema):
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan_next: str = ""
    activities: str = ""
    child_chosen_activities: str = ""
    regulation: RegulationValue | None = None
    mood: str = Field("", max_length=100)
    engagement: int | None = Field(None, ge=1, le=5)


class NoteIn(NoteFields):
    date: dt.date
    start_time: LocalTime
    end_time: LocalTime
    service_type: ServiceTypeValue = "individual"
    location: LocationValue = "clinic"
    goal_ids: list[uuid.UUID] = Field(
        default_factory=list, description="Goals the session worked on (active plan goals)"
    )
    appointment_id: uuid.UUID | None = Field(
        None,
        description="The child's appointment whose session the note documents; without one "
        "the note gets a session of its own (an unbooked session, attended)",
    )


class NotePatch(InputSchema):
    version: int = Field(description="The version the change is based on (409 if stale)")
    date: dt.date | None = None
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    service_type: ServiceTypeValue | None = None
    location: LocationValue | None = None
    subjective: str | None = None
    objective: str | None = None
    assessment: str | None = None
    plan_next: str | None = None
    activities: str | None = None
    child_chosen_activities: str | None = None
    regulation: RegulationValue | None = None
    mood: str | None = Field(None, max_length=100)
    engagement: int | None = Field(None, ge=1, le=5)
    goal_ids: list[uuid.UUID] | None = Field(
        None, description="Replace the goals the note records data for"
    )


class TrialIn(InputSchema):
    correct: bool
    prompt: PromptValue = "independent"


class GoalDataIn(InputSchema):
    """Everything recorded for one goal in the session; fields left out are cleared."""

    version: int = Field(description="The note version the data is based on (409 if stale)")
    trials: list[TrialIn] = Field(default_factory=list, max_length=goal_data.MAX_TRIALS)
    count: int | None = Field(None, ge=0, le=100000)
    duration_seconds: int | None = Field(None, ge=0, le=86400)
    rating: int | None = Field(None, ge=1, le=5)
    steps_done: int | None = Field(None, ge=0, le=500)
    steps_total: int | None = Field(None, ge=1, le=500)
    step_prompts: list[PromptValue | Literal[""]] = Field(
        default_factory=list,
        max_length=MAX_TASK_STEPS,
        description='Task analysis with listed steps: each step\'s prompt level, "" if not scored',
    )
    observation_minutes: float | None = Field(None, gt=0, le=datatypes.MAX_MINUTES)
    interval_seconds: int | None = Field(None, ge=1, le=datatypes.MAX_INTERVAL_SECONDS)
    intervals: list[bool] = Field(default_factory=list, max_length=datatypes.MAX_INTERVALS)
    second_observer: SecondObserverIn | None = None
    gas_level: int | None = Field(None, ge=-2, le=2)
    comment: str = Field("", max_length=300)


class NotesPage(LimitOffsetPagination):
    """A page of a child's notes (at most 100), described for the API."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        offset, limit = pagination.offset, min(pagination.limit, MAX_PAGE)
        items = [summary_out(n) for n in queryset[offset : offset + limit]]
        return {"items": items, "count": queryset.count()}


# --- Checks run before the input is read (404 outsiders, 403 read-only, then 422) --


READ = signed_in(permits_api("notes.view"))
WRITE = signed_in(permits_api("notes.write"))
WRITE_ERRORS = {**ERRORS, 409: ConflictOut}


# --- Helpers -------------------------------------------------------------------


def note_view(request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> NoteView:
    """The path's note as its page reads it (404 if the member does not see it)."""
    return read_note(member(request), note_for(request, child_id, note_id))


def draft_for(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, action: str
) -> SessionNote:
    """A draft its author changes or signs: a signed note is a 409, another's draft a 403."""
    note = note_for(request, child_id, note_id, "notes.write")
    actions.ensure_draft(note)
    require(member(request), action, obj=note)
    return note


def _goals(request: HttpRequest, note: SessionNote, goal_ids: list[uuid.UUID]) -> list[Any]:
    """The note's goals after a change: goals already on it, or active goals of the child."""
    membership = member(request)
    wanted = set(goal_ids)
    known = {g.id: g for g in goals_on_note(membership, note) if g.id in wanted}
    missing = wanted - set(known)
    if missing:
        known |= {g.id: g for g in active_goals_of(membership, note.child).filter(pk__in=missing)}
    if wanted - set(known):
        raise ValidationError({"goal_ids": [_("Use active goals of the child's current plans.")]})
    return [known[g] for g in goal_ids if g in known]


# --- Notes ---------------------------------------------------------------------


@router.get("/children/{child_id}/notes", response={200: list[NoteSummaryOut], **ERRORS}, auth=READ)
@paginate(NotesPage)
def list_notes(request: HttpRequest, child_id: uuid.UUID) -> Any:
    """The child's session notes, newest first (families: signed notes only)."""
    child = child_for(request, child_id, "notes.view")
    log_access(request, [child])
    return notes_for_index(member(request), child)


@router.post(
    "/children/{child_id}/notes",
    response={201: NoteOut, **ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=WRITE,
)
@transaction.atomic
def create_note(request: HttpRequest, child_id: uuid.UUID, payload: NoteIn) -> HttpResponse:
    """Start a draft note for a session, with the goals it worked on (once per
    ``Idempotency-Key``: a retried request answers with the note it started)."""
    membership = member(request)
    child = child_for(request, child_id, "notes.write")
    fields = payload.model_dump()
    goal_ids = fields.pop("goal_ids")
    wanted = fields.pop("appointment_id")
    appointment = appointment_to_document(membership, child, str(wanted) if wanted else None)
    if appointment is not None:
        fields["encounter"] = appointment.encounter
        started = notes_of(membership, child).filter(
            encounter_id=appointment.encounter_id, author=membership
        )
        if started.exists():
            raise ValidationError(
                {"appointment_id": [_("You have already started the note for this session.")]}
            )
    fields["regulation"] = fields["regulation"] or ""
    goals = {g.id: g for g in active_goals_of(membership, child).filter(pk__in=goal_ids)}
    if set(goal_ids) - set(goals):
        raise ValidationError({"goal_ids": [_("Use active goals of the child's current plans.")]})

    def write() -> Any:
        note = actions.create_note(membership, child, goals=[goals[g] for g in goal_ids], **fields)
        return note_out(note_view(request, child_id, note.id))

    return run_once(request, "notes.create", 201, NoteOut, write)


@router.get("/children/{child_id}/notes/{note_id}", response={200: NoteOut, **ERRORS}, auth=READ)
def get_note_record(request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> Any:
    """One note with its goal data, signatures and addenda."""
    view = note_view(request, child_id, note_id)
    log_access(request, [view.note.child])
    return note_out(view, reads_clinical(member(request)))


@router.patch(
    "/children/{child_id}/notes/{note_id}", response={200: NoteOut, **WRITE_ERRORS}, auth=WRITE
)
@transaction.atomic
def patch_note(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: NotePatch
) -> Any:
    """Change the author's draft based on ``version``; a signed note answers 409."""
    membership = member(request)
    note = draft_for(request, child_id, note_id, "notes.edit_draft")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    goal_ids = changes.pop("goal_ids", None)
    if "regulation" in changes:
        changes["regulation"] = changes["regulation"] or ""
    for name in ("date", "start_time", "end_time", "service_type", "location"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: [_("This field cannot be empty.")]})
    note = actions.update_note(note, membership, expected_version=version, fields=changes)
    if goal_ids is not None:
        goals = _goals(request, note, goal_ids)
        actions.set_goals(note, membership, expected_version=note.version, goals=goals)
    return note_out(note_view(request, child_id, note_id))


@router.put(
    "/children/{child_id}/notes/{note_id}/goal-data/{goal_id}",
    response={200: NoteOut, **WRITE_ERRORS},
    auth=WRITE,
)
@transaction.atomic
def put_goal_data(
    request: HttpRequest,
    child_id: uuid.UUID,
    note_id: uuid.UUID,
    goal_id: uuid.UUID,
    payload: GoalDataIn,
) -> Any:
    """Record what was measured for one goal (adding an active goal to the draft if needed)."""
    membership = member(request)
    note = draft_for(request, child_id, note_id, "notes.edit_draft")
    data = payload.model_dump()
    version = data.pop("version")
    other = payload.second_observer
    data["second_observer"] = other.model_dump(exclude_none=True) if other else {}
    on_note = list(goals_on_note(membership, note))
    if all(g.id != goal_id for g in on_note):
        goals = _goals(request, note, [*(g.id for g in on_note), goal_id])
        note = actions.set_goals(note, membership, expected_version=version, goals=goals)
        version = note.version
    actions.update_note(note, membership, expected_version=version, goal_data={goal_id: data})
    return note_out(note_view(request, child_id, note_id))
