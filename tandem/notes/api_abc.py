"""ABC (antecedent–behavior–consequence) records over the API: a draft's records are
replaced as a whole (like its goal data), and the child's record lists them from the
notes the reader may read. Families and collaborators read no ABC records (clinical
staff only, like the goals' clinical statements). Paths are relative to /api/v1/."""

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema

from tandem.access import child_for, member
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.plans.wording import reads_clinical

from . import abc
from .access import notes_of
from .api import READ, WRITE, WRITE_ERRORS, NoteOut, draft_for, note_out, note_view

router = Router(tags=["notes"])


class AbcIn(InputSchema):
    time: str = Field("", pattern=r"^(([01]\d|2[0-3]):[0-5]\d)?$", description="HH:MM or empty")
    antecedent: str = Field("", max_length=abc.MAX_TEXT)
    behavior: str = Field(min_length=1, max_length=abc.MAX_TEXT)
    consequence: str = Field("", max_length=abc.MAX_TEXT)


class AbcRecordsIn(InputSchema):
    version: int = Field(description="The note version the records are based on (409 if stale)")
    records: list[AbcIn] = Field(max_length=abc.MAX_RECORDS)


class AbcListOut(Schema):
    note_id: uuid.UUID
    date: dt.date
    time: str
    antecedent: str
    behavior: str
    consequence: str


@router.put(
    "/children/{child_id}/notes/{note_id}/abc-records",
    response={200: NoteOut, **WRITE_ERRORS},
    auth=WRITE,
)
@transaction.atomic
def put_abc_records(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: AbcRecordsIn
) -> Any:
    """Replace the draft's ABC records (in the order given)."""
    note = draft_for(request, child_id, note_id, "notes.edit_draft")
    records = [r.model_dump() for r in payload.records]
    abc.set_records(note, member(request), expected_version=payload.version, records=records)
    return note_out(note_view(request, child_id, note_id))


@router.get(
    "/children/{child_id}/abc-records", response={200: list[AbcListOut], **ERRORS}, auth=READ
)
def list_abc_records(request: HttpRequest, child_id: uuid.UUID) -> Any:
    """Every ABC record of the child's notes the reader may read, newest session first."""
    membership = member(request)
    child = child_for(request, child_id, "notes.view")
    log_access(request, [child])
    if not reads_clinical(membership):
        return []
    notes = (
        notes_of(membership, child)
        .exclude(abc_records=[])
        .only("id", "date", "start_time", "abc_records", "organization_id", "child_id")
    )
    return abc.of_notes(notes)
