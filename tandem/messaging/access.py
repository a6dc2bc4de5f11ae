"""Who may read and write a child's conversation, hand-offs and check-ins.

- the conversation: the child's guardians and everyone who may see the child on the
  staff side (care team, clinic admins) read and write it; collaborators never;
- SBAR hand-offs and the family's check-in answers: staff who may see the child only
  (guardians get 404: for them these records are not there);
- the check-in schedule: set by those who may edit the child (admins, lead/treating);
- answering a check-in: the child's guardians.
"""

import uuid

from django.db.models import QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import care_team_visible_to, get_child
from tandem.children.models import Child
from tandem.core.access import not_found

from .models import CheckIn, CheckInSchedule, Handoff, Message, MessageAttachment, MessageReceipt

CONVERSATION_ROLES = (Role.ADMIN, Role.THERAPIST, Role.GUARDIAN)


def get_thread_child(membership: Membership, child_id: uuid.UUID | str) -> Child:
    """The child whose conversation the member may take part in, or 404."""
    if membership.role not in CONVERSATION_ROLES:
        raise not_found()
    return get_child(membership, child_id)


def get_staff_child(membership: Membership, child_id: uuid.UUID | str) -> Child:
    """The child, for staff-only records (hand-offs, check-in answers); 404 for others."""
    if not membership.is_staff_member:
        raise not_found()
    return get_child(membership, child_id)


def messages_of(membership: Membership, child: Child) -> QuerySet[Message]:
    """Messages about a child the member may already see."""
    return Message.objects.filter(organization_id=membership.organization_id, child=child)


def attachments_of(membership: Membership, child: Child) -> QuerySet[MessageAttachment]:
    return MessageAttachment.objects.filter(organization_id=membership.organization_id, child=child)


def receipts_of(membership: Membership, child: Child) -> QuerySet[MessageReceipt]:
    """Who saw which message (shown to staff only)."""
    return MessageReceipt.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("reader__user")


def get_attachment(
    membership: Membership, child: Child, attachment_id: uuid.UUID | str
) -> MessageAttachment:
    try:
        return attachments_of(membership, child).get(pk=attachment_id)
    except (MessageAttachment.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def handoffs_of(membership: Membership, child: Child) -> QuerySet[Handoff]:
    """SBAR hand-offs about a child: staff only."""
    if not membership.is_staff_member:
        return Handoff.objects.none()
    return Handoff.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("author__user", "recipient__user")


def checkins_of(membership: Membership, child: Child) -> QuerySet[CheckIn]:
    """The family's check-in answers: staff only."""
    if not membership.is_staff_member:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("guardian__user")


def latest_own_checkin(membership: Membership, child: Child) -> CheckIn | None:
    """The member's own latest check-in answers about the child (to thank them fittingly)."""
    return (
        CheckIn.objects.filter(
            organization_id=membership.organization_id, child=child, guardian=membership
        )
        .order_by("-created_at")
        .first()
    )


def schedule_of(membership: Membership, child: Child) -> CheckInSchedule | None:
    """The child's check-in schedule, if one was ever set."""
    return CheckInSchedule.objects.filter(
        organization_id=membership.organization_id, child=child
    ).first()


def handoff_recipients(membership: Membership, child: Child) -> QuerySet[Membership]:
    """Colleagues a hand-off about this child may go to: the care team, minus oneself."""
    seats = care_team_visible_to(membership, child).exclude(therapist=membership)
    return Membership.objects.filter(
        organization_id=membership.organization_id,
        is_active=True,
        pk__in=seats.values("therapist_id"),
    ).select_related("user")
