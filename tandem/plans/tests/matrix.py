"""What the authorization matrix needs to know about the plans app's routes."""

from typing import TYPE_CHECKING

from tandem.accounts.models import Role
from tandem.plans.tests.helpers import make_copm, make_plan

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "plans:new": "editor",
    "plans:edit": "editor",
    "plans:status": "editor",
    "plans:goal_new": "editor",
    "plans:goal_edit": "editor",
    "plans:goal_status": "editor",
    "plans:copm_new": "editor",
    "plans:copm_edit": "editor",
    "plans:sign": "guardian",
}

# Forms and the goal-bank picker are there only for those who may change the plan.
READ_RULES = {
    "plans:new": "editor",
    "plans:edit": "editor",
    "plans:goal_new": "editor",
    "plans:goal_bank_pick": "editor",
    "plans:goal_edit": "editor",
    "plans:copm_new": "editor",
    "plans:copm_edit": "editor",
}

FILLERS = {
    "plan_id": lambda child: child.plans.first().id,
    "goal_id": lambda child: child.goals.first().id,
    "activity_id": lambda child: child.copm_activities.first().id,
}


def populate(world: "World") -> None:
    """An active plan with one goal and one COPM activity for each child the matrix visits."""
    for child, author in (
        (world.child, world.therapist),
        (world.other_child, world.unassigned_therapist),
        (world.foreign_child, world.foreign_therapist),
    ):
        make_copm(make_plan(child, author))


# The API (paths relative to /api/v1/): child-scoped writes, and the goal bank (staff).
API_WRITE_RULES = {
    ("POST", "/children/{child_id}/plans"): "editor",
    ("PATCH", "/children/{child_id}/plans/{plan_id}"): "editor",
    ("POST", "/children/{child_id}/goals"): "editor",
    ("PATCH", "/children/{child_id}/goals/{goal_id}"): "editor",
    ("POST", "/children/{child_id}/plans/{plan_id}/copm"): "editor",
    ("PATCH", "/children/{child_id}/copm/{activity_id}"): "editor",
    ("POST", "/children/{child_id}/plans/{plan_id}/signatures"): "guardian",
}

API_COLLECTION_RULES = {("GET", "/goal-bank"): {Role.ADMIN, Role.THERAPIST}}
