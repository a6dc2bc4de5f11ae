"""What the authorization matrix needs to know about the school-plans app's routes."""

from typing import TYPE_CHECKING

from tandem.schoolplans.tests.helpers import make_school_plan

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "schoolplans:new": "editor",
    "schoolplans:edit": "editor",
    "schoolplans:end": "editor",
    "schoolplans:goal_new": "editor",
    "schoolplans:goal_edit": "editor",
}

# The forms are there only for those who may change the plans.
READ_RULES = {
    "schoolplans:new": "editor",
    "schoolplans:edit": "editor",
    "schoolplans:goal_new": "editor",
    "schoolplans:goal_edit": "editor",
}

# A teacher reads the school plans while the family's consent shares the summary.
CONSENT_RULES = {"schoolplans:index": "summary"}

FILLERS = {
    "school_plan_id": lambda child: child.school_plans.first().id,
    "school_goal_id": lambda child: child.school_goals.first().id,
}


def populate(world: "World") -> None:
    for child, author in (
        (world.child, world.therapist),
        (world.other_child, world.unassigned_therapist),
        (world.foreign_child, world.foreign_therapist),
    ):
        make_school_plan(child, author)


# The API (paths relative to /api/v1/): editors enter plans and goals.
API_WRITE_RULES = {
    ("POST", "/children/{child_id}/school-plans"): "editor",
    ("POST", "/children/{child_id}/school-plans/{school_plan_id}/goals"): "editor",
}
API_CONSENT_RULES = {("GET", "/children/{child_id}/school-plans"): "summary"}
