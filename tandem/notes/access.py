"""Which notes, goal data, addenda and send-backs a member sees (scopes only).

Who may do what with them is in ``rules.py``; the org-wide scopes are
``SessionNote.objects.visible_to(membership)`` and ``GoalData.objects.visible_to``,
narrowed by ``.for_child(child)``.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from tandem.access import child_for, member, not_found
from tandem.access.views import check
from tandem.accounts.models import Membership, Role
from tandem.appointments.access import get_appointment
from tandem.appointments.models import Appointment
from tandem.children.models import Child
from tandem.consent.models import Scope, consent_covers
from tandem.plans.access import goals_of
from tandem.plans.models import Goal, GoalStatus, PlanStatus

from .models import Addendum, CosignReturn, GoalData, NoteStatus, SessionNote


def notes_of(membership: Membership, child: Child) -> QuerySet[SessionNote]:
    """Notes of a child the member may already see; guardians see signed notes only;
    collaborators, signed notes while a consent shares session notes with them."""
    return SessionNote.objects.visible_to(membership).for_child(child)


def goal_data_of(membership: Membership, child: Child) -> QuerySet[GoalData]:
    """Goal data of a child the member may see, from notes they may see (collaborators:
    signed data while a consent shares the progress summary, which is drawn from it)."""
    return GoalData.objects.visible_to(membership).for_child(child)


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


def get_note(membership: Membership, child: Child, note_id: uuid.UUID | str) -> SessionNote:
    """A note the member may read of a child they see (``access.child_for``), else 404."""
    try:
        note = (
            notes_of(membership, child)
            .select_related("author__user", "signed_by__user", "cosigned_by__user")
            .get(pk=note_id)
        )
    except (SessionNote.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc
    note.child = child  # keeps the member's relation to the child, computed with it
    return note


def note_for(
    request: HttpRequest,
    child_id: uuid.UUID | str,
    note_id: uuid.UUID | str,
    action: str = "notes.view",
) -> SessionNote:
    """The note a page or an API operation acts on: readable by the member (404), then
    ``action`` theirs on it (404 on a read, 403 on a write)."""
    note = get_note(member(request), child_for(request, child_id, "notes.view"), note_id)
    if action != "notes.view":
        check(request, action, obj=note)
    return note


def cosign_queue(membership: Membership) -> QuerySet[SessionNote]:
    """Notes of the member's supervisees waiting for their co-signature.

    Only of children the member sees (on whose care team they are): the queue links to
    the note, and a note of a child they may not open would be a dead end.
    """
    return SessionNote.objects.visible_to(membership).filter(
        status=NoteStatus.AWAITING_COSIGN, author__supervisor=membership
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


def appointment_to_document(
    membership: Membership, child: Child, appointment_id: str | None
) -> Appointment | None:
    """The child's appointment a new note documents (``?appointment=``), or None.

    One the member cannot see is not found (404), like any record out of their reach.
    """
    if not appointment_id:
        return None
    return get_appointment(membership, child, appointment_id)
