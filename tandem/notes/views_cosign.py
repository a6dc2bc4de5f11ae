"""Co-signature of assistants' notes: the supervisor's queue, sending a note back, the answer.

The assistant's signature seals the note; a supervisor who wants changes sends it back
with a comment (a ``CosignReturn``), the assistant adds an addendum and signs it off,
and the note returns to the queue. The note itself never changes.
"""

import datetime
import statistics
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest
from tandem.access.views import check, permits
from tandem.accounts.models import Membership
from tandem.audit.actions import log_access
from tandem.core.access import Conflict
from tandem.core.idempotency import idempotent

from . import cosigning
from .access import cosign_queue, get_note, note_for, open_returns_in
from .forms import SendBackForm
from .models import CosignReturn, SessionNote
from .reading import read_note
from .views import _render_detail

QUEUE_LIMIT = 200
BULK_LIMIT = 50  # notes co-signed in one go (each is its own transaction)


@require_GET
@permits("notes.cosign_queue")
def queue(request: MemberRequest) -> HttpResponse:
    """The notes of the member's assistants waiting for their co-signature, oldest first."""
    membership = request.membership
    notes = list(
        cosign_queue(membership)
        .select_related("child", "author__user")
        .order_by("signed_at", "id")[:QUEUE_LIMIT]
    )
    returns: dict[uuid.UUID, CosignReturn] = {
        r.note_id: r for r in open_returns_in(membership).filter(note__in=[n.id for n in notes])
    }
    now = timezone.now()
    waiting: list[dict[str, Any]] = []
    sent_back: list[dict[str, Any]] = []
    for note in notes:
        row: dict[str, Any] = {
            "note": note,
            "since": note.signed_at,
            "waited": _waited(note.signed_at, now),
        }
        if note.id in returns:
            row["return"] = returns[note.id]
            sent_back.append(row)
        else:
            waiting.append(row)
    log_access(request, list({n.child_id: n.child for n in notes}.values()))
    days = sorted(row["waited"] for row in waiting)
    context = {
        "waiting": waiting,
        "sent_back": sent_back,
        "send_back_form": SendBackForm(),
        "longest_wait": days[-1] if days else None,
        "median_wait": statistics.median_low(days) if days else None,
        "bulk_limit": BULK_LIMIT,
    }
    return render(request, "notes/cosign_queue.html", context)


def _picked(values: list[str]) -> dict[uuid.UUID, int]:
    """The ticked notes as {id: version the supervisor saw}; malformed values are dropped."""
    picked: dict[uuid.UUID, int] = {}
    for value in values:
        note_id, _sep, version = value.partition(":")
        try:
            picked[uuid.UUID(note_id)] = int(version)
        except ValueError:
            continue
    return picked


@require_POST
@permits("notes.cosign_queue")
@idempotent("notes.cosign_bulk")
def cosign_bulk(request: MemberRequest) -> HttpResponse:
    """Co-sign the ticked notes of the queue at once: each only if it is still the version
    the supervisor saw, still matches its seal and was not sent back (those are read one by
    one); the others are named, with why, and left waiting."""
    membership = request.membership
    picked = _picked(request.POST.getlist("note"))
    if not picked:
        messages.error(request, _("Tick the notes you reviewed, then co-sign them."))
        return redirect("notes:cosign_queue")
    if len(picked) > BULK_LIMIT:
        messages.error(request, _("Co-sign at most %(n)s notes at once.") % {"n": BULK_LIMIT})
        return redirect("notes:cosign_queue")
    notes = list(
        cosign_queue(membership)
        .filter(pk__in=list(picked))
        .select_related("child", "author")
        .order_by("signed_at", "id")
    )
    returned = set(
        open_returns_in(membership)
        .filter(note__in=[n.id for n in notes])
        .values_list("note_id", flat=True)
    )
    log_access(request, list({n.child_id: n.child for n in notes}.values()))
    done, left = 0, []
    for note in notes:
        label = f"{note.child.display_name} ({note.date.isoformat()})"
        if note.id in returned:
            left.append(_("%(note)s: sent back, open it to read the correction") % {"note": label})
            continue
        try:
            check(request, "notes.cosign", obj=note)
            cosigning.cosign_note(note, membership, expected_version=picked[note.id])
        except Conflict:
            left.append(_("%(note)s: it changed since you opened the queue") % {"note": label})
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(getattr(exc, "messages", [])) or _("you may not co-sign it")
            left.append(f"{label}: {reason}")
        else:
            done += 1
    missing = len(picked) - len(notes)
    if done:
        messages.success(
            request,
            ngettext("You co-signed %(n)s note.", "You co-signed %(n)s notes.", done) % {"n": done},
        )
    if missing:
        left.append(
            ngettext(
                "%(n)s note is no longer waiting for you.",
                "%(n)s notes are no longer waiting for you.",
                missing,
            )
            % {"n": missing}
        )
    if left:
        messages.warning(request, _("Not co-signed: %(why)s.") % {"why": "; ".join(left)})
    return redirect("notes:cosign_queue")


def _waited(since: datetime.datetime | None, now: datetime.datetime) -> int:
    """Whole days a note has waited (0 on the day it was signed)."""
    return 0 if since is None else max((now - since).days, 0)


@require_POST
@permits("notes.touch")
def send_back(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """The supervisor sends an assistant's note back with a comment instead of co-signing."""
    membership = request.membership
    note = note_for(request, child_id, note_id, "notes.touch")
    log_access(request, [note.child])
    form = SendBackForm(request.POST)
    form.is_valid()
    try:
        cosigning.ensure_awaiting_cosign(note)
        check(request, "notes.send_back", obj=note)
        cosigning.return_note(
            note,
            membership,
            form.data.get("comment", ""),
            expected_version=form.cleaned_data.get("version"),
        )
    except Conflict as exc:
        return _again(request, membership, note, str(exc), status=409)
    except ValidationError as exc:
        return _again(request, membership, note, " ".join(exc.messages), status=200)
    messages.success(
        request,
        _("You sent the note back to %(name)s with your comment.")
        % {"name": note.author.display_name},
    )
    if request.POST.get("from") == "queue":
        return redirect("notes:cosign_queue")
    return redirect(note.get_absolute_url())


@require_POST
@permits("notes.touch")
def resubmit(request: MemberRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> HttpResponse:
    """The assistant signs off their correction; the note goes back to the supervisor."""
    membership = request.membership
    note = note_for(request, child_id, note_id, "notes.touch")
    log_access(request, [note.child])
    try:
        cosigning.ensure_awaiting_cosign(note)
        check(request, "notes.resubmit", obj=note)
        cosigning.resubmit_note(note, membership)
    except Conflict as exc:
        return _again(request, membership, note, str(exc), status=409)
    except ValidationError as exc:
        return _again(request, membership, note, " ".join(exc.messages), status=200)
    messages.success(
        request,
        _("You signed off your correction. The note waits again for %(name)s's co-signature.")
        % {"name": membership.supervisor.display_name if membership.supervisor else ""},
    )
    return redirect(note.get_absolute_url())


def _again(
    request: MemberRequest, membership: Membership, note: SessionNote, problem: str, *, status: int
) -> HttpResponse:
    """The note's page again, saying why the action was refused."""
    fresh = get_note(membership, note.child, note.id)
    return _render_detail(request, read_note(membership, fresh), problem=problem, status=status)
