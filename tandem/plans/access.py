"""Which plans, goals, signatures and COPM ratings of one child a member reads.

Scopes only: each narrows the model's org-wide scope (``Model.objects.visible_to``, in
``models.py``) to a child the caller already found. Who may do what is in ``rules.py``.
"""

import uuid

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.access import get_child
from tandem.children.models import Child

from .models import CopmActivity, Goal, GoalBankEntry, Plan, PlanSignature


def plans_of(membership: Membership, child: Child) -> QuerySet[Plan]:
    """Plans of a child the member may already see (collaborators: plans in force)."""
    return Plan.objects.visible_to(membership).for_child(child)


def goals_of(membership: Membership, child: Child) -> QuerySet[Goal]:
    """Goals of a child the member may already see (collaborators: of plans in force, when
    the consent shares the summary or observations, which are recorded against a goal)."""
    return Goal.objects.visible_to(membership).for_child(child)


def signatures_of(membership: Membership, child: Child) -> QuerySet[PlanSignature]:
    """Signatures of a child's plans (never a collaborator's to read)."""
    return PlanSignature.objects.visible_to(membership).for_child(child)


def copm_of(membership: Membership, child: Child) -> QuerySet[CopmActivity]:
    """COPM ratings of a child's plans (never a collaborator's to read)."""
    return CopmActivity.objects.visible_to(membership).for_child(child)


def goal_bank_for(membership: Membership) -> QuerySet[GoalBankEntry]:
    """The organization's goal bank (staff only)."""
    return GoalBankEntry.objects.visible_to(membership)


def get_goal(membership: Membership, child_id: uuid.UUID | str, goal_id: uuid.UUID | str) -> Goal:
    """A goal of a child the member sees without a consent scope (404 otherwise), with
    ``goal.child`` the child as found (for the progress API)."""
    child = get_child(membership, child_id)
    try:
        goal = goals_of(membership, child).select_related("plan").get(pk=goal_id)
    except (Goal.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    goal.child = child
    return goal
