"""What the authorization matrix needs to know about the notes app's routes.

Every note the matrix visits is signed, so that families (who read signed notes)
may open it too; writes to it are then refused as conflicts (409), never 500.
"""

from typing import TYPE_CHECKING

from tandem.accounts.models import Role
from tandem.notes.models import NoteStatus, SessionNote
from tandem.notes.tests.helpers import make_note

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "notes:new": "editor",
    "notes:edit": "editor",
    "notes:sign": "editor",
    # The co-signer is the author's supervisor; editors may try (a state conflict), readers 403.
    "notes:cosign": "editor",
    "notes:addendum": "editor",
    # The supervisor sends an assistant's note back, the assistant signs off the correction;
    # as for co-signing, other editors meet a state conflict (409) and readers a 403.
    "notes:send_back": "editor",
    "notes:resubmit": "editor",
}

# The new-note form and the editor are there only for those who may write notes.
READ_RULES = {
    "notes:new": "editor",
    "notes:edit": "editor",
}

FILLERS = {
    "note_id": lambda child: (
        SessionNote.objects.filter(child=child, status=NoteStatus.SIGNED)
        .order_by("created_at")[0]
        .id
    ),
}


def populate(world: "World") -> None:
    """A signed note with goal data for each child the matrix visits."""
    for child, author in (
        (world.child, world.therapist),
        (world.other_child, world.unassigned_therapist),
        (world.foreign_child, world.foreign_therapist),
    ):
        make_note(child, author, sign=True)


# The API (paths relative to /api/v1/).
API_WRITE_RULES = {
    ("POST", "/children/{child_id}/notes"): "editor",
    ("PATCH", "/children/{child_id}/notes/{note_id}"): "editor",
    ("PUT", "/children/{child_id}/notes/{note_id}/goal-data/{goal_id}"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/goal-data/{goal_id}/typed"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/draft"): "editor",
    ("PUT", "/children/{child_id}/notes/{note_id}/abc-records"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/sign"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/cosign"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/addenda"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/send-back"): "editor",
    ("POST", "/children/{child_id}/notes/{note_id}/resubmit"): "editor",
}

# A therapist's queue of their assistants' notes to co-sign (empty for most).
API_COLLECTION_RULES = {("GET", "/notes/cosign-queue"): {Role.THERAPIST}}
