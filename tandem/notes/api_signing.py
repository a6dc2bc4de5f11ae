"""Session notes over the API once the draft is done: signing, the co-signature (the
supervisor's queue, co-signing, sending back, the assistant's resubmission) and addenda.

Paths are relative to /api/v1/; the notes and their drafts are in ``api.py``, whose
checks and note schema these operations share. A write on a note answers its state (409)
before who may make it (403), as the pages do. The operations keep the operation ids they
had in ``api.py`` (the API's contract did not change when its code moved).
"""

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from tandem.access import member, require
from tandem.access.api import path_param, permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, InputSchema, PersonOut, person
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core.access import Conflict

from . import actions, copyforward, cosigning
from .access import cosign_queue, get_note, note_for, open_returns_in
from .api import (
    WRITE,
    WRITE_ERRORS,
    AddendumOut,
    NoteOut,
    NoteSummaryOut,
    draft_for,
    note_out,
    note_view,
    person_or_none,
    summary_out,
)
from .models import CosignReturn, SessionNote

QUEUE_LIMIT = 200

router = Router(tags=["notes"])


# --- Input and output ----------------------------------------------------------


class SignIn(InputSchema):
    version: int = Field(description="The version being signed (409 if it changed)")
    copied_text_reviewed: bool = Field(
        False,
        description="“I have read the copied text”: needed while text copied forward from "
        "the last signed note is unchanged (422 without it)",
    )


class CosignIn(InputSchema):
    version: int = Field(description="The version being co-signed (409 if it changed)")


class AddendumIn(InputSchema):
    text: str = Field(min_length=1, max_length=actions.MAX_ADDENDUM)


class SendBackIn(InputSchema):
    version: int | None = Field(None, description="The version read (409 if it changed)")
    comment: str = Field(min_length=1, max_length=cosigning.MAX_RETURN_COMMENT)


class CosignReturnOut(Schema):
    id: uuid.UUID
    note_id: uuid.UUID
    returned_by: PersonOut
    comment: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: PersonOut | None


class CosignQueueItemOut(Schema):
    note: NoteSummaryOut
    signed_at: dt.datetime | None
    waited_days: int = Field(description="Whole days since the assistant signed")
    sent_back: CosignReturnOut | None = Field(
        description="The send-back the assistant has not answered yet, if any"
    )


def return_out(sent_back: CosignReturn) -> dict[str, Any]:
    return {
        "id": sent_back.id,
        "note_id": sent_back.note_id,
        "returned_by": person(sent_back.returned_by),
        "comment": sent_back.comment,
        "created_at": sent_back.created_at,
        "resolved_at": sent_back.resolved_at,
        "resolved_by": person_or_none(sent_back.resolved_by),
    }


# --- Checks run before the input is read (404 outsiders, 403 read-only, then 422) --


def _path_note(request: HttpRequest, membership: Membership, child: Child) -> SessionNote:
    """The note of the path, for a rule that looks at it (its author, their supervisor)."""
    return get_note(membership, child, path_param(request, "note_id"))


# Co-signing, sending back, answering: those who may act on the note hear its state (409).
ON_NOTE = signed_in(permits_api("notes.touch", load=_path_note))
ADDENDUM = signed_in(permits_api("notes.addendum", load=_path_note))


def _awaiting_for(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, action: str
) -> SessionNote:
    """A note waiting for its co-signature (else 409), and the action the member's (else 403)."""
    note = note_for(request, child_id, note_id)
    cosigning.ensure_awaiting_cosign(note)
    require(member(request), action, obj=note)
    return note


# --- Signing and addenda ---------------------------------------------------------


