"""The unread-notifications badge in the navigation.

The count is kept in the session with the member's ``inbox_changed_at`` (stamped when a
notification to them is created or read), so a page costs no query for it while
nothing changed; it is recounted at least every BADGE_SECONDS, so a child leaving the
member's view (and its notifications with it) shows within minutes.
"""

from typing import Any

from django import template
from django.utils import timezone

from tandem.notifications.access import unread_count

register = template.Library()

BADGE = "tandem_unread_badge"
BADGE_SECONDS = 300


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many notifications the signed-in member has not read (0 when signed out)."""
    membership = context.get("membership")
    if membership is None:
        return 0
    session = getattr(context.get("request"), "session", None)
    stamp = membership.inbox_changed_at.isoformat() if membership.inbox_changed_at else ""
    now = timezone.now().timestamp()
    if session is not None:
        kept = session.get(BADGE)
        if (
            isinstance(kept, list)
            and len(kept) == 4
            and kept[:2] == [str(membership.pk), stamp]
            and 0 <= now - kept[2] < BADGE_SECONDS
        ):
            return int(kept[3])
    count = unread_count(membership)
    if session is not None:
        session[BADGE] = [str(membership.pk), stamp, now, count]
    return count
