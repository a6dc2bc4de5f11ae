"""What the authorization matrix needs to know about the progress app's routes.

Every progress route is a GET that anyone who may see the child may open (guardians
get the family register), so there are no write or read rules. ``populate`` gives each
child a plan, a goal and a signed session with data, unless the plans app's matrix
already made a goal for it.
"""

import datetime
from typing import TYPE_CHECKING

from tandem.notes.models import GoalData, SessionNote
from tandem.plans.models import Goal

from .helpers import make_goal, make_plan, record_sessions

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES: dict[str, str] = {}
READ_RULES: dict[str, str] = {}
# The school summary is the family's to share: a teacher opens it while a guardian's
# consent shares the goals and progress summary with them.
CONSENT_RULES = {
    "progress:school_summary": "summary",
    "progress:school_summary_pdf": "summary",
}

FILLERS = {
    # Robust whichever app's populate ran: any goal of the child will do.
    "goal_id": lambda child: Goal.objects.filter(child=child)[0].id,
}


def populate(world: "World") -> None:
    authors = {
        world.child: world.therapist,
        world.other_child: world.unassigned_therapist,
        world.foreign_child: world.foreign_therapist,
    }
    for child, author in authors.items():
        goal = Goal.objects.filter(child=child).select_related("plan").first()
        if goal is None:
            goal = make_goal(make_plan(child, author))
        has_data = GoalData.objects.filter(goal=goal, note__status="signed").exists()
        if not has_data:
            day = datetime.date(2024, 2, 5)
            record_sessions(author, child, [(day, {goal: (40.0, -1)})])
        assert SessionNote.objects.filter(child=child).exists()
