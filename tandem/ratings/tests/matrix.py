"""What the authorization matrix needs to know about the ratings routes.

The family's rating page is the child's guardians' only (any guardian, not only those
with legal authority); the team never rates as the family (the page is not there for
them: 404). The child's faces are in child mode (childmode's routes, walked there).
"""

from typing import TYPE_CHECKING

from .helpers import plan_with_goals

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {"ratings:rate": "guardian"}
READ_RULES = {"ratings:rate": "guardian"}


def populate(world: "World") -> None:
    """Goals to rate for each family, one rated already."""
    from .helpers import rate_on

    for child, author, guardian in (
        (world.child, world.therapist, world.guardian),
        (world.other_child, world.unassigned_therapist, world.other_guardian),
        (world.foreign_child, world.foreign_therapist, world.foreign_guardian),
    ):
        goals = plan_with_goals(child, author, count=2, discipline="slp")
        rate_on(guardian, goals[0], 1, goals[0].plan.start_date)
