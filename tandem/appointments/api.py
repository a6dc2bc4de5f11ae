"""The appointments API (mounted under /api/v1/ by tandem/api/api.py).

- ``/children/{child_id}/appointments``: a child's appointments (the care team, the
  family, the front desk and billing: ``appointments.view``); admins, lead/treating
  therapists and the front desk book and change them (``appointments.book``/``edit``).
- ``/appointments``: the caller's own list for a period — a therapist's bookings, a
  family's children's appointments, the whole clinic's for admins, front desk and billing.

Times are ISO 8601 with the clinic's UTC offset; a ``starts_at`` sent without an offset
is read as the clinic's local time. Cancelling is a PATCH of ``status``: appointments
are kept, never deleted.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator

from tandem.access import allows, child_for
from tandem.access.api import permits_api
from tandem.accounts.models import Membership, Role
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema, PersonOut
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.core import clock

from . import actions, series
from .access import (
    appointments_of,
    bookable_therapists,
    clinic_rooms,
    get_appointment,
    own_appointments,
)
from .models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Appointment,
    Room,
)
from .reading import mark_join_links

router = Router(tags=["appointments"])

ServiceName = Literal[
    "individual",
    "co_treatment",
    "group",
    "evaluation",
    "re_evaluation",
    "caregiver_training",
    "consultation",
]
LocationName = Literal["clinic", "home", "school", "teletherapy"]
StatusName = Literal["scheduled", "cancelled", "attended", "missed"]
DisciplineName = Literal["ot", "pt", "slp", "behavioral", "play", "psychology", "other"]
LIST_LIMIT = 200
MAX_PERIOD_DAYS = 92
CALENDAR_YEARS = range(1900, 2200)


# --- Output --------------------------------------------------------------------


class RoomOut(Schema):
    id: uuid.UUID
    name: str


class AppointmentOut(Schema):
    id: uuid.UUID
    encounter_id: uuid.UUID = Field(
        description="The session this appointment is the child's part in (its notes hang off it)"
    )
    child: PersonOut
    therapist: PersonOut
    co_therapist: PersonOut | None = Field(description="A co-treatment's second therapist")
    room: RoomOut | None
    series_id: uuid.UUID | None = Field(description="The recurring series it belongs to")
    recurrence_id: datetime | None = Field(
        description="In a series: the start its rule gave this session (RFC 5545 RECURRENCE-ID)"
    )
    starts_at: datetime = Field(description="With the clinic's UTC offset")
    ends_at: datetime
    duration_minutes: int
    time_zone: str = Field(description="The clinic's time zone, e.g. America/Chicago")
    service_type: str
    discipline: str
    location: str
    status: str
    note_for_family: str
    cancel_reason: str
    cancelled_by: PersonOut | None = Field(description="Who cancelled (the clinic's side only)")
    cancelled_at: datetime | None
    late_cancel: bool = Field(description="Cancelled within the clinic's late-cancel window")
    join_url: str = Field(
        description="A video session's room, for the child's family and the session's "
        "therapists from 15 minutes before the start to the end; otherwise empty"
    )
    version: int


def appointment_out(
    appointment: Appointment,
    child: Child,
    zone_name: str,
    *,
    family_note: bool = True,
    staff_view: bool = True,
) -> dict[str, Any]:
    """An appointment for the API; ``family_note=False`` leaves the note for the family out
    (billing: ``appointments.read_family_note``); ``staff_view=False`` (a family) leaves
    out who cancelled (in a family of two households, the other parent)."""
    zone = ZoneInfo(zone_name)
    encounter = appointment.encounter
    co_therapist = encounter.co_therapist
    return {
        "id": appointment.id,
        "encounter_id": encounter.id,
        "child": {"id": child.id, "name": child.display_name},
        "therapist": {
            "id": encounter.therapist_id,
            "name": encounter.therapist.display_name,
        },
        "co_therapist": (
            {"id": co_therapist.id, "name": co_therapist.display_name} if co_therapist else None
        ),
        "room": {"id": encounter.room.id, "name": encounter.room.name} if encounter.room else None,
        "series_id": encounter.series_id,
        "recurrence_id": (
            encounter.recurrence_id.astimezone(zone) if encounter.recurrence_id else None
        ),
        "starts_at": appointment.starts_at.astimezone(zone),
        "ends_at": appointment.ends_at.astimezone(zone),
        "duration_minutes": appointment.duration_minutes,
        "time_zone": zone_name,
        "service_type": appointment.service_type,
        "discipline": appointment.discipline,
        "location": appointment.location,
        "status": appointment.status,
        "note_for_family": appointment.note_for_family if family_note else "",
        "cancel_reason": appointment.cancel_reason,
        "cancelled_by": (
            {"id": appointment.cancelled_by.id, "name": appointment.cancelled_by.display_name}
            if appointment.cancelled_by and staff_view
            else None
        ),
        "cancelled_at": (
            appointment.cancelled_at.astimezone(zone) if appointment.cancelled_at else None
        ),
        "late_cancel": appointment.late_cancel,
        "join_url": getattr(appointment, "join_url", ""),
        "version": appointment.version,
    }


# --- Input ---------------------------------------------------------------------


class AppointmentIn(InputSchema):
    therapist_id: uuid.UUID = Field(description="A therapist on the child's care team")
    co_therapist_id: uuid.UUID | None = Field(
        None, description="A co-treatment's second therapist, also on the child's care team"
    )
    room_id: uuid.UUID | None = Field(None, description="One of the clinic's rooms")
    starts_at: datetime = Field(description="Without an offset: the clinic's local time")
    duration_minutes: int = Field(45, ge=MIN_MINUTES, le=MAX_MINUTES)
    service_type: ServiceName = "individual"
    discipline: DisciplineName | None = Field(None, description="Default: the therapist's")
    location: LocationName = "clinic"
    status: Literal["scheduled", "attended"] = Field(
        "scheduled", description="A time that has passed can only be recorded as attended"
    )
    note_for_family: str = Field("", max_length=500)
    repeat: str | None = Field(
        None,
        max_length=200,
        description="Book a series: an RFC 5545 RRULE with COUNT or UNTIL, e.g. "
        "FREQ=WEEKLY;INTERVAL=1;COUNT=10 (at most 52 sessions within a year)",
    )


class AppointmentPatch(InputSchema):
    version: int = Field(description="The version the change is based on (409 if stale)")
    scope: Literal["this", "following", "all"] = Field(
        "this", description="In a series: this session, this and the following, or all coming"
    )
    therapist_id: uuid.UUID | None = None
    co_therapist_id: uuid.UUID | None = Field(None, description="null: no second therapist")
    room_id: uuid.UUID | None = Field(None, description="null: no room")
    starts_at: datetime | None = None
    duration_minutes: int | None = Field(None, ge=MIN_MINUTES, le=MAX_MINUTES)
    service_type: ServiceName | None = None
    discipline: DisciplineName | None = None
    location: LocationName | None = None
    status: StatusName | None = Field(None, description="cancelled, attended or missed")
    note_for_family: str | None = Field(None, max_length=500)
    cancel_reason: str | None = Field(None, max_length=200)


class ChildListFilters(Schema):
    when: Literal["upcoming", "past", "all"] = "all"
    limit: int = Field(50, ge=1, le=LIST_LIMIT)


class PeriodFilters(Schema):
    start: date | None = Field(None, description="Default: today (clinic time)")
    end: date | None = Field(None, description="Inclusive; default: four weeks after start")
    status: StatusName | None = None

    @field_validator("start", "end")
    @classmethod
    def _in_calendar(cls, value: date | None) -> date | None:
        # The schedule page's years: a period at the calendar's end (9999-12-31) has no
        # day after it (that was a 500).
        if value is not None and value.year not in CALENDAR_YEARS:
            raise ValueError("Ask for dates between 1900 and 2199.")
        return value


# --- Helpers -------------------------------------------------------------------

WRITE_ERRORS = {**ERRORS, 409: ConflictOut}


def _therapist(request: HttpRequest, child: Child, therapist_id: uuid.UUID) -> Membership:
    found = bookable_therapists(acting_member(request), child).filter(pk=therapist_id).first()
    if found is None:
        raise ValidationError({"therapist_id": ["Choose a therapist on this child's care team."]})
    return found


def _room(request: HttpRequest, room_id: uuid.UUID | None) -> Room | None:
    if room_id is None:
        return None
    found = clinic_rooms(acting_member(request)).filter(pk=room_id).first()
    if found is None:
        raise ValidationError({"room_id": ["Choose one of the clinic's rooms."]})
    return found


def _co_therapist(
    request: HttpRequest, child: Child, therapist_id: uuid.UUID | None
) -> Membership | None:
    if therapist_id is None:
        return None
    found = bookable_therapists(acting_member(request), child).filter(pk=therapist_id).first()
    if found is None:
        raise ValidationError(
            {"co_therapist_id": ["Choose a second therapist on this child's care team."]}
        )
    return found


def _zone(request: HttpRequest) -> str:
    return acting_member(request).organization.timezone


def _out(request: HttpRequest, appointment: Appointment, child: Child) -> dict[str, Any]:
    membership = acting_member(request)
    mark_join_links(membership, [appointment], family=membership.role == Role.GUARDIAN)
    family_note = allows(membership, "appointments.read_family_note", child=child)
    return appointment_out(
        appointment,
        child,
        _zone(request),
        family_note=family_note,
        staff_view=membership.role != Role.GUARDIAN,
    )


# --- A child's appointments ----------------------------------------------------


@router.get(
    "/children/{child_id}/appointments",
    response={200: list[AppointmentOut], **ERRORS},
    auth=signed_in(permits_api("appointments.view")),
)
def list_child_appointments(
    request: HttpRequest, child_id: uuid.UUID, filters: Query[ChildListFilters]
) -> list[dict[str, Any]]:
    """A child's appointments: upcoming soonest first, past latest first, or all by time."""
    membership = acting_member(request)
    child = child_for(request, child_id, "appointments.view")
    log_access(request, [child])
    appointments = appointments_of(membership, child)
    now = timezone.now()
    if filters.when == "upcoming":
        appointments = appointments.filter(encounter__starts_at__gte=now).order_by(
            "encounter__starts_at"
        )
    elif filters.when == "past":
        appointments = appointments.filter(encounter__starts_at__lt=now).order_by(
            "-encounter__starts_at"
        )
    else:
        appointments = appointments.order_by("-encounter__starts_at")
    return [_out(request, a, child) for a in appointments[: filters.limit]]


