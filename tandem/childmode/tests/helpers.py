"""Goals with GAS levels from signed sessions, for child-mode tests."""

import datetime

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.plans.models import Goal
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions


def goals_with_levels(
    child: Child, author: Membership, levels: dict[str, int | None], *, discipline: str = "ot"
) -> list[Goal]:
    """One goal per ``{child_words: latest GAS level}`` (None: no session yet), on one plan."""
    plan = make_plan(child, author, discipline=discipline)
    goals = []
    for position, (words, level) in enumerate(levels.items()):
        goal = make_goal(plan, child_words=words, position=position)
        goals.append(goal)
        if level is not None:
            start = datetime.date(2024, 2, 5)
            # An older session at another level: only the latest counts.
            record_sessions(
                author,
                child,
                [
                    (start, {goal: (10.0, -2)}),
                    (start + datetime.timedelta(days=7), {goal: (50.0, level)}),
                ],
            )
    return goals
