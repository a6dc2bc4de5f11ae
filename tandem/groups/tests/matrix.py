"""What the authorization matrices need to know about the groups app.

- The groups list, starting a group and a group's page are for admins, therapists and
  the front desk (billing and families find nothing there: 404); another clinic's group
  is not there (404). A group's page names only the children the member sees.
- A group session's note touches every child taking part: it opens for whoever may
  write a note for one of them ("editor"), and shows only those children.
- A child's groups page: everyone on the child's team, the office and the child's
  guardians read it; a legal guardian answers an invitation, and they, the office or an
  editor of the child take the child out.
"""

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "groups:session": "editor",
    "groups:family": "legal_guardian|editor",
}
READ_RULES = {"groups:session": "editor"}
OFFICE_RULES = {
    "groups:index": {"front_desk": "read"},
    "groups:new": {"front_desk": "write"},
    "groups:detail": {"front_desk": "write"},
    "groups:family": {"front_desk": "write"},
}


def _program(organization: Any) -> uuid.UUID:
    from tandem.groups.models import GroupProgram

    first = GroupProgram.objects.filter(organization=organization).order_by("created_at").first()
    assert first is not None
    return first.id


def _sessions(world: "World") -> list[Any]:
    from tandem.core.testing.matrix.rules import Touch
    from tandem.groups.models import GroupSession

    found = []
    for organization, children in (
        (world.org, (world.child, world.other_child)),
        (world.foreign_org, (world.foreign_child,)),
    ):
        first = (
            GroupSession.objects.filter(organization=organization)
            .order_by("encounter__starts_at")
            .first()
        )
        assert first is not None
        found.append(Touch(first.encounter_id, children))
    return found


ORG_FILLERS = {"program_id": lambda world: (_program(world.org), _program(world.foreign_org))}
OBJECT_FILLERS = {"encounter_id": _sessions}


def populate(world: "World") -> None:
    """A group in each clinic, its first session last week: Maya and Noah in this one."""
    from tandem.groups.tests.helpers import group_with

    now = timezone.now().replace(microsecond=0)
    starts = [now - datetime.timedelta(days=7, hours=3), now + datetime.timedelta(days=7)]
    group_with(world.therapist, starts, [world.child, world.other_child])
    group_with(world.foreign_therapist, starts, [world.foreign_child], name="Lakeside movers")


def _enrolment(child: Any) -> uuid.UUID:
    from tandem.groups.models import Enrolment

    first = Enrolment.objects.filter(child=child).order_by("created_at").first()
    assert first is not None, f"no group place for {child}"
    return first.id


FILLERS = {"enrolment_id": _enrolment}

# The API (paths relative to /api/v1/).
API_ORG_FILLERS = {"program_id": _program}
_STAFF = {"admin", "therapist", "front_desk"}
API_COLLECTION_RULES = {
    ("GET", "/groups"): _STAFF,
    ("POST", "/groups"): _STAFF,
    ("GET", "/groups/{program_id}"): _STAFF,
    ("GET", "/groups/{program_id}/candidates"): _STAFF,
    ("POST", "/groups/{program_id}/invitations"): _STAFF,
}
_S = "/group-sessions/{encounter_id}"
_C = "/children/{child_id}/groups"
API_READ_RULES = {("GET", _S): "editor"}
API_WRITE_RULES = {
    ("POST", _S): "editor",
    ("POST", f"{_C}/{{enrolment_id}}"): "legal_guardian|editor",
}
OFFICE_API_RULES = {
    ("GET", _C): {"front_desk"},
    ("POST", f"{_C}/{{enrolment_id}}"): {"front_desk"},
}
