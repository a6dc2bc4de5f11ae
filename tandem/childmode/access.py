"""What child mode finds for a child (scopes only): the child's picks, the goals and
home activities shown to the child, the date of the last signed session.

Who may open child mode and who reads the picks is in ``rules.py``.
"""

import importlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.notes.models import NoteStatus, SessionNote
from tandem.plans.models import GoalStatus, PlanStatus

from .models import ChildChoice


def choices_of(membership: Membership, child: Child) -> QuerySet[ChildChoice]:
    """Choices of a child the member may already see (for those who read them)."""
    return ChildChoice.objects.visible_to(membership).for_child(child)


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