@router.post(
    "/children/{child_id}/appointments",
    response={201: AppointmentOut, **ERRORS},
    auth=signed_in(permits_api("appointments.book", gate="appointments.view")),
)
def book_appointment(
    request: HttpRequest, child_id: uuid.UUID, payload: AppointmentIn
) -> Status[Any]:
    """Book an appointment, or with ``repeat`` a series of them (every session booked, or
    none if one clashes); answers with the first (admins, lead/treating therapists on the
    child's team, the front desk)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "appointments.book")
    fields = payload.model_dump()
    fields["therapist"] = _therapist(request, child, fields.pop("therapist_id"))
    fields["co_therapist"] = _co_therapist(request, child, fields.pop("co_therapist_id"))
    fields["room"] = _room(request, fields.pop("room_id"))
    if not fields["discipline"]:
        fields["discipline"] = fields["therapist"].discipline or "other"
    rule = fields.pop("repeat")
    if rule:
        appointment = series.book_series(membership, child, rule=rule, **fields)[0]
    else:
        appointment = actions.book(membership, child, **fields)
    return Status(201, _out(request, appointment, child))


@router.get(
    "/children/{child_id}/appointments/{appointment_id}",
    response={200: AppointmentOut, **ERRORS},
    auth=signed_in(permits_api("appointments.view")),
)
def get_child_appointment(
    request: HttpRequest, child_id: uuid.UUID, appointment_id: uuid.UUID
) -> dict[str, Any]:
    child = child_for(request, child_id, "appointments.view")
    appointment = get_appointment(acting_member(request), child, appointment_id)
    log_access(request, [child])
    return _out(request, appointment, child)


@router.patch(
    "/children/{child_id}/appointments/{appointment_id}",
    response={200: AppointmentOut, **WRITE_ERRORS},
    auth=signed_in(permits_api("appointments.edit", gate="appointments.view")),
)
def change_appointment(
    request: HttpRequest,
    child_id: uuid.UUID,
    appointment_id: uuid.UUID,
    payload: AppointmentPatch,
) -> dict[str, Any]:
    """Change, cancel (``status: cancelled`` with a ``cancel_reason``) or record an appointment."""
    child = child_for(request, child_id, "appointments.edit")
    appointment = get_appointment(acting_member(request), child, appointment_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    scope = changes.pop("scope", "this")
    if "therapist_id" in changes:
        therapist_id = changes.pop("therapist_id")
        if therapist_id is None:
            raise ValidationError({"therapist_id": ["Choose a therapist."]})
        changes["therapist"] = _therapist(request, child, therapist_id)
    if "co_therapist_id" in changes:
        changes["co_therapist"] = _co_therapist(request, child, changes.pop("co_therapist_id"))
    if "room_id" in changes:
        changes["room"] = _room(request, changes.pop("room_id"))
    for name in ("starts_at", "duration_minutes", "service_type", "discipline", "location"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: ["This field cannot be empty."]})
    if changes.get("status") is None:
        changes.pop("status", None)
    for name in ("note_for_family", "cancel_reason"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    updated = series.change_series(
        appointment, expected_version=version, scope=scope, by=acting_member(request), **changes
    )
    return _out(request, updated, child)


# --- The caller's own list -----------------------------------------------------


@router.get("/appointments", response={200: list[AppointmentOut], **ERRORS})
def my_appointments(request: HttpRequest, filters: Query[PeriodFilters]) -> list[dict[str, Any]]:
    """The caller's appointments in a period (at most 92 days): a therapist's own bookings,
    a family's children's, the whole clinic's for admins, front desk and billing. Each
    child listed is logged."""
    membership = acting_member(request)
    zone_name = _zone(request)
    zone = ZoneInfo(zone_name)
    start = filters.start or clock.today_for(zone_name)
    end = filters.end or start + timedelta(days=27)
    if end < start:
        raise ValidationError({"end": ["The end date must be on or after the start date."]})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"end": [f"Ask for {MAX_PERIOD_DAYS} days or fewer at a time."]})
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()), zone)
    until = timezone.make_aware(
        datetime.combine(end + timedelta(days=1), datetime.min.time()), zone
    )
    appointments = own_appointments(membership).filter(
        encounter__starts_at__gte=since, encounter__starts_at__lt=until
    )
    if filters.status:
        appointments = appointments.filter(status=filters.status)
    rows = list(appointments.order_by("encounter__starts_at")[:LIST_LIMIT])
    children = {a.child_id: a.child for a in rows}
    log_access(request, children.values(), action=AccessLog.Action.LIST)
    family_note = allows(membership, "appointments.read_family_note")
    mark_join_links(membership, rows, family=membership.role == Role.GUARDIAN)
    staff_view = membership.role != Role.GUARDIAN
    return [
        appointment_out(a, a.child, zone_name, family_note=family_note, staff_view=staff_view)
        for a in rows
    ]
