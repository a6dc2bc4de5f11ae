"""Booking, changing and cancelling appointments. Each runs in one transaction.

The rules live here, shared by the pages and the API:

- the appointment ends on the day it starts (clinic time): nothing runs past midnight;
- a new appointment is not booked in the past, unless it is recorded as attended;
- an appointment is marked attended or missed only once it has started;
- a therapist is not booked twice at once (two group sessions may share a slot);
- the therapist is an active member of the child's care team.
"""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember, Child
from tandem.core.access import Conflict

from .access import therapist_bookings
from .models import MAX_MINUTES, Appointment, AppointmentStatus, ServiceType

EDITABLE_FIELDS = (
    "therapist",
    "starts_at",
    "duration_minutes",
    "service_type",
    "discipline",
    "location",
    "status",
    "note_for_family",
    "cancel_reason",
)


def clinic_zone(organization: Any) -> ZoneInfo:
    return ZoneInfo(organization.timezone)


def in_clinic_time(value: datetime, organization: Any) -> datetime:
    """Read a naive date and time as the clinic's local time; keep an aware one."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, clinic_zone(organization))
    return value


@transaction.atomic
def book(by: Membership, child: Child, *, at: datetime | None = None, **fields: Any) -> Appointment:
    """Book an appointment for a child the member may edit."""
    appointment = Appointment(organization_id=child.organization_id, child=child, created_by=by)
    _apply(appointment, fields)
    if not appointment.discipline and appointment.therapist_id:
        appointment.discipline = appointment.therapist.discipline or "other"
    _check(appointment, previous=None, now=at)
    appointment.save(at=at)
    return appointment


@transaction.atomic
def update_appointment(
    appointment: Appointment,
    *,
    expected_version: int,
    at: datetime | None = None,
    **changes: Any,
) -> Appointment:
    """Save changes made to ``expected_version`` of the appointment, or raise Conflict."""
    current = _locked(appointment)
    if current.version != expected_version:
        raise Conflict(current.version)
    previous = Appointment(
        starts_at=current.starts_at,
        duration_minutes=current.duration_minutes,
        status=current.status,
        therapist_id=current.therapist_id,
    )
    _apply(current, changes)
    if current.status != AppointmentStatus.CANCELLED:
        current.cancel_reason = ""
    _check(current, previous=previous, now=at)
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
) -> Appointment:
    """Cancel an appointment (with a reason for the family), or record how it went."""
    changes: dict[str, Any] = {"status": status}
    if status == AppointmentStatus.CANCELLED:
        changes["cancel_reason"] = reason
    return update_appointment(appointment, expected_version=expected_version, at=at, **changes)


def _locked(appointment: Appointment) -> Appointment:
    current = (
        Appointment.objects.select_for_update()
        .select_related("therapist__user")
        .get(pk=appointment.pk, organization_id=appointment.organization_id)
    )
    current.child = appointment.child
    return current


def _apply(appointment: Appointment, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not a field of an appointment")
        if name == "starts_at" and isinstance(value, datetime):
            value = in_clinic_time(value, appointment.child.organization)
        setattr(appointment, name, value)


def _check(
    appointment: Appointment, *, previous: Appointment | None, now: datetime | None = None
) -> None:
    """Validate the fields, then the scheduling rules (as of ``now``, default: now);
    raise ValidationError by field."""
    appointment.full_clean(
        exclude=["organization", "child", "therapist", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not _is_bookable(appointment):
        problem("therapist", _("Choose a therapist on this child's care team."))
    organization = appointment.child.organization
    zone = clinic_zone(organization)
    start = appointment.starts_at.astimezone(zone)
    end = appointment.ends_at.astimezone(zone)
    if end.date() != start.date() and end.time() != datetime.min.time():
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
    rescheduled = previous is None or (
        moved
        or previous.duration_minutes != appointment.duration_minutes
        or previous.therapist_id != appointment.therapist_id
        or previous.status != status
    )
    if rescheduled and status != AppointmentStatus.CANCELLED and "therapist" not in problems:
        clash = _clash(appointment)
        if clash is not None:
            problem("starts_at", _clash_message(appointment, clash, zone))
    if problems:
        raise ValidationError(problems)


def _is_bookable(appointment: Appointment) -> bool:
    therapist = appointment.therapist if appointment.therapist_id else None
    if therapist is None or therapist.organization_id != appointment.organization_id:
        return False
    if therapist.role != Role.THERAPIST or not therapist.is_active:
        return False
    return CareTeamMember.objects.filter(
        organization_id=appointment.organization_id,
        child_id=appointment.child_id,
        therapist_id=therapist.id,
    ).exists()


def _clash(appointment: Appointment) -> Appointment | None:
    """Another appointment of the same therapist overlapping this one, if any.

    The therapist's row is locked first, so two bookings of the same therapist made at
    the same moment are checked one after the other (PostgreSQL).
    """
    Membership.objects.select_for_update().filter(
        pk=appointment.therapist_id, organization_id=appointment.organization_id
    ).first()
    earliest = appointment.starts_at - timedelta(minutes=MAX_MINUTES)
    nearby = therapist_bookings(
        appointment.organization_id, appointment.therapist_id, earliest, appointment.ends_at
    ).exclude(pk=appointment.pk)
    for other in nearby:
        if other.ends_at <= appointment.starts_at:
            continue
        both_groups = (
            other.service_type == ServiceType.GROUP
            and appointment.service_type == ServiceType.GROUP
        )
        if not both_groups:
            return other
    return None


def _clash_message(appointment: Appointment, other: Appointment, zone: ZoneInfo) -> str:
    start, end = other.starts_at.astimezone(zone), other.ends_at.astimezone(zone)
    return _(
        "%(therapist)s already has an appointment from %(start)s to %(end)s on %(day)s. "
        "Choose another time or another therapist."
    ) % {
        "therapist": appointment.therapist.display_name,
        "start": time_format(start.time(), "H:i"),
        "end": time_format(end.time(), "H:i"),
        "day": date_format(start.date(), "FULL_DATE_FORMAT"),
    }
