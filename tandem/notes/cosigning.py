"""The co-signature: an assistant's signed note waits for their supervising therapist, who
co-signs it or sends it back with a comment; the assistant answers with an addendum.

Each runs in one transaction on the row-locked note (``actions.locked_note``). A note not
waiting for its co-signature is refused with ``NoteStateConflict`` (409), a stale version
with ``Conflict``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.core.access import Conflict
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind

from . import seal
from .actions import NoteStateConflict, entries_of, is_intact, locked_note, tell_supervisor
from .models import Addendum, CosignReturn, NoteStatus, SessionNote
from .signals import note_signed

MAX_RETURN_COMMENT = 2000


def ensure_awaiting_cosign(note: SessionNote) -> None:
    """Refuse co-signing, sending back or answering a note not waiting for it (409)."""
    if note.status != NoteStatus.AWAITING_COSIGN:
        raise NoteStateConflict(note.version, _("This note is not waiting for a co-signature."))


def open_return(note: SessionNote) -> CosignReturn | None:
    """The send-back the assistant has not answered yet, if any."""
    return CosignReturn.objects.filter(
        organization_id=note.organization_id, note=note, resolved_at__isnull=True
    ).first()


def _awaiting_cosign(note: SessionNote) -> SessionNote:
    current = locked_note(note)
    ensure_awaiting_cosign(current)
    return current


@transaction.atomic
def cosign_note(
    note: SessionNote,
    by: Membership,
    *,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> SessionNote:
    """The supervising therapist co-signs an assistant's signed note.

    A send-back still open is closed by the co-signature (the supervisor accepted the note).
    """
    current = _awaiting_cosign(note)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    if not is_intact(current, entries_of(current)):
        raise ValidationError(
            _("This note no longer matches what was signed; it cannot be co-signed.")
        )
    current.cosigned_at = at or timezone.now()
    current.cosigned_by = by
    current.status = NoteStatus.SIGNED
    current.version += 1
    current.cosign_hash = seal.cosign_hash(current)
    current.save(at=at)
    waiting = open_return(current)
    if waiting is not None:
        waiting.resolved_at = current.cosigned_at
        waiting.resolved_by = by
        waiting.save(at=at)
    note_signed.send(sender=SessionNote, note=current, at=at)
    return current


@transaction.atomic
def return_note(
    note: SessionNote, by: Membership, comment: str, *, expected_version: int | None = None
) -> CosignReturn:
    """The supervisor sends an assistant's note back with a comment instead of co-signing.

    The note stays sealed as the assistant signed it; the comment goes to the assistant,
    who answers with an addendum and signs it off (``resubmit_note``).
    """
    current = _awaiting_cosign(note)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    if open_return(current) is not None:
        raise NoteStateConflict(
            current.version, _("This note was already sent back; it waits for the answer.")
        )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what needs changing.")]})
    if len(comment) > MAX_RETURN_COMMENT:
        raise ValidationError(
            {"comment": [_("A comment has at most %(n)s characters.") % {"n": MAX_RETURN_COMMENT}]}
        )
    sent_back = CosignReturn.objects.create(
        organization_id=current.organization_id,
        child_id=current.child_id,
        note=current,
        returned_by=by,
        comment=comment,
    )
    notify(
        [current.author],
        Kind.NOTE_RETURNED,
        child=note.child,
        actor_name=by.display_name,
        detail=comment,
        url=current.get_absolute_url(),
    )
    return sent_back


@transaction.atomic
def resubmit_note(note: SessionNote, by: Membership) -> CosignReturn:
    """The assistant signs off their correction (an addendum) of a note sent back to them.

    The note goes back to the supervisor's co-signature queue.
    """
    current = _awaiting_cosign(note)
    waiting = open_return(current)
    if waiting is None:
        raise NoteStateConflict(current.version, _("This note was not sent back to you."))
    answered = Addendum.objects.filter(
        organization_id=current.organization_id,
        note=current,
        author=by,
        created_at__gte=waiting.created_at,
    ).exists()
    if not answered:
        raise ValidationError(
            _("Add an addendum with your correction first, then sign it off again.")
        )
    waiting.resolved_at = timezone.now()
    waiting.resolved_by = by
    waiting.save()
    tell_supervisor(current, by)
    return waiting
