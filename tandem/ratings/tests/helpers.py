"""A plan with goals in the family's words, for the ratings tests."""

import datetime
from typing import Any

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today
from tandem.plans.models import Goal
from tandem.progress.tests.helpers import make_goal, make_plan

from .. import actions
from ..models import GoalRating

LEVEL_TEXT = {
    "gas_minus_2": "Buttons none of the coat",
    "gas_minus_1": "Buttons 2 of 5 buttons with help",
    "gas_0": "Buttons all 5 buttons with a reminder",
    "gas_plus_1": "Buttons all 5 buttons on her own",
    "gas_plus_2": "Buttons coat and cardigan on her own",
}


def plan_with_goals(
    child: Child, author: Membership, count: int = 3, *, discipline: str = "ot", **fields: Any
) -> list[Goal]:
    """An active plan that started a year ago with ``count`` goals (weight 1 unless given)."""
    start = clinic_today() - datetime.timedelta(days=365)
    plan = make_plan(
        child,
        author,
        discipline=discipline,
        start_date=start,
        review_date=start + datetime.timedelta(400),
    )
    return [
        make_goal(
            plan,
            position=i,
            family_wording_en=f"Family words {i}",
            child_words=f"I can do thing {i}",
            gas_baseline=-1,
            **(LEVEL_TEXT | fields),
        )
        for i in range(count)
    ]


def rate_on(
    by: Membership,
    goal: Goal,
    level: int,
    day: datetime.date,
    *,
    rater: str = "family",
    comment: str = "",
) -> GoalRating:
    """A rating recorded on ``day`` (noon, the clinic's time)."""
    from tandem.core import clock

    at = clock.start_of(day) + datetime.timedelta(hours=12)
    return actions.rate(by, goal.child, goal, rater=rater, level=level, comment=comment, at=at)
