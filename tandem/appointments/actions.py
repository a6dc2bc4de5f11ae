"""Booking, changing and cancelling appointments. Each runs in one transaction.

Booking an appointment books a session (encounter) with the child taking part; the
session's fields (time, length, service, place, room, therapists) are changed through
the appointment while the child is its only participant.

The rules live here, shared by the pages and the API:

- the appointment ends on the day it starts (clinic time): nothing runs past midnight;
- a new appointment is not booked in the past, unless it is recorded as attended;
- an appointment is marked attended or missed only once it has started;
- a therapist is not booked twice at once (two group sessions may share a slot), nor a
  room, nor a child; the refusal names the clash;
- the therapists are active members of the child's care team, two different people;
- a video session gets an unguessable room name of its own.
"""

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, Child
from tandem.core.access import Conflict

from .availability import unavailable
from .clashes import Interval, clash_with
from .models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Appointment,
    AppointmentStatus,
    Encounter,
    Location,
    Room,
    video_room_id,
)

# The session's fields, and the child's own.
SESSION_FIELDS = (
    "therapist",
    "co_therapist",
    "room",
    "starts_at",
    "duration_minutes",
    "service_type",
    "discipline",
    "location",
)
PARTICIPANT_FIELDS = ("status", "note_for_family", "cancel_reason")
EDITABLE_FIELDS = SESSION_FIELDS + PARTICIPANT_FIELDS


def clinic_zone(organization: Any) -> ZoneInfo:
    return ZoneInfo(organization.timezone)


def in_clinic_time(value: datetime, organization: Any) -> datetime:
    """Read a naive date and time as the clinic's local time; keep an aware one."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, clinic_zone(organization))
    return value


@transaction.atomic
def book(by: Membership, child: Child, *, at: datetime | None = None, **fields: Any) -> Appointment:
    """Book a session with this child taking part (a child the member may edit)."""
    encounter = Encounter(organization_id=child.organization_id, created_by=by)
    appointment = Appointment(
        organization_id=child.organization_id, child=child, created_by=by, encounter=encounter
    )
    _apply(appointment, fields)
    if not encounter.discipline and encounter.therapist_id:
        encounter.discipline = encounter.therapist.discipline or "other"
    _check(appointment, previous=None, now=at)
    _name_video_room(encounter)
    encounter.save(at=at)
    appointment.encounter = encounter
    appointment.save(at=at)
    return appointment


@transaction.atomic
def update_appointment(
    appointment: Appointment,
    *,
    expected_version: int,
    at: datetime | None = None,
    by: Membership | None = None,
    **changes: Any,
) -> Appointment:
    """Save changes made to ``expected_version`` of the appointment, or raise Conflict.
    A cancellation records ``by`` (who cancelled), when, and whether it was late.

    Changes to the session (time, place, therapists…) are refused while other children
    take part in it: a group's session is changed for the whole group."""
    current = _locked(appointment)
    if current.version != expected_version:
        raise Conflict(current.version)
    encounter = current.encounter
    previous = snapshot(current)
    session_before = {name: getattr(encounter, _column(name)) for name in SESSION_FIELDS}
    _apply(current, changes)
    if current.status != AppointmentStatus.CANCELLED:
        current.cancel_reason = ""
    session_changed = any(
        getattr(encounter, _column(name)) != before for name, before in session_before.items()
    )
    if session_changed and _others_take_part(current):
        raise ValidationError(
            {
                "starts_at": [
                    _(
                        "Other children take part in this session: change the session "
                        "for the whole group, or cancel this child's place."
                    )
                ]
            }
        )
    _check(current, previous=previous, now=at)
    record_cancellation(current, previous.status, by=by, at=at)
    booked_again = (
        previous.status != AppointmentStatus.SCHEDULED
        and current.status == AppointmentStatus.SCHEDULED
    )
    if booked_again or previous.starts_at != current.starts_at:
        # A new time (or booked again): the family is reminded of it and confirms it anew.
        current.reminded_at, current.confirmed_at = None, None
    if session_changed:
        _name_video_room(encounter)
        encounter.version += 1
        encounter.save(at=at)
    current.version = expected_version + 1
    current.save(at=at)
    return current


def set_status(
    appointment: Appointment,
    *,
    expected_version: int,
    status: str,
    reason: str = "",
    at: datetime | None = None,
    by: Membership | None = None,
) -> Appointment:
    """Cancel an appointment (with a reason for the family), or record how it went."""
    changes: dict[str, Any] = {"status": status}
    if status == AppointmentStatus.CANCELLED:
        changes["cancel_reason"] = reason
    return update_appointment(
        appointment, expected_version=expected_version, at=at, by=by, **changes
    )


def _only_cancelling(appointment: Appointment, previous: Appointment | None) -> bool:
    """The change cancels a booked appointment and changes nothing of its session."""
    if previous is None or appointment.status != AppointmentStatus.CANCELLED:
        return False
    if previous.status == AppointmentStatus.CANCELLED:
        return False
    before, now = previous.encounter, appointment.encounter
    kept = ("starts_at", "duration_minutes", "therapist_id", "co_therapist_id", "room_id")
    return all(getattr(before, name) == getattr(now, name) for name in kept)


