"""Raising notifications, reading them, and saving what each person wants to receive.

Other apps call ``notify`` (or ``notify_new_report``) inside their own transaction;
emails are queued only once that transaction commits, and wait for the end of the
recipient's quiet hours.
"""

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.children.models import Child, GuardianLink

from .access import preference_of, preferences_of
from .models import EmailState, Kind, Notification, Preference
from .quiet import local_time, quiet_until

PREFERENCE_FIELDS = (
    "practice_reminders",
    "practice_days",
    "practice_time",
    "new_messages",
    "new_reports",
    "checkin_reminders",
    "by_email",
    "quiet_start",
    "quiet_end",
)


def email_due_at(
    preference: Preference, timezone_name: str, now: datetime.datetime
) -> datetime.datetime:
    """When an email raised now may go out: now, or the end of the quiet hours."""
    until = quiet_until(
        preference.quiet_start, preference.quiet_end, local_time(now, timezone_name)
    )
    return until or now


def notify(
    recipients: Iterable[Membership],
    kind: str,
    *,
    child: Child | None = None,
    actor_name: str = "",
    detail: str = "",
    url: str = "",
    coalesce: bool = False,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Tell these members about something, as each of them prefers.

    With ``coalesce``, a member who still has an unread notification of this kind about
    this child gets no second one (ten messages in a row are one notice).
    """
    now = now or timezone.now()
    members = list({m.pk: m for m in recipients if m.is_active}.values())
    if not members:
        return []
    organization = members[0].organization
    if coalesce:
        waiting = set(
            Notification.objects.filter(
                organization_id=organization.pk,
                recipient__in=[m.pk for m in members],
                kind=kind,
                child=child,
                read_at__isnull=True,
            ).values_list("recipient_id", flat=True)
        )
        members = [m for m in members if m.pk not in waiting]
    preferences = preferences_of(members)
    created = []
    for member in members:
        preference = preferences[member.pk]
        if member.organization_id != organization.pk or not preference.wants(kind):
            continue
        by_email = preference.by_email and bool(member.user.email) and member.user.is_active
        created.append(
            Notification(
                organization_id=organization.pk,
                recipient=member,
                child=child,
                kind=kind,
                actor_name=actor_name[:200],
                detail=detail[:200],
                url=url[:300],
                email_state=EmailState.PENDING if by_email else EmailState.NONE,
                email_due_at=email_due_at(preference, organization.timezone, now)
                if by_email
                else None,
                created_at=now,
                updated_at=now,
            )
        )
    Notification.objects.bulk_create(created)
    _inbox_changed(organization.pk, [n.recipient_id for n in created], now)
    due_now = [str(n.pk) for n in created if n.email_due_at is not None and n.email_due_at <= now]
    if due_now:
        transaction.on_commit(lambda: _enqueue_emails(due_now))
    return created


def _enqueue_emails(notification_ids: list[str]) -> None:
    from .tasks import send_notification_email

    for notification_id in notification_ids:
        send_notification_email.enqueue(notification_id)


def guardians_of(child: Child) -> list[Membership]:
    """The child's guardians who can be told things (active members)."""
    links = GuardianLink.objects.filter(
        organization_id=child.organization_id, child=child, guardian__is_active=True
    ).select_related("guardian__user", "guardian__organization")
    return [link.guardian for link in links]


def notify_new_report(
    child: Child, report_label: str, *, url: str = "", now: datetime.datetime | None = None
) -> list[Notification]:
    """Tell the child's guardians that a new report is ready (call it when one is shared)."""
    return notify(
        guardians_of(child),
        Kind.NEW_REPORT,
        child=child,
        detail=report_label,
        url=url or reverse("progress:index", args=[child.pk]),
        now=now,
    )


def mark_read(
    membership: Membership,
    notifications: Iterable[Notification],
    now: datetime.datetime | None = None,
) -> None:
    """Mark some of the member's own notifications read."""
    ids = [n.pk for n in notifications if n.recipient_id == membership.pk and n.read_at is None]
    if ids:
        now = now or timezone.now()
        Notification.objects.filter(
            organization_id=membership.organization_id, recipient=membership, pk__in=ids
        ).update(read_at=now)
        _inbox_changed(membership.organization_id, [membership.pk], now)


def mark_all_read(membership: Membership, now: datetime.datetime | None = None) -> int:
    """Mark every notification of the member read; return how many were unread."""
    now = now or timezone.now()
    count = Notification.objects.filter(
        organization_id=membership.organization_id, recipient=membership, read_at__isnull=True
    ).update(read_at=now)
    if count:
        _inbox_changed(membership.organization_id, [membership.pk], now)
    return count


def mark_read_about(
    child: Child,
    kinds: Iterable[str],
    *,
    recipients: Iterable[Membership] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Mark notifications of these kinds about a child read (the thing was seen or done)."""
    unread = Notification.objects.filter(
        organization_id=child.organization_id,
        child=child,
        kind__in=list(kinds),
        read_at__isnull=True,
    )
    if recipients is not None:
        unread = unread.filter(recipient__in=[m.pk for m in recipients])
    now = now or timezone.now()
    readers = list(unread.values_list("recipient_id", flat=True).distinct())
    if not readers:
        return 0
    count = unread.update(read_at=now)
    _inbox_changed(child.organization_id, readers, now)
    return count


def _inbox_changed(
    organization_id: uuid.UUID, member_ids: list[uuid.UUID], now: datetime.datetime
) -> None:
    """Stamp the members whose unread notifications changed (their badge is recounted)."""
    if member_ids:
        Membership.objects.filter(organization_id=organization_id, pk__in=member_ids).update(
            inbox_changed_at=now
        )


@transaction.atomic
def save_preferences(membership: Membership, **fields: Any) -> Preference:
    """Save what the member wants to receive (only the fields given change)."""
    preference = preference_of(membership)
    for name, value in fields.items():
        if name not in PREFERENCE_FIELDS:
            raise ValueError(f"{name} is not a notification preference")
        setattr(preference, name, value)
    preference.full_clean(exclude=["organization", "member"], validate_unique=False)
    preference.save()
    return preference


__all__ = [
    "Kind",
    "mark_all_read",
    "mark_read",
    "mark_read_about",
    "notify",
    "notify_new_report",
    "save_preferences",
]
