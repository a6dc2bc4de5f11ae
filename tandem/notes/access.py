"""Who may see and write session notes.

- reading: staff who may see the child see every note; guardians see signed notes;
- writing a new note: admins and lead/treating therapists (assistants included) on the team;
- editing a draft: its author only; signed notes are never edited (addenda instead);
- co-signing an assistant's note: the assistant's supervising therapist;
- addenda: the author, the co-signer, or any editor of the child.
"""

import uuid

from django.db.models import QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import get_child
from tandem.children.models import Child
from tandem.core.access import not_found

from .models import Addendum, GoalData, NoteStatus, SessionNote


def notes_of(membership: Membership, child: Child) -> QuerySet[SessionNote]:
    """Notes of a child the member may already see; guardians see signed notes only."""
    notes = SessionNote.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.GUARDIAN:
        return notes.filter(status=NoteStatus.SIGNED)
    if membership.role not in (Role.ADMIN, Role.THERAPIST):
        return notes.none()
    return notes


def goal_data_of(membership: Membership, child: Child) -> QuerySet[GoalData]:
    """Goal data of a child the member may see, from notes they may see."""
    data = GoalData.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.GUARDIAN:
        return data.filter(note__status=NoteStatus.SIGNED)
    if membership.role not in (Role.ADMIN, Role.THERAPIST):
        return data.none()
    return data


def addenda_of(membership: Membership, child: Child) -> QuerySet[Addendum]:
    return Addendum.objects.filter(organization_id=membership.organization_id, child=child)


def get_note(
    membership: Membership, child_id: uuid.UUID | str, note_id: uuid.UUID | str
) -> SessionNote:
    """Return a note of a visible child, or 404."""
    child = get_child(membership, child_id)
    try:
        note = notes_of(membership, child).select_related("author__user").get(pk=note_id)
    except (SessionNote.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    note.child = child
    return note


def cosign_queue(membership: Membership) -> QuerySet[SessionNote]:
    """Notes of the member's supervisees waiting for their co-signature."""
    return SessionNote.objects.filter(
        organization_id=membership.organization_id,
        status=NoteStatus.AWAITING_COSIGN,
        author__supervisor=membership,
    )