def record_cancellation(
    appointment: Appointment, was: str, *, by: Membership | None, at: datetime | None = None
) -> None:
    """On cancelling, note who and when, and whether it came within the clinic's
    late-cancellation window (``Organization.late_cancel_hours``) before the start;
    booked again, forget it."""
    if appointment.status == AppointmentStatus.CANCELLED and was != AppointmentStatus.CANCELLED:
        moment = at or timezone.now()
        window = timedelta(hours=appointment.child.organization.late_cancel_hours)
        appointment.cancelled_by = by
        appointment.cancelled_at = moment
        appointment.late_cancel = appointment.encounter.starts_at - moment < window
    elif appointment.status != AppointmentStatus.CANCELLED:
        appointment.cancelled_by, appointment.cancelled_at = None, None
        appointment.late_cancel = False


def record_unbooked_session(
    by: Membership,
    child: Child,
    *,
    starts_at: datetime,
    minutes: int,
    service_type: str,
    location: str,
    at: datetime | None = None,
) -> Encounter:
    """A session that happened without a booking (a note written for it): the session,
    by the member, with the child's attendance recorded. Not checked for clashes: it
    records what happened. A naive ``starts_at`` is clinic time."""
    encounter = Encounter(
        organization_id=child.organization_id,
        starts_at=in_clinic_time(starts_at, child.organization),
        duration_minutes=min(max(minutes, MIN_MINUTES), MAX_MINUTES),
        service_type=service_type,
        discipline=by.discipline or "other",
        location=location,
        therapist=by,
        created_by=by,
    )
    _name_video_room(encounter)
    encounter.save(at=at)
    Appointment(
        organization_id=child.organization_id,
        encounter=encounter,
        child=child,
        status=AppointmentStatus.ATTENDED,
        created_by=by,
    ).save(at=at)
    return encounter


def snapshot(appointment: Appointment) -> Appointment:
    """The appointment as it stands, unsaved: what ``_check`` compares a change with."""
    encounter = appointment.encounter
    before = Appointment(status=appointment.status)
    before.encounter = Encounter(
        starts_at=encounter.starts_at,
        duration_minutes=encounter.duration_minutes,
        therapist_id=encounter.therapist_id,
        co_therapist_id=encounter.co_therapist_id,
        room_id=encounter.room_id,
    )
    return before


def _locked(appointment: Appointment) -> Appointment:
    current = Appointment.objects.select_for_update().get(
        pk=appointment.pk, organization_id=appointment.organization_id
    )
    current.encounter = (
        Encounter.objects.select_for_update(of=("self",))
        .select_related("therapist__user", "co_therapist__user", "room")
        .get(pk=current.encounter_id, organization_id=appointment.organization_id)
    )
    current.child = appointment.child
    return current


def _column(name: str) -> str:
    return f"{name}_id" if name in ("therapist", "co_therapist", "room") else name


