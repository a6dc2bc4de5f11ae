"""Who may see and change plans and goals: whoever may see / edit the child.

- reading: anyone who may see the child (guardians read the plan in plain language);
- writing: clinic admins and lead/treating therapists on the child's team;
- signing: a guardian of the child with legal authority;
- collaborators: the plans in force and their goals, while a guardian's active consent
  shares the goals and progress summary with them; never signatures or COPM ratings.
"""

import uuid

from django.db.models import QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import get_child, has_legal_authority
from tandem.children.models import Child
from tandem.consent.models import Scope, consent_covers
from tandem.core.access import not_found, read_only

from .models import (
    CopmActivity,
    Goal,
    GoalBankEntry,
    GoalStatus,
    Plan,
    PlanSignature,
    PlanStatus,
)


def plans_of(membership: Membership, child: Child) -> QuerySet[Plan]:
    """Plans of a child the member may already see (collaborators: plans in force)."""
    plans = Plan.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.COLLABORATOR:
        summary = consent_covers(membership, Scope.SUMMARY, child="child")
        return plans.filter(summary, status=PlanStatus.ACTIVE)
    return plans


def goals_of(membership: Membership, child: Child) -> QuerySet[Goal]:
    """Goals of a child the member may already see (collaborators: of plans in force, when
    the consent shares the summary or observations, which are recorded against a goal)."""
    goals = Goal.objects.filter(organization_id=membership.organization_id, child=child)
    if membership.role == Role.COLLABORATOR:
        shared = consent_covers(membership, Scope.SUMMARY, Scope.OBSERVATIONS, child="child")
        return goals.filter(
            shared,
            plan__organization_id=membership.organization_id,
            plan__status=PlanStatus.ACTIVE,
        ).exclude(status=GoalStatus.DISCONTINUED)
    return goals


def signatures_of(membership: Membership, child: Child) -> QuerySet[PlanSignature]:
    signatures = PlanSignature.objects.filter(
        organization_id=membership.organization_id, child=child
    )
    return signatures.none() if membership.role == Role.COLLABORATOR else signatures


def copm_of(membership: Membership, child: Child) -> QuerySet[CopmActivity]:
    activities = CopmActivity.objects.filter(
        organization_id=membership.organization_id, child=child
    )
    return activities.none() if membership.role == Role.COLLABORATOR else activities


def get_plan(
    membership: Membership,
    child_id: uuid.UUID | str,
    plan_id: uuid.UUID | str,
    *,
    for_edit: bool = False,
) -> Plan:
    """Return a plan of a child the member may see (404), or may edit (403) when asked."""
    child = get_child(membership, child_id, for_edit=for_edit)
    try:
        plan = plans_of(membership, child).get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    plan.child = child  # keeps the annotated can_edit
    return plan


def get_goal(
    membership: Membership,
    child_id: uuid.UUID | str,
    goal_id: uuid.UUID | str,
    *,
    for_edit: bool = False,
) -> Goal:
    child = get_child(membership, child_id, for_edit=for_edit)
    try:
        goal = goals_of(membership, child).select_related("plan").get(pk=goal_id)
    except (Goal.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    goal.child = child
    return goal


def can_sign_plans(membership: Membership, child: Child) -> bool:
    """A guardian of this child with legal authority may sign its plans."""
    return has_legal_authority(membership, child)


def require_signer(membership: Membership, child: Child) -> None:
    if not can_sign_plans(membership, child):
        raise read_only()


def goal_bank_for(membership: Membership) -> QuerySet[GoalBankEntry]:
    """The organization's goal bank (staff only)."""
    if not membership.is_staff_member:
        return GoalBankEntry.objects.none()
    return GoalBankEntry.objects.filter(organization_id=membership.organization_id)
