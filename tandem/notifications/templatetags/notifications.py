"""The unread-notifications badge in the navigation (one query per page)."""

from typing import Any

from django import template

from tandem.notifications.access import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many notifications the signed-in member has not read (0 when signed out)."""
    membership = context.get("membership")
    if membership is None:
        return 0
    return unread_count(membership)