def _apply(appointment: Appointment, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not a field of an appointment")
        if name == "starts_at" and isinstance(value, datetime):
            value = in_clinic_time(value, appointment.child.organization)
        target = appointment.encounter if name in SESSION_FIELDS else appointment
        setattr(target, name, value)


def _name_video_room(encounter: Encounter) -> None:
    """A video session has a room name of its own; another place has none."""
    if encounter.location == Location.TELETHERAPY:
        encounter.video_room = encounter.video_room or video_room_id()
    else:
        encounter.video_room = ""


def _others_take_part(appointment: Appointment) -> bool:
    return (
        Appointment.objects.filter(
            organization_id=appointment.organization_id, encounter_id=appointment.encounter_id
        )
        .exclude(pk=appointment.pk)
        .exists()
    )


def _check(
    appointment: Appointment,
    *,
    previous: Appointment | None,
    now: datetime | None = None,
    also: Sequence[Interval] = (),
    moving: Collection[Any] = (),
) -> None:
    """Validate the fields, then the scheduling rules (as of ``now``, default: now);
    raise ValidationError by field."""
    encounter = appointment.encounter
    try:
        encounter.full_clean(
            exclude=["organization", "therapist", "co_therapist", "room", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        session_problems = exc.message_dict
    else:
        session_problems = {}
    try:
        appointment.full_clean(
            exclude=["organization", "encounter", "child", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise ValidationError({**session_problems, **exc.message_dict}) from exc
    if session_problems:
        raise ValidationError(session_problems)
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    # Cancelling (and nothing else): none of the booking rules apply — a family cancels
    # even if the therapist has since left the team or their hours changed.
    if _only_cancelling(appointment, previous):
        return
    if not _is_bookable(appointment, encounter.therapist_id):
        problem("therapist", _("Choose a therapist on this child's care team."))
    if encounter.co_therapist_id:
        if encounter.co_therapist_id == encounter.therapist_id:
            problem("co_therapist", _("Choose two different therapists, or only one."))
        elif not _is_bookable(appointment, encounter.co_therapist_id):
            problem("co_therapist", _("Choose a second therapist on this child's care team."))
    room_changed = previous is None or previous.encounter.room_id != encounter.room_id
    if (
        encounter.room_id
        and room_changed
        and not Room.objects.filter(
            organization_id=appointment.organization_id, pk=encounter.room_id, is_active=True
        ).exists()
    ):
        problem("room", _("Choose one of the clinic's rooms."))
    organization = appointment.child.organization
    zone = clinic_zone(organization)
    start = appointment.starts_at.astimezone(zone)
    end = appointment.ends_at.astimezone(zone)
    if _past_midnight(start, end) or any(
        _past_midnight(s.astimezone(zone), e.astimezone(zone)) for s, e in also
    ):
        problem(
            "duration_minutes",
            _(
                "An appointment must end by midnight on the day it starts: this one would "
                "end at %(end)s the next day. Choose an earlier time or a shorter length."
            )
            % {"end": time_format(end.time(), "H:i")},
        )
    now = now or timezone.now()
    status = appointment.status
    moved = previous is None or previous.starts_at != appointment.starts_at
    before = previous.encounter if previous is not None else None
    if previous is None and appointment.starts_at < now and status != AppointmentStatus.ATTENDED:
        problem(
            "starts_at",
            _(
                "This time has already passed. To record an appointment that already "
                "happened, mark it as attended."
            ),
        )
    elif (
        previous is not None
        and moved
        and status == AppointmentStatus.SCHEDULED
        and appointment.starts_at < now
    ):
        problem("starts_at", _("An appointment cannot be moved to a time that has passed."))
    if (
        previous is not None
        and previous.status != status
        and status == AppointmentStatus.SCHEDULED
        and appointment.starts_at < now
    ):
        problem("status", _("This appointment has already started, so it cannot be booked again."))
    if status in (AppointmentStatus.ATTENDED, AppointmentStatus.MISSED) and (
        appointment.starts_at > now
    ):
        problem(
            "status",
            _("An appointment can be marked attended or missed only once it has started."),
        )
    rescheduled = before is None or (
        moved
        or before.duration_minutes != encounter.duration_minutes
        or before.therapist_id != encounter.therapist_id
        or before.co_therapist_id != encounter.co_therapist_id
        or before.room_id != encounter.room_id
        or (previous is not None and previous.status != status)
    )
    if rescheduled and status != AppointmentStatus.CANCELLED and not problems:
        clash = clash_with(appointment, zone, also=also, moving=moving)
        if clash is not None:
            problem("starts_at", clash)
    # Working hours and time off bind sessions still to come whose time or therapists
    # are being set: recording how a past session went, or a status, never trips on them.
    retimed = before is None or (
        moved
        or before.duration_minutes != encounter.duration_minutes
        or before.therapist_id != encounter.therapist_id
        or before.co_therapist_id != encounter.co_therapist_id
    )
    if (
        retimed
        and status == AppointmentStatus.SCHEDULED
        and appointment.starts_at >= now
        and not problems
    ):
        intervals = [(appointment.starts_at, appointment.ends_at), *also]
        if reason := unavailable(
            appointment.organization_id, encounter.therapists(), intervals, zone
        ):
            problem("starts_at", reason)
    if problems:
        raise ValidationError(problems)


def _is_bookable(appointment: Appointment, therapist_id: Any) -> bool:
    if not therapist_id:
        return False
    return CareTeamMember.objects.filter(
        organization_id=appointment.organization_id,
        child_id=appointment.child_id,
        therapist_id=therapist_id,
        therapist__organization_id=appointment.organization_id,
        therapist__role=Role.THERAPIST,
        therapist__is_active=True,
    ).exists()


def _past_midnight(start: datetime, end: datetime) -> bool:
    return end.date() != start.date() and end.time() != datetime.min.time()


@transaction.atomic
def confirm(appointment: Appointment, *, at: datetime | None = None) -> Appointment:
    """The family says they are coming (from the reminder's link); once is enough."""
    current = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("encounter")
        .get(organization_id=appointment.organization_id, pk=appointment.pk)
    )
    moment = at or timezone.now()
    if current.status != AppointmentStatus.SCHEDULED or current.encounter.starts_at <= moment:
        raise ValidationError(_("This session can no longer be changed here."))
    if current.confirmed_at is None:
        current.confirmed_at = moment
        current.version += 1
        current.save()
    return current


@transaction.atomic
def drop_unused_session(encounter: Encounter) -> bool:
    """Delete a session no child ever took part in (a closed group's session still to
    come): it leaves the calendar. One a record points at (a note) stays. Return whether
    it was deleted."""
    if Appointment.objects.filter(
        organization_id=encounter.organization_id, encounter=encounter
    ).exists():
        return False
    try:
        with transaction.atomic():
            encounter.delete()  # Django's delete reads the rows pointing at it, by its id
    except ProtectedError:
        return False
    return True
