"""Who may see and change home programs, practice logs and observations.

- reading: anyone who may see the child (guardians see goals of shared plans only);
- assigning and editing activities: clinic admins and lead/treating therapists;
- logging practice: the child's guardians only, and only for their own children;
  a log is changed or taken back only by the guardian who wrote it;
- observations: the child's guardians, and admins and lead/treating therapists;
- adherence: staff who may see the child (it is the team's tool, not a family score).
"""

import uuid
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import get_child
from tandem.children.models import Child
from tandem.core.access import not_found, read_only
from tandem.notes.models import GoalData, NoteStatus
from tandem.plans.models import Goal, PlanStatus

from .models import ActivityStatus, HomeActivity, Observation, PracticeLog

# --- Goals a home program may point at ------------------------------------------------


def goals_for(membership: Membership, child_ids: Iterable) -> QuerySet[Goal]:
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
    membership: Membership, child: Child, *, keep: Iterable = ()
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
    membership: Membership, child_ids: Iterable, *, with_goals: bool = True
) -> QuerySet[HomeActivity]:
    """Home activities of children the member may already see (their goals prefetched)."""
    org = membership.organization_id
    ids = list(child_ids)
    activities = HomeActivity.objects.filter(organization_id=org, child_id__in=ids)
    if not with_goals:
        return activities
    return activities.prefetch_related(Prefetch("goals", queryset=goals_for(membership, ids)))


def activities_of(membership: Membership, child: Child) -> QuerySet[HomeActivity]:
    return activities_for(membership, [child.id])


def active_activities(membership: Membership, child: Child) -> QuerySet[HomeActivity]:
    """The activities a family is practising now (child mode's choice board reads these too)."""
    return activities_of(membership, child).filter(status=ActivityStatus.ACTIVE)


def get_activity(
    membership: Membership,
    child_id: uuid.UUID | str,
    activity_id: uuid.UUID | str,
    *,
    for_edit: bool = False,
) -> HomeActivity:
    """Return an activity of a child the member may see (404), or may edit (403) when asked."""
    child = get_child(membership, child_id, for_edit=for_edit)
    return activity_of(membership, child, activity_id)


def activity_of(membership: Membership, child: Child, activity_id: uuid.UUID | str) -> HomeActivity:
    try:
        activity = activities_of(membership, child).get(pk=activity_id)
    except (HomeActivity.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    activity.child = child  # keeps the annotated can_edit
    return activity


# --- Practice logs ----------------------------------------------------------------


def logs_for(membership: Membership, child_ids: Iterable) -> QuerySet[PracticeLog]:
    return PracticeLog.objects.filter(
        organization_id=membership.organization_id, child_id__in=list(child_ids)
    )


def logs_of(membership: Membership, child: Child) -> QuerySet[PracticeLog]:
    return logs_for(membership, [child.id])


def may_log_practice(membership: Membership, child: Child) -> bool:
    """Guardians log practice for their own children (``child`` came through get_child)."""
    return membership.role == Role.GUARDIAN and child.organization_id == membership.organization_id


def require_practice_logger(membership: Membership, child: Child) -> None:
    if not may_log_practice(membership, child):
        raise read_only()


def get_own_log(membership: Membership, child: Child, log_id: uuid.UUID | str) -> PracticeLog:
    """A log the guardian wrote: 404 if it is not the child's, 403 if someone else wrote it."""
    try:
        log = logs_of(membership, child).select_related("activity").get(pk=log_id)
    except (PracticeLog.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    if log.logged_by_id != membership.id:
        raise read_only()
    log.child = child
    return log


# --- Observations -------------------------------------------------------------------


def observations_for(membership: Membership, child_ids: Iterable) -> QuerySet[Observation]:
    """Observations of these children; a collaborator (a teacher, say) sees only their own,
    never what the family or the team recorded."""
    org = membership.organization_id
    observations = Observation.objects.filter(organization_id=org, child_id__in=list(child_ids))
    if membership.role == Role.COLLABORATOR:
        observations = observations.filter(recorded_by=membership)
    return observations


def observations_of(membership: Membership, child: Child) -> QuerySet[Observation]:
    return observations_for(membership, [child.id]).select_related("recorded_by__user")


def may_observe(membership: Membership, child: Child) -> bool:
    """Guardians of the child and the child's editors record observations."""
    if membership.role == Role.GUARDIAN:
        return True  # get_child already confirmed it is their child
    return bool(getattr(child, "can_edit", False))


def require_observer(membership: Membership, child: Child) -> None:
    if not may_observe(membership, child):
        raise read_only()


# --- Adherence ---------------------------------------------------------------------


def may_see_adherence(membership: Membership) -> bool:
    return membership.role in (Role.ADMIN, Role.THERAPIST)


def require_adherence_reader(membership: Membership) -> None:
    if not may_see_adherence(membership):
        raise not_found()


# --- Session data for the setback notices and the family's progress line ----------------


def signed_goal_data_for(membership: Membership, child_ids: Iterable) -> QuerySet[GoalData]:
    """Goal data of signed session notes of children the member may already see."""
    org = membership.organization_id
    if membership.role not in (Role.ADMIN, Role.THERAPIST, Role.GUARDIAN):
        return GoalData.objects.none()
    return GoalData.objects.filter(
        organization_id=org,
        child_id__in=list(child_ids),
        note__organization_id=org,
        note__status=NoteStatus.SIGNED,
    )
