"""One signed note and its addenda as a PDF, printed by the task worker (tandem.exports).

Read as the note's page reads it: ``notes.view`` through the notes app's readers
(``access.get_note``: families, signed notes of their children; the team, every note), in
the register the page uses (families: the plain words of the family's page; staff: the
clinical note). A draft has no PDF (404): it is not a document yet. A note signed by an
assistant and waiting for its co-signature prints as such, for the staff who read it.
"""

import uuid
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.children.models import Child
from tandem.exports.registry import register

from .access import get_note
from .models import SessionNote
from .reading import read_note

KIND = "notes.note"
ACTION = "notes.view"


def signed_note(membership: Membership, child: Child, note_id: uuid.UUID | str) -> SessionNote:
    """A signed note of the child the member reads, or 404 (a draft too)."""
    note = get_note(membership, child, note_id)
    if not note.is_locked:
        raise not_found()
    return note


def render_pdf_html(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    """The worker's renderer: the PDF's HTML and its file name. The note is read again as
    the member reads it now (a guardian who no longer may: 404, nothing printed)."""
    membership = request.membership
    note = signed_note(membership, child, params["note"])
    context = {
        "child": child,
        "note": note,
        "view": read_note(membership, note),
        "family": membership.is_guardian,
    }
    html = render_to_string("notes/note_pdf.html", context, request=request)
    name = slugify(f"session-note-{child.display_name}-{note.date.isoformat()}")
    return html, f"{name}.pdf"


register(KIND, action=ACTION, render=render_pdf_html)
