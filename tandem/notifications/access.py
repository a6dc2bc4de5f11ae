"""Which notifications and preferences a member's pages read: only their own (scopes;
the rules are in ``rules.py``).

A notification about a child the member may no longer see (a therapist taken off
the team, a guardian unlinked) is hidden with the child.
"""

import uuid

from tandem.access import not_found
from tandem.accounts.models import Membership

from .models import Notification, NotificationQuerySet, Preference


def notifications_of(membership: Membership) -> NotificationQuerySet:
    """The member's own notifications, about children they may still see."""
    return Notification.objects.visible_to(membership)


def unread_count(membership: Membership) -> int:
    """How many of the member's notifications are unread (one query, for the badge)."""
    return notifications_of(membership).filter(read_at__isnull=True).count()


def get_notification(membership: Membership, notification_id: uuid.UUID | str) -> Notification:
    """One of the member's own notifications, or 404."""
    try:
        return notifications_of(membership).get(pk=uuid.UUID(str(notification_id)))
    except (Notification.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def preference_of(membership: Membership) -> Preference:
    """The member's preferences, or the defaults (unsaved) when they never chose."""
    try:
        return Preference.objects.get(organization_id=membership.organization_id, member=membership)
    except Preference.DoesNotExist:
        return Preference(organization_id=membership.organization_id, member=membership)


def preferences_of(members: list[Membership]) -> dict[uuid.UUID, Preference]:
    """Preferences of several members in one query; defaults for those who never chose."""
    chosen = Preference.objects.filter(
        organization_id__in={m.organization_id for m in members}, member__in=[m.pk for m in members]
    )
    found = {p.member_id: p for p in chosen}
    return {
        m.pk: found.get(m.pk) or Preference(organization_id=m.organization_id, member=m)
        for m in members
    }
