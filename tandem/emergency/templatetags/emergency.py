"""``{% emergency_banner child %}``: the banner on a child's pages read through an emergency
access — until when, why, and that every view is logged.

No query for anyone else: the relation comes with the child (``tandem.access``); only a
member reading through a grant costs one, for the grant's hour and reason.
"""

from typing import Any

from django import template

from tandem.access.relation import relation_of
from tandem.accounts.models import Role
from tandem.children.models import Child

from ..access import active_access

register = template.Library()


@register.inclusion_tag("emergency/_banner.html", takes_context=True)
def emergency_banner(context: dict[str, Any], child: Child | None) -> dict[str, Any]:
    membership = getattr(context.get("request"), "membership", None)
    if child is None or membership is None or membership.role != Role.THERAPIST:
        return {"access": None}
    if not relation_of(membership, child).emergency:
        return {"access": None}
    return {"access": active_access(membership, child)}
