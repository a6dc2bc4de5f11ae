"""What the authorization matrix needs to know about the home program's routes.

Assigning and editing activities is for editors; logging practice (and changing or
taking back one's own log) is for the child's guardians, on pages only they open;
observations are recorded by the child's guardians and by editors, on one page (its
words fit who opens it) and one API path. Adherence is a staff page: guardians find no
such page (404).
"""

import uuid
from typing import TYPE_CHECKING

from tandem.children.models import Child
from tandem.homeprogram import actions
from tandem.homeprogram.models import HomeActivity, PracticeLog

from .helpers import goal_of, log, make_activity, observe, png_bytes, upload

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "homeprogram:activity_new": "editor",
    "homeprogram:activity_edit": "editor",
    "homeprogram:activity_status": "editor",
    "homeprogram:log_new": "guardian",
    "homeprogram:log_update": "guardian",
    "homeprogram:log_undo": "guardian",
    "homeprogram:observation_new": "guardian|editor",
}

# Forms are there only for those who may use them.
READ_RULES = {
    "homeprogram:activity_new": "editor",
    "homeprogram:activity_edit": "editor",
    "homeprogram:observation_new": "guardian|editor",
}


def _first_activity(child: Child) -> uuid.UUID:
    activity = HomeActivity.objects.filter(child=child).first()
    assert activity is not None
    return activity.id


def _first_log(child: Child) -> uuid.UUID:
    entry = PracticeLog.objects.filter(child=child).first()
    assert entry is not None
    return entry.id


FILLERS = {"home_activity_id": _first_activity, "log_id": _first_log}


def populate(world: "World") -> None:
    """An activity with a picture, linked to a goal; a practice log and an observation."""
    for child, author, guardian in (
        (world.child, world.therapist, world.guardian),
        (world.other_child, world.unassigned_therapist, world.other_guardian),
        (world.foreign_child, world.foreign_therapist, world.foreign_guardian),
    ):
        goal = goal_of(child, author)
        activity = make_activity(child, author, goals=[goal])
        picture = upload("pegs.png", png_bytes())
        activity = actions.update_activity(activity, expected_version=1, handout=picture)
        log(activity, guardian, outcome="partly", barrier="no_time")
        observe(child, goal, guardian, setting="school")


# The API (paths relative to /api/v1/).
API_WRITE_RULES = {
    ("POST", "/children/{child_id}/home-activities"): "editor",
    ("PATCH", "/children/{child_id}/home-activities/{home_activity_id}"): "editor",
    ("POST", "/children/{child_id}/home-activities/{home_activity_id}/handout"): "editor",
    ("POST", "/children/{child_id}/practice-logs"): "guardian",
    ("PATCH", "/children/{child_id}/practice-logs/{log_id}"): "guardian",
    ("POST", "/children/{child_id}/observations"): "guardian|editor",
}

# Adherence is the team's tool: staff who may see the child.
API_READ_RULES = {("GET", "/children/{child_id}/adherence"): "staff"}

API_COLLECTION_RULES: dict[tuple[str, str], set[str]] = {}
