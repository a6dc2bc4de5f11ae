"""Which school plans and school goals of one child a member reads (scopes only; who may
do what is in ``rules.py``)."""

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.plans.access import goals_of

from .models import SchoolGoal, SchoolGoalLink, SchoolPlan


def school_plans_of(membership: Membership, child: Child) -> QuerySet[SchoolPlan]:
    """The child's school plans with their goals and the clinic goals each is linked to
    (only the links to clinic goals the member may read themselves): three queries."""
    links = (
        SchoolGoalLink.objects.visible_to(membership)
        .for_child(child)
        .filter(goal__in=goals_of(membership, child).values("pk"))
        .select_related("goal")
        .order_by("goal__position", "goal__created_at")
    )
    goals = SchoolGoal.objects.visible_to(membership).for_child(child)
    return (
        SchoolPlan.objects.visible_to(membership)
        .for_child(child)
        .prefetch_related(
            Prefetch("goals", queryset=goals.prefetch_related(Prefetch("links", queryset=links)))
        )
    )


def school_goals_of(membership: Membership, child: Child) -> QuerySet[SchoolGoal]:
    return SchoolGoal.objects.visible_to(membership).for_child(child)


def get_school_plan(membership: Membership, child: Child, plan_id: uuid.UUID | str) -> SchoolPlan:
    """One school plan of a child the member may already see (404 otherwise), with
    ``plan.child`` the child as found."""
    try:
        plan = SchoolPlan.objects.visible_to(membership).for_child(child).get(pk=plan_id)
    except (SchoolPlan.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc
    plan.child = child
    return plan
