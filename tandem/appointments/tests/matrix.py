"""What the authorization matrices need to know about the appointments app.

The family page is for guardians, the week and a child's list for staff (guardians
find them not there: 404); booking and changing are for editors of the child.
"""

import datetime
import uuid
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from tandem.children.models import Child
    from tandem.conftest import World

WRITE_RULES = {
    "appointments:offer_times": "editor",
    "appointments:take_time": "guardian|editor",
    "appointments:new": "editor",
    "appointments:edit": "editor",
    "appointments:status": "editor",
}

# The booking forms are there only for those who may change the child's record.
READ_RULES = {
    "appointments:offer_times": "editor",
    "appointments:new": "editor",
    "appointments:edit": "editor",
}


def _appointment(child: "Child") -> uuid.UUID:
    from tandem.appointments.models import Appointment

    first = Appointment.objects.filter(child=child).order_by("encounter__starts_at").first()
    assert first is not None
    return first.id


def _offer(child: "Child") -> uuid.UUID:
    from tandem.appointments.models import TimeOffer

    first = TimeOffer.objects.filter(child=child).order_by("starts_at").first()
    assert first is not None
    return first.id


FILLERS = {"appointment_id": _appointment, "offer_id": _offer}


def populate(world: "World") -> None:
    """One appointment tomorrow and one last week for each child the matrix visits."""
    from tandem.appointments.models import TimeOffer
    from tandem.appointments.tests.helpers import make_appointment

    now = timezone.now().replace(microsecond=0)
    for child, therapist in (
        (world.child, world.therapist),
        (world.sibling, world.therapist),
        (world.other_child, world.unassigned_therapist),
        (world.foreign_child, world.foreign_therapist),
    ):
        for offset, status in ((-7, "attended"), (1, "scheduled")):
            make_appointment(
                child,
                therapist,
                now + datetime.timedelta(days=offset, minutes=7 * offset),
                status=status,
                note_for_family="Bring comfortable shoes",
            )
        # A time offered to the family, still open.
        TimeOffer.objects.create(
            organization_id=child.organization_id,
            child=child,
            starts_at=now + datetime.timedelta(days=3),
            therapist=therapist,
            discipline=therapist.discipline or "ot",
            offered_by=therapist,
        )


# The API (paths relative to /api/v1/).
_A = "/children/{child_id}/appointments"
_T = "/children/{child_id}/offered-times"
API_WRITE_RULES = {
    ("POST", _T): "editor",
    ("POST", f"{_T}/{{offer_id}}"): "guardian|editor",
    ("POST", _A): "editor",
    ("PATCH", f"{_A}/{{appointment_id}}"): "editor",
}
# /appointments is everyone's own list (a collaborator's is empty): GET for all roles.

# The front desk books and changes any child's appointments; billing reads the schedule
# and a child's appointments (what is charged) and changes none.
OFFICE_RULES = {
    "appointments:schedule": {"front_desk": "read", "billing": "read"},
    "appointments:child": {"front_desk": "read", "billing": "read"},
    "appointments:new": {"front_desk": "write", "billing": "read"},
    "appointments:offer_times": {"front_desk": "write", "billing": "read"},
    "appointments:take_time": {"front_desk": "write", "billing": "read"},
    "appointments:ics": {"front_desk": "read", "billing": "read"},
    "appointments:calendar": {"front_desk": "write", "billing": "write"},
    "appointments:hours": {"front_desk": "write"},
    "appointments:edit": {"front_desk": "write", "billing": "read"},
    "appointments:status": {"front_desk": "write", "billing": "read"},
}

OFFICE_API_RULES = {
    ("GET", _T): {"front_desk", "billing"},
    ("POST", _T): {"front_desk"},
    ("POST", f"{_T}/{{offer_id}}"): {"front_desk"},
    ("GET", _A): {"front_desk", "billing"},
    ("GET", f"{_A}/{{appointment_id}}"): {"front_desk", "billing"},
    ("POST", _A): {"front_desk"},
    ("PATCH", f"{_A}/{{appointment_id}}"): {"front_desk"},
}
