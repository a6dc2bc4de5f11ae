"""Recording a rating: one per goal, kind of rater and day (again the same day: a new
version of that day's rating, the level and comment replaced)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.plans.models import Goal

from .models import LEVELS, MAX_COMMENT, GoalRating, Rater


def rate(
    by: Membership,
    child: Child,
    goal: Goal,
    *,
    rater: str,
    level: int,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> GoalRating:
    """Record ``level`` (−2 … +2) for ``goal`` as the family or the child, today (the
    clinic's day). A second rating the same day replaces the first as its next version."""
    if rater not in Rater.values:
        raise ValidationError({"rater": _("Unknown rater.")})
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValidationError({"level": _("Choose one of the five levels.")})
    comment = (comment or "").strip() if rater == Rater.FAMILY else ""
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("Please keep it under %(max)s characters.") % {"max": MAX_COMMENT}}
        )
    if goal.child_id != child.pk or goal.organization_id != child.organization_id:
        raise ValidationError({"goal": _("This goal is not one of the child's.")})
    day = clock.today_for_member(by, at)
    with transaction.atomic():
        rating = (
            GoalRating.objects.select_for_update()
            .filter(organization_id=child.organization_id, goal=goal, rater=rater, rated_on=day)
            .first()
        )
        if rating is None:
            rating = GoalRating(
                organization_id=child.organization_id,
                child=child,
                goal=goal,
                rater=rater,
                rated_on=day,
                rated_by=by,
                level=level,
                comment=comment,
            )
        else:
            rating.level, rating.comment, rating.rated_by = level, comment, by
            rating.version += 1
        rating.save(at=at)
    return rating
