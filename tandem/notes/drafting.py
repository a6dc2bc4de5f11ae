"""The editor's "Draft the note": the narrative (``narrative.py``) put into the draft.

The button posts the whole editor form like an autosave (its version, its idempotency
key): what was typed is saved first, a stale version is refused (409) before anything
is drafted. Then the draft fills only the fields that are **empty** — Objective,
Assessment and the family summary in each language. A field the therapist has written
in is never overwritten: the editor shows the draft beside it (``?draft=<version>``) with a
"Use this draft" button, which posts ``draft=use:<field>`` and replaces that one field.
Objective and Assessment are written in the therapist's language (the language their
pages are in); the family summary in English and Spanish, so a family reads it in
theirs whatever the therapist speaks.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tandem.access import MemberRequest
from tandem.accounts.models import Membership
from tandem.core.access import Conflict
from tandem.plans.wording import LANGS, reader_language

from . import actions, narrative
from .access import note_goal_data
from .models import SessionNote
from .reading import NoteView

DRAFTED = ("objective", "assessment", *(f"family_summary_{lang}" for lang in LANGS))


def proposals(membership: Membership, note: SessionNote, entries: list | None = None) -> dict:
    """The drafted text of each field, from the note's data and its goals' history."""
    if entries is None:
        entries = list(note_goal_data(membership, note))
    history = narrative.history_for(membership, note, entries)
    drafted = narrative.draft(note, entries, history, reader_language())
    texts = {"objective": drafted.objective, "assessment": drafted.assessment}
    texts.update({f"family_summary_{lang}": text for lang, text in drafted.family.items()})
    return texts


def fields_to_change(note: SessionNote, texts: dict, action: str) -> dict:
    """The fields a drafting changes: ``fill`` the empty ones, ``use:<field>`` that one."""
    if action == "fill":
        fields = {
            name: text
            for name, text in texts.items()
            if text and not (getattr(note, name) or "").strip()
        }
        if any(name.startswith("family_summary_") for name in fields):
            fields["share_summary"] = True  # shared by default once there is a summary
        return fields
    kind, _sep, name = action.partition(":")
    if kind == "use" and name in DRAFTED and texts.get(name):
        return {name: texts[name]}
    return {}


def draft_into(
    request: MemberRequest, note: SessionNote, action: str, edit_url: str
) -> HttpResponse:
    """Put the draft into the (just saved) note, then show the editor with it."""
    membership = request.membership
    fields = fields_to_change(note, proposals(membership, note), action)
    kept = [
        name
        for name in DRAFTED
        if action == "fill" and name not in fields and (getattr(note, name) or "").strip()
    ]
    try:
        note = actions.update_note(note, membership, expected_version=note.version, fields=fields)
    except Conflict:
        messages.error(
            request, _("The note changed while you were editing it. Check it, then try again.")
        )
    else:
        if kept:
            messages.success(
                request,
                _(
                    "The empty fields were drafted from the session's data. What you had "
                    "written is kept; the draft is shown beside it. Read it, edit it, then sign."
                ),
            )
        elif fields:
            messages.success(
                request,
                _("The note was drafted from the session's data. Read it, edit it, then sign."),
            )
        else:
            messages.info(request, _("Nothing to draft: there is no data to write from yet."))
    # The version makes each drafting's address new: a browser does not reload an address
    # it is already on that differs only by its #fragment.
    target = f"{edit_url}?draft={note.version}#soap"
    if getattr(request, "htmx", False):
        response = HttpResponse()
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def beside(request: MemberRequest, view: NoteView) -> dict[str, list[tuple[str, str, str]]]:
    """After "Draft the note": the draft of each written field whose text differs from it,
    as (field, label, text), for the SOAP part and the family part of the editor."""
    if request.method != "GET" or not request.GET.get("draft"):
        return {}
    note = view.note
    texts = proposals(request.membership, note, view.entries)
    shown: dict[str, list[tuple[str, str, str]]] = {"soap": [], "family": []}
    for name, text in texts.items():
        written = (getattr(note, name) or "").strip()
        if text and written and written != text.strip():
            label = str(getattr(SessionNote._meta.get_field(name), "verbose_name", name))
            shown["family" if name.startswith("family_") else "soap"].append((name, label, text))
    return shown
