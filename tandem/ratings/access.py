"""Which ratings and goals a member finds (scopes only; who may do what is ``rules.py``)."""

import uuid
from typing import Any

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.plans.models import Goal, GoalStatus, PlanStatus

from .models import GoalRating


def ratings_of(membership: Membership, child: Child) -> QuerySet[GoalRating]:
    """The child's ratings the member reads (none for collaborators and the office)."""
    return GoalRating.objects.visible_to(membership).for_child(child)


def rateable_goals(membership: Membership, child: Child) -> QuerySet[Goal]:
    """The goals a family or the child rates: active goals of the child's plans in force."""
    from tandem.plans.access import goals_of

    return (
        goals_of(membership, child)
        .filter(
            plan__organization_id=membership.organization_id,
            plan__status=PlanStatus.ACTIVE,
            status=GoalStatus.ACTIVE,
        )
        .order_by("position", "created_at")
    )


def rateable_goal(membership: Membership, child: Child, goal_id: Any) -> Goal:
    """One goal the member may rate now, else 404."""
    try:
        goal = rateable_goals(membership, child).filter(pk=uuid.UUID(str(goal_id))).first()
    except ValueError as exc:
        raise not_found() from exc
    if goal is None:
        raise not_found()
    return goal
