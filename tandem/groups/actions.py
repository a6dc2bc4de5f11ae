"""Starting a group, inviting children, a family's answer, and the group session note.

Each action runs in one transaction and raises ``ValidationError`` (by field) with
words the person can act on; nothing is saved when one part is refused.

- A group meets weekly from its first session (an RFC 5545 rule); each meeting is an
  encounter of the group service, booked when the group starts, with its leaders as the
  therapists and its room. Its leaders must be free then (other sessions, working hours,
  time off) and the room too: the refusal names the clash.
- Inviting, the family's answer and leaving are in ``enrolments.py``; the group note
  (``record``: attendance, then for each child present a short note and data for their
  goals in the group's domains, each child's part their own session note) in
  ``session_note.py``. Both are re-exported here.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.appointments import actions as booking
from tandem.appointments.access import room_bookings, therapist_bookings
from tandem.appointments.availability import unavailable
from tandem.appointments.models import (
    MAX_MINUTES,
    Encounter,
    Location,
    Room,
    ServiceType,
)
from tandem.appointments.series import starts, weekly
from tandem.plans.models import Domain

from .enrolments import (
    _when,
    age_fits,
    answer,
    close_program,
    invite,
    leave,
    places_taken,
    upcoming_sessions,
)
from .models import (
    GroupProgram,
    GroupSession,
)
from .session_note import ATTENDANCE, documentable, linked_goals, record, sees_a_child

MAX_WEEKS = 26
PROGRAM_FIELDS = (
    "name",
    "kind",
    "discipline",
    "description",
    "min_age_months",
    "max_age_months",
    "min_size",
    "max_size",
    "target_domains",
    "duration_minutes",
)


def _problems(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Starting a group -------------------------------------------------------------


@transaction.atomic
def create_program(
    by: Membership,
    *,
    leader: Membership,
    co_leader: Membership | None,
    room: Room | None,
    starts_at: datetime.datetime,
    weeks: int,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> GroupProgram:
    """Start a group and book its weekly sessions."""
    organization = by.organization
    program = GroupProgram(
        organization_id=by.organization_id,
        leader=leader,
        co_leader=co_leader,
        room=room,
        created_by=by,
        starts_at=booking.in_clinic_time(starts_at, organization),
    )
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name not in PROGRAM_FIELDS:
            raise ValueError(f"{name} is not a field of a group")
        setattr(program, name, value)
    try:
        program.full_clean(
            exclude=["organization", "leader", "co_leader", "room", "created_by", "rule"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    _check_program(program, errors)
    if not 1 <= weeks <= MAX_WEEKS:
        errors.setdefault("weeks", []).append(
            _("A group meets for 1 to %(n)d weeks.") % {"n": MAX_WEEKS}
        )
    _problems(errors)
    program.rule = weekly(1, weeks)
    zone = booking.clinic_zone(organization)
    times = starts(program.rule, program.starts_at, zone)
    minutes = datetime.timedelta(minutes=program.duration_minutes)
    intervals = [(start, start + minutes) for start in times]
    if program.starts_at < (at or timezone.now()):
        errors.setdefault("starts_at", []).append(_("The first session must be in the future."))
    elif reason := _clash(program, intervals, zone):
        errors.setdefault("starts_at", []).append(reason)
    _problems(errors)
    program.save(at=at)
    for start in times:
        encounter = Encounter(
            organization_id=program.organization_id,
            starts_at=start,
            duration_minutes=program.duration_minutes,
            service_type=ServiceType.GROUP,
            discipline=program.discipline,
            location=Location.CLINIC,
            room=room,
            therapist=leader,
            co_therapist=co_leader,
            created_by=by,
        )
        encounter.save(at=at)
        GroupSession(
            organization_id=program.organization_id, program=program, encounter=encounter
        ).save(at=at)
    return program


def _check_program(program: GroupProgram, errors: dict[str, list[str]]) -> None:
    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, person in (("leader", program.leader), ("co_leader", program.co_leader)):
        if person is None:
            continue
        if (
            person.organization_id != program.organization_id
            or person.role != Role.THERAPIST
            or not person.is_active
        ):
            problem(field, _("Choose one of the clinic's therapists."))
    if program.co_leader_id and program.co_leader_id == program.leader_id:
        problem("co_leader", _("Choose two different leaders, or only one."))
    if program.room is not None and (
        program.room.organization_id != program.organization_id or not program.room.is_active
    ):
        problem("room", _("Choose one of the clinic's rooms."))
    domains = program.target_domains
    if not isinstance(domains, list) or not domains:
        problem("target_domains", _("Choose at least one domain the group works on."))
    elif any(d not in Domain.values for d in domains):
        problem("target_domains", _("Choose domains from the list."))
    if (
        program.min_age_months is not None
        and program.max_age_months is not None
        and program.min_age_months > program.max_age_months
    ):
        problem("max_age_months", _("The oldest age must be at least the youngest age."))
    if (
        program.min_size is not None
        and program.max_size is not None
        and program.min_size > program.max_size
    ):
        problem("max_size", _("The most children must be at least the fewest."))


def _clash(
    program: GroupProgram, intervals: list[tuple[datetime.datetime, datetime.datetime]], zone: Any
) -> str | None:
    """Why the leaders or the room cannot take these sessions, or None (one query each)."""
    start, end = intervals[0][0], intervals[-1][1]
    earliest = start - datetime.timedelta(minutes=MAX_MINUTES)
    leaders = [p for p in (program.leader, program.co_leader) if p is not None]
    for first, last in intervals:
        local_start, local_end = first.astimezone(zone), last.astimezone(zone)
        if local_end.date() != local_start.date() and local_end.time() != datetime.time(0):
            return _("A group session must end by midnight on the day it starts.")

    def overlapping(found: Iterable[Encounter]) -> Encounter | None:
        return next(
            (
                other
                for other in found
                if any(other.starts_at < e and other.ends_at > s for s, e in intervals)
            ),
            None,
        )

    busy = overlapping(
        therapist_bookings(program.organization_id, [p.pk for p in leaders], earliest, end)
    )
    if busy is not None:
        who = busy.therapist if busy.therapist_id in program.leader_ids() else busy.co_therapist
        return _(
            "%(therapist)s already has a session from %(start)s to %(end)s on %(day)s. "
            "Choose another time or another leader."
        ) % {"therapist": who.display_name if who else "", **_when(busy, zone)}
    if program.room is not None:
        taken = overlapping(room_bookings(program.organization_id, program.room.pk, earliest, end))
        if taken is not None:
            return _(
                "%(room)s is booked from %(start)s to %(end)s on %(day)s. "
                "Choose another room or another time."
            ) % {"room": program.room.name, **_when(taken, zone)}
    return unavailable(program.organization_id, leaders, intervals, zone)


# The group's other actions, where callers find them with these (``actions.invite``).
__all__ = [
    "ATTENDANCE",
    "MAX_WEEKS",
    "age_fits",
    "answer",
    "close_program",
    "create_program",
    "documentable",
    "invite",
    "leave",
    "linked_goals",
    "places_taken",
    "record",
    "sees_a_child",
    "upcoming_sessions",
]
