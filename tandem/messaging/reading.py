"""Reading the conversation: unread counts, a page of the thread, the staff timeline."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, prefetch_related_objects

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.children.models import Child

from .access import attachments_of, checkins_of, handoffs_of, messages_of, receipts_of
from .models import CheckIn, CheckInSchedule, Handoff, Message, MessageReceipt

PAGE_SIZE = 50
TIMELINE_SIZE = 30


def unread_counts(membership: Membership, child_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many messages about each child this member has not seen yet (one query).

    The member's own messages never count; children without unread messages are absent,
    and so are those whose conversation the member does not take part in.
    """
    seen = MessageReceipt.objects.filter(
        organization_id=membership.organization_id, message=OuterRef("pk"), reader=membership
    )
    rows = (
        Message.objects.visible_to(membership)
        .filter(child_id__in=list(child_ids))
        .exclude(author=membership)
        .exclude(Exists(seen))
        .order_by()
        .values("child_id")
        .annotate(unread=Count("pk"))
    )
    return {row["child_id"]: row["unread"] for row in rows}


@dataclass
class ThreadPage:
    messages: list[Message]
    has_earlier: bool

    @property
    def earliest(self) -> datetime.datetime | None:
        return self.messages[0].created_at if self.messages else None


def thread_page(
    membership: Membership, child: Child, *, before: datetime.datetime | None = None
) -> ThreadPage:
    """The latest messages (or those before a moment), oldest first, with their files.

    The team (``messaging.timeline``) also gets each message's read receipts
    (``message.seen_by``).
    """
    messages = messages_of(membership, child).select_related("author__user")
    if before is not None:
        messages = messages.filter(created_at__lt=before)
    prefetches: list[Any] = [Prefetch("attachments", queryset=attachments_of(membership, child))]
    if allows(membership, "messaging.timeline", child=child):
        prefetches.append(
            Prefetch("receipts", queryset=receipts_of(membership, child), to_attr="receipt_list")
        )
    rows = list(
        messages.order_by("-created_at", "-id").prefetch_related(*prefetches)[: PAGE_SIZE + 1]
    )
    has_earlier = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    rows.reverse()
    for message in rows:
        receipts = getattr(message, "receipt_list", [])
        message.seen_by = [r for r in receipts if r.reader_id != message.author_id]
    return ThreadPage(rows, has_earlier)


def with_files(membership: Membership, child: Child, message: Message) -> Message:
    """The message with its files read (one query), as ``thread_page`` gives them."""
    files = Prefetch("attachments", queryset=attachments_of(membership, child))
    prefetch_related_objects([message], files)
    return message


@dataclass
class TimelineEntry:
    when: datetime.datetime
    kind: str  # "handoff" or "checkin"
    record: Handoff | CheckIn


def staff_timeline(membership: Membership, child: Child) -> list[TimelineEntry]:
    """Hand-offs and check-in answers, newest first (the team's; empty for others)."""
    entries = [
        TimelineEntry(h.created_at, "handoff", h)
        for h in handoffs_of(membership, child)[:TIMELINE_SIZE]
    ] + [
        TimelineEntry(c.created_at, "checkin", c)
        for c in checkins_of(membership, child)[:TIMELINE_SIZE]
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:TIMELINE_SIZE]


def checkins_due(
    membership: Membership, child_ids: Iterable[uuid.UUID], today: datetime.date
) -> dict[uuid.UUID, datetime.date]:
    """The date each child's family check-in fell due, for those due by today (one query).

    Pass only ids of children the member may see (e.g. from ``children_visible_to``).
    """
    rows = CheckInSchedule.objects.filter(
        organization_id=membership.organization_id,
        child_id__in=list(child_ids),
        is_active=True,
        next_due_on__lte=today,
    ).values_list("child_id", "next_due_on")
    return dict(rows)
