"""The side-by-side T-scores on the Progress tab and in the progress reports.

``{% side_by_side_table plan as table %}`` inside the pages' loop over plans (``plan``
a ``progress.services.PlanProgress`` whose therapist T-scores are already computed):
the child's ratings are read once per page (one query, kept on the page's ``progress``),
whatever the number of plans. The progress app's code does not import this app.
"""

from typing import Any

from django import template

from tandem.access import allows
from tandem.core import clock

from ..access import ratings_of
from ..models import Rater
from ..rules import RATE_AS_FAMILY, VIEW
from ..scores import MonthScores, side_by_side

register = template.Library()
CACHE = "_goal_ratings_rows"
COMMENTS = 5  # the family's latest comments shown under the table


@register.simple_tag(takes_context=True)
def side_by_side_table(context: template.Context, plan: Any) -> dict[str, Any]:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    progress = context.get("progress")
    child = context.get("child")
    empty: dict[str, Any] = {"rows": [], "may_rate": False}
    if membership is None or progress is None or child is None:
        return empty
    if not allows(membership, VIEW, child=child):
        return empty
    end = context.get("end") or getattr(progress, "end", None)
    end = end or clock.today_for_member(membership)
    found = getattr(progress, CACHE, None)
    if found is None:
        found = list(
            ratings_of(membership, child)
            .filter(rated_on__lte=end)
            .order_by("rated_on", "created_at")
            .values_list("goal_id", "rater", "rated_on", "level", "comment")
        )
        setattr(progress, CACHE, found)
    goals = {gp.goal.id: gp.goal for gp in plan.goals}
    start = context.get("start") or getattr(progress, "start", None)
    rows = [row[:4] for row in found]
    table: list[MonthScores] = side_by_side(
        goals.values(), plan.tscores, rows, end=end, start=start
    )
    # The family's latest words about this plan's goals in the period, newest first.
    comments = [
        {"day": day, "goal": goals[goal_id], "comment": comment}
        for goal_id, rater, day, _level, comment in reversed(found)
        if comment and rater == Rater.FAMILY and goal_id in goals and (not start or day >= start)
    ][:COMMENTS]
    return {
        "rows": table,
        "comments": comments if table else [],
        "may_rate": membership.is_guardian and allows(membership, RATE_AS_FAMILY, child=child),
    }
