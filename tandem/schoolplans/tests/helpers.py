"""School plans and goals for tests, built the way the actions build them."""

import datetime
from typing import Any

from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today
from tandem.schoolplans import actions
from tandem.schoolplans.models import SchoolPlan


def make_school_plan(
    child: Child,
    author: Any,
    *,
    kind: str = "iep",
    start: datetime.date | None = None,
    goals: int = 1,
    review_due: datetime.date | None = None,
) -> SchoolPlan:
    plan = actions.create_plan(
        author,
        child,
        kind=kind,
        provider="Lincoln Elementary",
        start_date=start or clinic_today() - datetime.timedelta(days=60),
        review_due=review_due,
        notes="",
    )
    for n in range(goals):
        actions.add_goal(
            plan, statement=f"School goal {n + 1}: reads 20 sight words.", area="Reading"
        )
    return plan
