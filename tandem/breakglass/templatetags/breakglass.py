"""``{% open_emergency_reviews as n %}``: the admins' count of grants awaiting review, in the
menu.

Kept in the session with the member's ``inbox_changed_at`` (every new grant notifies the
clinic's admins, which stamps it), so a page costs no query for it while nothing changed;
recounted at least every ``COUNT_SECONDS`` (another admin's review), and at once after the
member's own review (``forget_open_reviews``).
"""

from typing import Any

from django import template
from django.http import HttpRequest

from tandem.accounts.models import Role
from tandem.core import clock

from ..reading import open_reviews

register = template.Library()

KEPT = "tandem_open_emergency_reviews"
COUNT_SECONDS = 120


@register.simple_tag(takes_context=True)
def open_emergency_reviews(context: dict[str, Any]) -> int:
    """How many grants of the clinic await review (0 for anyone but an admin)."""
    membership = context.get("membership")
    if membership is None or membership.role != Role.ADMIN:
        return 0
    session = getattr(context.get("request"), "session", None)
    stamp = membership.inbox_changed_at.isoformat() if membership.inbox_changed_at else ""
    now = clock.now().timestamp()
    if session is not None:
        kept = session.get(KEPT)
        if (
            isinstance(kept, list)
            and len(kept) == 4
            and kept[:2] == [str(membership.pk), stamp]
            and 0 <= now - kept[2] < COUNT_SECONDS
        ):
            return int(kept[3])
    count = open_reviews(membership)
    if session is not None:
        session[KEPT] = [str(membership.pk), stamp, now, count]
    return count


def forget_open_reviews(request: HttpRequest) -> None:
    """Count again on the next page (after this member reviewed a grant)."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(KEPT, None)
