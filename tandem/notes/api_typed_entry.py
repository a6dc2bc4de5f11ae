"""Trials typed instead of tapped over the API ("8/10 V", ``typed_entry.py``): they are
added to what a goal of the author's draft already holds, as the editor's "Type trials"
does, once per ``Idempotency-Key`` (a retry after a lost connection adds nothing twice).
Paths are relative to /api/v1/.
"""

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router

from tandem.access import member
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import InputSchema
from tandem.core import idempotency

from . import actions, typed_entry
from .access import note_goal_data
from .api import WRITE, WRITE_ERRORS, NoteOut, draft_for, note_out, note_view
from .api_datatypes import PromptValue
from .forms import GoalDataForm

router = Router(tags=["notes"])


class TypedEntryIn(InputSchema):
    text: str = Field(
        min_length=1,
        max_length=cast(forms.CharField, GoalDataForm.base_fields["typed"]).max_length,
        description="Correct/trials and a prompt level, one entry or several separated by "
        "commas, semicolons or new lines: 8/10 V, 6/8 I; 2/2 PP",
    )
    prompt: PromptValue = Field(
        "independent", description="The prompt level of an entry that names none"
    )
    version: int | None = Field(
        None,
        description="The note version the entry is based on (409 if stale); left out, the "
        "trials are added to the note as it is now, and an Idempotency-Key is needed (422 "
        "without either)",
    )


@router.post(
    "/children/{child_id}/notes/{note_id}/goal-data/{goal_id}/typed",
    response={200: NoteOut, **WRITE_ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=WRITE,
    operation_id="tandem_notes_api_type_trials",
)
@transaction.atomic
def type_trials(
    request: HttpRequest,
    child_id: uuid.UUID,
    note_id: uuid.UUID,
    goal_id: uuid.UUID,
    payload: TypedEntryIn,
) -> HttpResponse:
    """Add typed trials ("8/10 V") to a goal of the author's draft (a trials goal)."""
    membership = member(request)
    note = draft_for(request, child_id, note_id, "notes.edit_draft")

    def write() -> dict[str, Any]:
        try:
            added = typed_entry.trials_from(payload.text, payload.prompt)
        except typed_entry.TypedEntryError as exc:
            raise ValidationError({"text": [str(exc)]}) from exc
        if not added:
            raise ValidationError(
                {
                    "text": [
                        _(
                            "“%(text)s” cannot be read: write correct/trials and a prompt "
                            "level, like 8/10 V."
                        )
                        % {"text": payload.text}
                    ]
                }
            )
        if payload.version is None and not idempotency.key_of(request, api=True):
            # Trials are added, not set: a plain retry after a lost answer would add them again.
            raise ValidationError(
                {
                    "version": [
                        _(
                            "Send the note's version or an Idempotency-Key header, so that a "
                            "request sent again adds nothing twice."
                        )
                    ]
                }
            )
        # Read what the goal holds under the note's lock: a tap saved meanwhile is kept.
        current = actions.locked_note(note)
        entry = note_goal_data(membership, current).filter(goal_id=goal_id).first()
        trials = [*(entry.trials or [] if entry else []), *added]
        version = current.version if payload.version is None else payload.version
        actions.update_note(
            current, membership, expected_version=version, goal_data={goal_id: {"trials": trials}}
        )
        return note_out(note_view(request, child_id, note_id))

    return run_once(request, "notes.typed_entry", 200, NoteOut, write)
