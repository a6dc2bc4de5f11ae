"""The editor's "Draft the note" over the API (``drafting.py``): Objective and Assessment
written from the session's data and its goals' history, in the caller's language, and the
family summary in English and Spanish.

As in the editor, the draft fills only the fields that are empty (a family summary put in
is shared on signing unless the therapist unticks it); ``use`` puts it into written fields
too (the editor's "Use this draft"), and ``save: false`` only answers it. Once per
``Idempotency-Key``. Paths are relative to /api/v1/.
"""

import uuid
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from tandem.access import member
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import InputSchema
from tandem.core.access import Conflict

from . import actions, drafting
from .api import WRITE, WRITE_ERRORS, NoteOut, draft_for, note_out, note_view

router = Router(tags=["notes"])

# ``drafting.DRAFTED`` as plain string literals (the tests check they are the same).
DraftedField = Literal["objective", "assessment", "family_summary_en", "family_summary_es"]


class DraftIn(InputSchema):
    version: int = Field(description="The note version the draft is based on (409 if stale)")
    use: list[DraftedField] = Field(
        default_factory=list,
        description="Fields to replace with the draft even if written in (the editor's "
        "“Use this draft”); empty: the draft fills only the empty fields",
    )
    save: bool = Field(True, description="False: answer the draft, change nothing")


class DraftTextOut(Schema):
    objective: str
    assessment: str
    family_summary_en: str
    family_summary_es: str


class FamilySummaryOut(Schema):
    en: str
    es: str
    share: bool = Field(description="Shared with the family when the note is signed")


class DraftOut(Schema):
    drafted: DraftTextOut = Field(
        description="The draft of each field (Objective and Assessment in the caller's "
        'language, the family summary in both; "" when there is no data to write from)'
    )
    filled: list[str] = Field(description="The fields the draft was put into (or would be)")
    kept: list[str] = Field(description="Written fields left as they were")
    saved: bool
    family_summary: FamilySummaryOut = Field(description="The note's family summary, as saved")
    note: NoteOut


@router.post(
    "/children/{child_id}/notes/{note_id}/draft",
    response={200: DraftOut, **WRITE_ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=WRITE,
    operation_id="tandem_notes_api_draft_note",
)
@transaction.atomic
def draft_note(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: DraftIn
) -> HttpResponse:
    """Draft the author's note from the session's data, as the editor's "Draft the note"."""
    membership = member(request)
    note = draft_for(request, child_id, note_id, "notes.edit_draft")

    def write() -> dict[str, Any]:
        current = actions.locked_note(note)
        if current.version != payload.version:
            raise Conflict(current.version)
        texts = drafting.proposals(membership, current)
        fields: dict[str, Any] = {}
        for action in [f"use:{name}" for name in payload.use] or ["fill"]:
            fields |= drafting.fields_to_change(current, texts, action)
        kept = [
            name
            for name in drafting.DRAFTED
            if name not in fields and (getattr(current, name) or "").strip()
        ]
        if payload.save:
            current = actions.update_note(
                current, membership, expected_version=payload.version, fields=fields
            )
        return {
            "drafted": texts,
            "filled": [name for name in drafting.DRAFTED if name in fields],
            "kept": kept,
            "saved": payload.save,
            "family_summary": {
                "en": current.family_summary_en,
                "es": current.family_summary_es,
                "share": current.share_summary,
            },
            "note": note_out(note_view(request, child_id, note_id)),
        }

    return run_once(request, "notes.draft", 200, DraftOut, write)