@router.post(
    "/children/{child_id}/notes/{note_id}/sign",
    response={200: NoteOut, **WRITE_ERRORS},
    auth=WRITE,
    operation_id="tandem_notes_api_sign_note",
)
def sign_note(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: SignIn
) -> Any:
    """The author signs the draft: its content hash is stored and it is locked.

    As in the editor, a draft whose copied-forward text is unchanged signs only with
    ``copied_text_reviewed``. An assistant's note then waits for their supervising
    therapist's co-signature.
    """
    membership = member(request)
    note = draft_for(request, child_id, note_id, "notes.sign")
    if note.version != payload.version:  # a stale version first, as the editor answers
        raise Conflict(note.version)
    copyforward.check_read(membership, note, payload.copied_text_reviewed)
    actions.sign_note(note, membership, expected_version=payload.version)
    return note_out(note_view(request, child_id, note_id))


@router.post(
    "/children/{child_id}/notes/{note_id}/cosign",
    response={200: NoteOut, **WRITE_ERRORS},
    auth=ON_NOTE,
    operation_id="tandem_notes_api_cosign_note",
)
def cosign_note(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: CosignIn
) -> Any:
    """The supervising therapist co-signs an assistant's signed note."""
    note = _awaiting_for(request, child_id, note_id, "notes.cosign")
    cosigning.cosign_note(note, member(request), expected_version=payload.version)
    return note_out(note_view(request, child_id, note_id))


@router.post(
    "/children/{child_id}/notes/{note_id}/addenda",
    response={201: AddendumOut, **ERRORS},
    auth=ADDENDUM,
    operation_id="tandem_notes_api_add_addendum",
)
def add_addendum(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: AddendumIn
) -> Status[Any]:
    """Add a correction or later information to a signed note (the note stays as signed)."""
    membership = member(request)
    note = note_for(request, child_id, note_id)
    addendum = actions.add_addendum(note, membership, payload.text)
    return Status(
        201,
        {
            "id": addendum.id,
            "author": person(membership),
            "created_at": addendum.created_at,
            "text": addendum.text,
        },
    )


# --- Co-signature queue and send-backs -------------------------------------------


@router.get(
    "/notes/cosign-queue",
    response={200: list[CosignQueueItemOut], **ERRORS},
    auth=signed_in(permits_api("notes.cosign_queue")),
    operation_id="tandem_notes_api_cosign_queue_list",
)
def cosign_queue_list(request: HttpRequest) -> Any:
    """The notes of the member's assistants waiting for their co-signature, oldest first."""
    membership = member(request)
    notes = list(
        cosign_queue(membership)
        .select_related("child", "author__user")
        .order_by("signed_at", "id")[:QUEUE_LIMIT]
    )
    returns = {
        r.note_id: r
        for r in open_returns_in(membership)
        .filter(note__in=[n.id for n in notes])
        .select_related("returned_by__user")
    }
    log_access(request, list({n.child_id: n.child for n in notes}.values()))
    now = timezone.now()
    return [
        {
            "note": summary_out(note),
            "signed_at": note.signed_at,
            "waited_days": 0 if note.signed_at is None else max((now - note.signed_at).days, 0),
            "sent_back": return_out(returns[note.id]) if note.id in returns else None,
        }
        for note in notes
    ]


@router.post(
    "/children/{child_id}/notes/{note_id}/send-back",
    response={201: CosignReturnOut, **WRITE_ERRORS},
    auth=ON_NOTE,
    operation_id="tandem_notes_api_send_back_note",
)
def send_back_note(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: SendBackIn
) -> Status[Any]:
    """The supervisor sends an assistant's note back with a comment instead of co-signing.

    The signed note never changes; the assistant answers with an addendum and ``resubmit``.
    """
    note = _awaiting_for(request, child_id, note_id, "notes.send_back")
    sent_back = cosigning.return_note(
        note, member(request), payload.comment, expected_version=payload.version
    )
    return Status(201, return_out(sent_back))


@router.post(
    "/children/{child_id}/notes/{note_id}/resubmit",
    response={200: CosignReturnOut, **WRITE_ERRORS},
    auth=ON_NOTE,
    operation_id="tandem_notes_api_resubmit_note",
)
def resubmit_note(request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> Any:
    """The assistant signs off their correction (an addendum); the note waits again."""
    note = _awaiting_for(request, child_id, note_id, "notes.resubmit")
    return return_out(cosigning.resubmit_note(note, member(request)))
