"""Who may open child mode for which child, and who reads the child's choices.

- opening child mode (and so recording the child's picks): the child's guardians,
  clinic admins, and lead/treating therapists on the child's team. Consulting
  therapists see the child's record but do not run sessions, so they may not;
- reading the choices: staff who may see the child (it prepares the next session);
- collaborators: never (child mode is opened on a family's or the team's device).
"""

import importlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import get_child
from tandem.children.models import Child
from tandem.core.access import not_found, read_only
from tandem.notes.models import NoteStatus, SessionNote
from tandem.plans.models import GoalStatus, PlanStatus

from .models import ChildChoice

CHILD_MODE_ROLES = (Role.ADMIN, Role.THERAPIST, Role.GUARDIAN)


def may_open_child_mode(membership: Membership, child: Child) -> bool:
    """Guardians of the child (``child`` came through get_child) and the child's editors."""
    if membership.role == Role.GUARDIAN:
        return child.organization_id == membership.organization_id
    if membership.role in (Role.ADMIN, Role.THERAPIST):
        return bool(getattr(child, "can_edit", False))
    return False


def get_child_for_child_mode(membership: Membership, child_id: uuid.UUID | str) -> Child:
    """Return a child whose child mode this adult may open: 404 unseen, 403 read-only."""
    if membership.role not in CHILD_MODE_ROLES:
        raise not_found()
    child = get_child(membership, child_id)
    if not may_open_child_mode(membership, child):
        raise read_only()
    return child


def may_read_choices(membership: Membership) -> bool:
    return membership.role in (Role.ADMIN, Role.THERAPIST)


def require_choice_reader(membership: Membership) -> None:
    """Staff only: for anyone else the list is not there (404)."""
    if not may_read_choices(membership):
        raise not_found()


def choices_of(membership: Membership, child: Child) -> QuerySet[ChildChoice]:
    """Choices of a child the member may already see."""
    return ChildChoice.objects.filter(organization_id=membership.organization_id, child=child)


def child_mode_goals(membership: Membership, child: Child) -> Any:
    """Goals the child sees: active or met goals of the plans the family can see (not drafts)."""
    from tandem.plans.access import goals_of

    org = membership.organization_id
    return goals_of(membership, child).filter(
        plan__organization_id=org,
        plan__status=PlanStatus.ACTIVE,
        status__in=[GoalStatus.ACTIVE, GoalStatus.MET],
    )


def last_session_date(membership: Membership, child: Child) -> Any:
    """The date of the child's latest signed session, or None."""
    return (
        SessionNote.objects.filter(
            organization_id=membership.organization_id, child=child, status=NoteStatus.SIGNED
        )
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def _homeprogram_access() -> Any:
    """The home-program access module, or None while that app has no activities."""
    try:
        module = importlib.import_module("tandem.homeprogram.access")
    except ImportError:
        return None
    return module if hasattr(module, "active_activities") else None


def home_activities(membership: Membership, child: Child) -> list[Any]:
    """The child's current home activities (empty when there is no home program)."""
    module = _homeprogram_access()
    if module is None:
        return []
    return list(module.active_activities(membership, child))


def home_activity(membership: Membership, child: Child, activity_id: uuid.UUID | str) -> Any:
    """One of the child's current home activities, or 404."""
    module = _homeprogram_access()
    if module is None:
        raise not_found()
    try:
        activity = module.active_activities(membership, child).filter(pk=activity_id).first()
    except (ValueError, ValidationError) as exc:
        raise not_found() from exc
    if activity is None:
        raise not_found()
    return activity
