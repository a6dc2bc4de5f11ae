"""What the plan pages and the API read: plans with goals, latest GAS levels, T-scores.

A constant number of queries whatever the number of plans and goals: goals,
signatures and COPM activities come in one prefetch each, and each goal's
latest GAS level from signed session notes is a subquery on the goals query.
"""

import importlib
import logging
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from tandem.accounts.models import Membership
from tandem.children.models import Child, GuardianLink
from tandem.notes.models import GoalData, NoteStatus

from .access import copm_of, goals_of, plans_of, signatures_of
from .models import Goal, GoalStatus, Plan, PlanSignature, PlanStatus

logger = logging.getLogger(__name__)


def latest_gas_level(membership: Membership) -> Subquery:
    """The GAS level reached in the goal's latest signed session note."""
    org = membership.organization_id
    levels = (
        GoalData.objects.filter(
            organization_id=org,
            note__organization_id=org,
            note__status=NoteStatus.SIGNED,
            goal=OuterRef("pk"),
            gas_level__isnull=False,
        )
        .order_by("-note__date", "-note__end_time", "-created_at")
        .values("gas_level")[:1]
    )
    return Subquery(levels)


def goals_with_levels(membership: Membership, child: Child) -> QuerySet[Goal]:
    """A child's goals, each annotated with ``latest_gas`` (None before any signed note)."""
    return goals_of(membership, child).annotate(latest_gas=latest_gas_level(membership))


def plans_with_goals(membership: Membership, child: Child) -> QuerySet[Plan]:
    """A child's plans with their goals, signatures and COPM activities prefetched."""
    plans = plans_of(membership, child).select_related("author__user")
    return plans.prefetch_related(
        Prefetch("goals", queryset=goals_with_levels(membership, child)),
        Prefetch(
            "signatures",
            queryset=signatures_of(membership, child).select_related("guardian__user"),
        ),
        Prefetch("copm_activities", queryset=copm_of(membership, child)),
    )


def current_level(goal: Goal) -> int:
    """The goal's latest GAS level from signed notes, else its baseline."""
    latest = getattr(goal, "latest_gas", None)
    return goal.gas_baseline if latest is None else latest


def t_score(goals: list[Goal]) -> float | None:
    """The plan's GAS T-score (Kiresuk–Sherman) over its goals that are not discontinued."""
    try:
        gas = importlib.import_module("tandem.plans.gas")
    except ImportError:  # the GAS module ships separately
        return None
    compute = getattr(gas, "t_score", None)
    scored = [g for g in goals if g.status != GoalStatus.DISCONTINUED]
    if compute is None or not scored:
        return None
    levels = [current_level(g) for g in scored]
    weights = [g.gas_weight for g in scored]
    try:
        return round(float(compute(levels, weights)), 1)
    except (TypeError, ValueError):  # a differently shaped GAS module must not break the plan pages
        logger.exception("tandem.plans.gas.t_score(levels, weights) failed")
        return None


def describe(plan: Plan, membership: Membership, today: date) -> Plan:
    """Attach what the pages show about a prefetched plan: T-score, review, signatures."""
    goals: list[Any] = list(plan.goals.all())
    for goal in goals:
        goal.current_level = current_level(goal)
    signatures = list(plan.signatures.all())
    current = [s for s in signatures if s.plan_version == plan.version]
    earlier = [s for s in signatures if s.plan_version != plan.version]
    shown: Any = plan
    shown.goal_list = goals
    shown.t_score = t_score(goals)
    shown.is_overdue = plan.status == PlanStatus.ACTIVE and plan.review_date < today
    shown.current_signatures = current
    shown.earlier_signatures = earlier
    shown.signed_by_me = any(s.guardian_id == membership.id for s in current)
    shown.my_earlier_signature = next((s for s in earlier if s.guardian_id == membership.id), None)
    shown.child_chosen_goals = [g for g in goals if g.child_chosen]
    return plan


def plans_to_sign(membership: Membership, child_ids: list[Any]) -> dict[Any, list[Plan]]:
    """The plans in force each child's guardian has not signed in their current version.

    Only for the children the guardian has legal authority for (those who sign plans);
    one query whatever the number of children. Pass ids the member may already see.
    """
    org = membership.organization_id
    signed = PlanSignature.objects.filter(
        organization_id=org,
        plan=OuterRef("pk"),
        plan_version=OuterRef("version"),
        guardian=membership,
    )
    authority = GuardianLink.objects.filter(
        organization_id=org, guardian=membership, has_legal_authority=True
    ).values("child_id")
    plans = (
        Plan.objects.filter(
            organization_id=org,
            child_id__in=list(child_ids),
            status=PlanStatus.ACTIVE,
        )
        .filter(child_id__in=authority)
        .exclude(Exists(signed))
        .order_by("discipline")
    )
    found: dict[Any, list[Plan]] = {}
    for plan in plans:
        found.setdefault(plan.child_id, []).append(plan)
    return found
