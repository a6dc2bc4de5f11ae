"""What a member's messaging pages read (scopes; the rules are in ``rules.py``).

``Message.objects.visible_to(membership)`` (and ``Handoff``/``CheckIn``'s) is every
record the member may read across the clinic; ``.for_child(child)`` narrows it to one
child. Entry points check the rule first (``child_for``/``permits_api``).
"""

import uuid

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import CareTeamMember, Child

from .models import (
    CheckIn,
    CheckInSchedule,
    Handoff,
    Message,
    MessageAttachment,
    MessageQuerySet,
    MessageReceipt,
    TimelineQuerySet,
)


def messages_of(membership: Membership, child: Child) -> MessageQuerySet:
    """Messages about a child whose conversation the member takes part in."""
    return Message.objects.visible_to(membership).for_child(child)


def attachments_of(membership: Membership, child: Child) -> QuerySet[MessageAttachment]:
    return MessageAttachment.objects.filter(organization_id=membership.organization_id, child=child)


def receipts_of(membership: Membership, child: Child) -> QuerySet[MessageReceipt]:
    """Who saw which message (shown to the team only)."""
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


def handoffs_of(membership: Membership, child: Child) -> TimelineQuerySet:
    """SBAR hand-offs about a child: the team's only (none for anyone else)."""
    handoffs: TimelineQuerySet = Handoff.objects.visible_to(membership)
    return handoffs.for_child(child).select_related("author__user", "recipient__user")


def checkins_of(membership: Membership, child: Child) -> TimelineQuerySet:
    """The family's check-in answers: the team's only (none for anyone else)."""
    checkins: TimelineQuerySet = CheckIn.objects.visible_to(membership)
    return checkins.for_child(child).select_related("guardian__user")


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
    seats = CareTeamMember.objects.filter(
        organization_id=membership.organization_id, child=child
    ).exclude(therapist=membership)
    return Membership.objects.filter(
        organization_id=membership.organization_id,
        is_active=True,
        pk__in=seats.values("therapist_id"),
    ).select_related("user")
