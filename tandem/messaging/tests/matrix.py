"""What the authorization matrix needs to know about the messaging app's routes.

The family and the team post to the conversation through one route: "guardian|staff"
(the child's guardians, anyone on the care team, or an admin). Hand-offs are
staff-only; the check-in schedule is for editors.
"""

from typing import TYPE_CHECKING

from tandem.messaging import actions
from tandem.messaging.tests.helpers import make_schedule, make_thread, sbar

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "messaging:post": "guardian|staff",
    "messaging:handoff_new": "staff",
    "messaging:checkin_schedule": "editor",
    "messaging:checkin": "guardian",
}

# The schedule form is there only for those who may change it.
READ_RULES = {"messaging:checkin_schedule": "editor"}

FILLERS = {
    "message_file_id": lambda child: child.message_attachments.first().id,
}


def populate(world: "World") -> None:
    """A conversation with a picture for each child the matrix visits; a timeline for one."""
    for child, guardian, therapist in (
        (world.child, world.guardian, world.therapist),
        (world.other_child, world.other_guardian, world.unassigned_therapist),
        (world.foreign_child, world.foreign_guardian, world.foreign_therapist),
    ):
        make_thread(child, guardian, therapist)
    make_schedule(world.child, world.therapist)
    actions.send_handoff(world.therapist, world.child, world.consulting_therapist, **sbar())
    actions.answer_checkin(world.guardian, world.child, hard="Mornings", wellbeing=2)


API_WRITE_RULES = {
    ("POST", "/children/{child_id}/messages"): "guardian|staff",
    ("POST", "/children/{child_id}/handoffs"): "staff",
    ("PUT", "/children/{child_id}/check-ins/schedule"): "editor",
    ("POST", "/children/{child_id}/check-ins/answers"): "guardian",
}

# Hand-offs and the family's check-in answers are for professionals only.
API_READ_RULES = {
    ("GET", "/children/{child_id}/handoffs"): "staff",
    ("GET", "/children/{child_id}/check-ins"): "staff",
}
