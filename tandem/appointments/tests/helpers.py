"""Appointments for tests, at clinic-local times, written straight through the ORM."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment, Encounter
from tandem.children.models import Child
from tandem.core import clock


def clinic_time(child: Child, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime at a local time of the child's clinic."""
    zone = ZoneInfo(child.organization.timezone)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)), zone)


def clinic_today(child: Child) -> datetime.date:
    return clock.today_for(child.organization)


def in_days(child: Child, days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return clinic_time(child, clinic_today(child) + datetime.timedelta(days=days), hour, minute)


SESSION_FIELDS = {
    "duration_minutes",
    "discipline",
    "service_type",
    "location",
    "room",
    "co_therapist",
    "video_room",
}


def make_appointment(
    child: Child, therapist: Membership, starts_at: datetime.datetime, **fields: Any
) -> Appointment:
    """A session with this child taking part (``fields``: the session's and the child's)."""
    values = {
        "duration_minutes": 45,
        "discipline": therapist.discipline or "ot",
        "service_type": "individual",
        "location": "clinic",
        "status": "scheduled",
    } | fields
    encounter = Encounter.objects.create(
        organization_id=child.organization_id,
        therapist=therapist,
        starts_at=starts_at,
        **{k: v for k, v in values.items() if k in SESSION_FIELDS},
    )
    return Appointment.objects.create(
        organization_id=child.organization_id,
        encounter=encounter,
        child=child,
        **{k: v for k, v in values.items() if k not in SESSION_FIELDS},
    )


def session_of(
    child: Child, therapist: Membership, day: datetime.date, hour: int = 9, minutes: int = 45
) -> Encounter:
    """An attended session of the child with the therapist (for a note written straight
    through the ORM)."""
    appointment = make_appointment(
        child, therapist, clinic_time(child, day, hour), duration_minutes=minutes, status="attended"
    )
    return appointment.encounter


def form_data(therapist: Membership, when: datetime.datetime, **changes: Any) -> dict[str, Any]:
    """What the booking form posts for a start time (given in clinic time)."""
    local = timezone.localtime(when, ZoneInfo(therapist.organization.timezone))
    data = {
        "therapist": str(therapist.id),
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "duration_minutes": "45",
        "service_type": "individual",
        "discipline": "",
        "location": "clinic",
        "status": "scheduled",
        "note_for_family": "",
    }
    data.update({k: str(v) for k, v in changes.items()})
    return data
