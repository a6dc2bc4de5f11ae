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
from tandem.children.access import children_visible_to, get_child
from tandem.children.models import Child
from tandem.consent.models import Scope, consent_covers
from tandem.core.access import not_found, read_only
from tandem.plans.access import goals_of
from tandem.plans.models import Goal, GoalStatus, PlanStatus

from .models import Addendum, CosignReturn, GoalData, NoteStatus, SessionNote


def notes_of(membership: Membership, child: Child) -> QuerySet[SessionNote]:
    """Notes of a child the member may already see; guardians see signed notes only;
    collaborators, signed notes while a consent shares session notes with them."""
    notes = SessionNote.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.GUARDIAN:
        return notes.filter(status=NoteStatus.SIGNED)
    if membership.role == Role.COLLABORATOR:
        shared = consent_covers(membership, Scope.NOTES, child="child")
        return notes.filter(shared, status=NoteStatus.SIGNED)
    if membership.role not in (Role.ADMIN, Role.THERAPIST):
        return notes.none()
    return notes


def goal_data_of(membership: Membership, child: Child) -> QuerySet[GoalData]:
    """Goal data of a child the member may see, from notes they may see (collaborators:
    signed data while a consent shares the progress summary, which is drawn from it)."""
    data = GoalData.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.GUARDIAN:
        return data.filter(note__status=NoteStatus.SIGNED)
    if membership.role == Role.COLLABORATOR:
        shared = consent_covers(membership, Scope.SUMMARY, child="child")
        return data.filter(
            shared,
            note__organization_id=membership.organization_id,
            note__status=NoteStatus.SIGNED,
        )
    if membership.role not in (Role.ADMIN, Role.THERAPIST):
        return data.none()
    return data


def addenda_of(membership: Membership, child: Child) -> QuerySet[Addendum]:
    addenda = Addendum.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.COLLABORATOR:
        return addenda.filter(consent_covers(membership, Scope.NOTES, child="child"))
    return addenda


def note_goal_data(membership: Membership, note: SessionNote) -> QuerySet[GoalData]:
    """The goal data of a note the member may already see, with each goal, in plan order."""
    org = membership.organization_id
    return (
        GoalData.objects.filter(organization_id=org, child_id=note.child_id, note=note)
        .filter(goal__organization_id=org)
        .select_related("goal")
        .order_by("goal__discipline", "goal__position", "goal__created_at")
    )


def goals_on_note(membership: Membership, note: SessionNote) -> QuerySet[Goal]:
    """The goals a note records data for."""
    org = membership.organization_id
    return goals_of(membership, note.child).filter(data__note=note, data__organization_id=org)


def active_goals_of(membership: Membership, child: Child) -> QuerySet[Goal]:
    """The goals a session works on: active goals of the child's active plans."""
    return (
        goals_of(membership, child)
        .filter(
            status=GoalStatus.ACTIVE,
            plan__organization_id=membership.organization_id,
            plan__status=PlanStatus.ACTIVE,
        )
        .order_by("discipline", "position", "created_at")
    )


def get_note(
    membership: Membership,
    child_id: uuid.UUID | str,
    note_id: uuid.UUID | str,
    *,
    for_edit: bool = False,
) -> SessionNote:
    """Return a note of a visible child (404), of a child the member may edit (403) if asked."""
    child = get_child(membership, child_id)
    try:
        note = (
            notes_of(membership, child)
            .select_related("author__user", "signed_by__user", "cosigned_by__user")
            .get(pk=note_id)
        )
    except (SessionNote.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    note.child = child  # keeps the annotated can_edit
    if for_edit and not child.can_edit:
        raise read_only()
    return note


def can_edit_note(membership: Membership, note: SessionNote) -> bool:
    """Only the author edits a draft, and only while they may still edit the child."""
    return (
        not note.is_locked
        and note.author_id == membership.id
        and bool(getattr(note.child, "can_edit", False))
    )


def is_cosigner(membership: Membership, note: SessionNote) -> bool:
    """The supervising therapist of the note's author (assistants' notes)."""
    return (
        membership.role == Role.THERAPIST
        and note.author.supervisor_id is not None
        and note.author.supervisor_id == membership.id
    )


def can_cosign(membership: Membership, note: SessionNote) -> bool:
    return note.status == NoteStatus.AWAITING_COSIGN and is_cosigner(membership, note)


def may_touch_note(membership: Membership, note: SessionNote) -> bool:
    """Whether any write on this note could be the member's (else a write is 403)."""
    return (
        bool(getattr(note.child, "can_edit", False))
        or note.author_id == membership.id
        or is_cosigner(membership, note)
    )


def can_add_addendum(membership: Membership, note: SessionNote) -> bool:
    """Addenda go on signed notes, by the author, the co-signer or an editor of the child."""
    return note.is_locked and membership.is_staff_member and may_touch_note(membership, note)


def cosign_queue(membership: Membership) -> QuerySet[SessionNote]:
    """Notes of the member's supervisees waiting for their co-signature.

    Only of children the member may open (on whose care team they are): the queue
    links to the note, and a note of a child they may not see would be a dead end.
    """
    return SessionNote.objects.filter(
        organization_id=membership.organization_id,
        status=NoteStatus.AWAITING_COSIGN,
        author__supervisor=membership,
        child__in=children_visible_to(membership).values("pk"),
    )


def returns_of(membership: Membership, note: SessionNote) -> QuerySet[CosignReturn]:
    """A note's send-backs, for the clinic's staff (families never see supervision)."""
    returns = CosignReturn.objects.filter(organization_id=membership.organization_id, note=note)
    return returns if membership.is_staff_member else returns.none()


def open_returns_in(membership: Membership) -> QuerySet[CosignReturn]:
    """Send-backs not answered yet, for the co-signature queue (staff only)."""
    returns = CosignReturn.objects.filter(
        organization_id=membership.organization_id, resolved_at__isnull=True
    )
    return returns if membership.is_staff_member else returns.none()


def can_send_back(membership: Membership, note: SessionNote) -> bool:
    return can_cosign(membership, note)


def can_resubmit(membership: Membership, note: SessionNote) -> bool:
    """The assistant who wrote a note sent back to them signs their correction off."""
    return note.status == NoteStatus.AWAITING_COSIGN and note.author_id == membership.id
