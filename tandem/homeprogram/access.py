"""What home programs, practice logs and observations a member reads (scopes only).

Who may do what is said by the app's rules (``rules.py``) and checked at the entry
points (pages, API, templates). These scopes say which rows a member reads: each
model's ``objects.visible_to(membership)`` (across the clinic) narrowed by
``.for_child(child)``, and the goals a home program may point at (guardians see the
goals of shared plans only).
"""

import uuid
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from tandem.access import not_found, rule_for
from tandem.accounts.models import Membership, Role
from tandem.children.models import Child
from tandem.notes.models import GoalData, NoteStatus
from tandem.plans.models import Goal, PlanStatus

from .models import ActivityStatus, HomeActivity, Observation, PracticeLog

# --- Goals a home program may point at ------------------------------------------------


def goals_for(membership: Membership, child_ids: Iterable[uuid.UUID]) -> QuerySet[Goal]:
    """Goals of children the member may already see; guardians see shared plans' goals only."""
    org = membership.organization_id
    goals = Goal.objects.filter(organization_id=org, child_id__in=list(child_ids))
    if membership.role != Role.ADMIN and membership.role != Role.THERAPIST:
        goals = goals.filter(
            plan__organization_id=org, plan__status__in=[PlanStatus.ACTIVE, PlanStatus.CLOSED]
        )
    return goals.order_by("position", "created_at")


def goals_of(membership: Membership, child: Child) -> QuerySet[Goal]:
    return goals_for(membership, [child.id])


def shared_goals(membership: Membership, child: Child) -> QuerySet[Goal]:
    """Goals of the child's active plans: what a family practises and observes."""
    return goals_of(membership, child).filter(
        plan__organization_id=membership.organization_id, plan__status=PlanStatus.ACTIVE
    )


def assignable_goals(
    membership: Membership, child: Child, *, keep: Iterable[uuid.UUID] = ()
) -> QuerySet[Goal]:
    """Goals an activity may be linked to: active goals of the child's draft or active plans,
    and the goals in ``keep`` (those it is already linked to)."""
    open_goals = Q(
        status="active",
        plan__organization_id=membership.organization_id,
        plan__status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE],
    )
    return goals_of(membership, child).filter(open_goals | Q(pk__in=list(keep)))


def get_goal(membership: Membership, child: Child, goal_id: uuid.UUID | str) -> Goal:
    try:
        goal = goals_of(membership, child).get(pk=goal_id)
    except (Goal.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    goal.child = child
    return goal


# --- Activities ----------------------------------------------------------------


def activities_for(
    membership: Membership, child_ids: Iterable[uuid.UUID], *, with_goals: bool = True
) -> QuerySet[HomeActivity]:
    """Home activities of these children the member may read (their goals prefetched)."""
    ids = list(child_ids)
    activities = HomeActivity.objects.visible_to(membership).filter(child_id__in=ids)
    if not with_goals:
        return activities
    return activities.prefetch_related(Prefetch("goals", queryset=goals_for(membership, ids)))


def activities_of(membership: Membership, child: Child) -> QuerySet[HomeActivity]:
    return activities_for(membership, [child.id])


def active_activities(membership: Membership, child: Child) -> QuerySet[HomeActivity]:
    """The activities a family is practising now (child mode's choice board reads these too)."""
    return activities_of(membership, child).filter(status=ActivityStatus.ACTIVE)


def activity_of(membership: Membership, child: Child, activity_id: uuid.UUID | str) -> HomeActivity:
    """One of the child's activities the member reads, else 404."""
    try:
        activity = activities_of(membership, child).get(pk=activity_id)
    except (HomeActivity.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    activity.child = child  # keeps the child's annotated relation to the member
    return activity


# --- Practice logs ----------------------------------------------------------------


def logs_for(membership: Membership, child_ids: Iterable[uuid.UUID]) -> QuerySet[PracticeLog]:
    return PracticeLog.objects.visible_to(membership).filter(child_id__in=list(child_ids))


def logs_of(membership: Membership, child: Child) -> QuerySet[PracticeLog]:
    return PracticeLog.objects.visible_to(membership).for_child(child)


def log_of(membership: Membership, child: Child, log_id: uuid.UUID | str) -> PracticeLog:
    """One of the child's practice logs the member reads, else 404 (whoever logged it:
    ``homeprogram.change_log`` says who may change it)."""
    try:
        log = logs_of(membership, child).select_related("activity").get(pk=log_id)
    except (PracticeLog.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    log.child = child
    return log


# --- Observations -------------------------------------------------------------------


def observations_for(
    membership: Membership, child_ids: Iterable[uuid.UUID]
) -> QuerySet[Observation]:
    """Observations of these children the member reads (a collaborator: their own)."""
    return Observation.objects.visible_to(membership).filter(child_id__in=list(child_ids))


def observations_of(membership: Membership, child: Child) -> QuerySet[Observation]:
    return (
        Observation.objects.visible_to(membership)
        .for_child(child)
        .select_related("recorded_by__user")
    )


# --- Session data for the setback notices and the family's progress line ----------------


def signed_goal_data_for(
    membership: Membership, child_ids: Iterable[uuid.UUID]
) -> QuerySet[GoalData]:
    """Goal data of signed session notes of children the member may already see, for the
    roles that read home programs (the setback notices and the family's progress line)."""
    org = membership.organization_id
    if membership.role not in rule_for("homeprogram.view").roles:
        return GoalData.objects.none()
    return GoalData.objects.filter(
        organization_id=org,
        child_id__in=list(child_ids),
        note__organization_id=org,
        note__status=NoteStatus.SIGNED,
    )
