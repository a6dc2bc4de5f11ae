"""Which appointments and therapists a member's pages read (scopes; the rules are in
``rules.py``).

``Appointment.objects.visible_to(membership)`` is every appointment the member may
read across the clinic; ``.for_child(child)`` narrows it to one child.
"""

import uuid
from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership, Role
from tandem.children.models import Child, GuardianLink

from .models import (
    Appointment,
    AppointmentQuerySet,
    Encounter,
    EncounterQuerySet,
    Room,
    TimeOff,
    TimeOffer,
    TimeOfferStatus,
)


def appointments_of(membership: Membership, child: Child) -> AppointmentQuerySet:
    """Appointments of a child the member may already see."""
    return Appointment.objects.visible_to(membership).for_child(child).with_encounter()


def get_appointment(
    membership: Membership, child: Child, appointment_id: uuid.UUID | str
) -> Appointment:
    """An appointment of a child the member sees (``child_for``), or 404."""
    try:
        appointment = appointments_of(membership, child).get(pk=appointment_id)
    except (Appointment.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc
    appointment.child = child  # keeps the member's relation to the child
    return appointment


def own_appointments(membership: Membership) -> AppointmentQuerySet:
    """The member's own list (their week, ``GET /appointments``), with child and therapist:
    a therapist's own appointments; a family's, their children's; the clinic's admins,
    front desk and billing, the whole clinic's."""
    appointments = Appointment.objects.visible_to(membership)
    if membership.role == Role.THERAPIST:
        appointments = appointments.filter(
            Q(encounter__therapist=membership) | Q(encounter__co_therapist=membership),
            # The session's clinic too: its indexes start with it (clinic, therapist or
            # second therapist, time), so a week is read from them, not from every
            # appointment of every child on the caseload (20 ms → 2 ms at 20,000 children).
            encounter__organization_id=membership.organization_id,
        )
    return appointments.with_encounter().select_related("child")


def therapist_bookings(
    organization_id: uuid.UUID,
    therapist_ids: Collection[uuid.UUID],
    start: datetime,
    end: datetime,
) -> EncounterQuerySet:
    """Sessions of these therapists (lead or second) that hold time and start in
    [start, end) (the overlap check)."""
    return (
        Encounter.objects.filter(
            Q(therapist_id__in=therapist_ids) | Q(co_therapist_id__in=therapist_ids),
            organization_id=organization_id,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .busy()
        .select_related("therapist__user", "co_therapist__user")
        .order_by("starts_at")
    )


def room_bookings(
    organization_id: uuid.UUID, room_id: uuid.UUID, start: datetime, end: datetime
) -> EncounterQuerySet:
    """Sessions in a room that hold time and start in [start, end) (the overlap check)."""
    return (
        Encounter.objects.filter(
            organization_id=organization_id,
            room_id=room_id,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .busy()
        .select_related("room")
        .order_by("starts_at")
    )


def clinic_rooms(membership: Membership) -> QuerySet[Room]:
    """The clinic's rooms in use (the room picker)."""
    return Room.objects.filter(organization_id=membership.organization_id, is_active=True)


def bookable_therapists(membership: Membership, child: Child) -> QuerySet[Membership]:
    """Therapists who may run a child's appointment: active members of its care team."""
    return (
        Membership.objects.filter(
            organization_id=membership.organization_id,
            role=Role.THERAPIST,
            is_active=True,
            care_teams__organization_id=membership.organization_id,
            care_teams__child=child,
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


def schedulable_therapists(membership: Membership) -> QuerySet[Membership]:
    """The clinic's active therapists (a clinic-wide week can show any one of them)."""
    return (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=Role.THERAPIST, is_active=True
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )


def all_rooms(membership: Membership) -> QuerySet[Room]:
    """The clinic's rooms, in use or not (the settings page)."""
    return Room.objects.filter(organization_id=membership.organization_id)


def get_room(membership: Membership, room_id: uuid.UUID | str) -> Room:
    """One of the clinic's rooms, or 404."""
    try:
        return all_rooms(membership).get(pk=room_id)
    except (Room.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc


def appointment_by_reply(token: str) -> tuple[Appointment, Membership]:
    """The appointment and the guardian a reminder's signed link names, else 404: the
    guardian must still be linked to the child."""
    from .reminders import read_reply_token

    ids = read_reply_token(token)
    if ids is None:
        raise not_found()
    organization_id, appointment_id, guardian = ids
    try:
        guardian_id = uuid.UUID(guardian)
    except ValueError as exc:
        raise not_found() from exc
    appointment = (
        Appointment.objects.filter(organization_id=organization_id, pk=appointment_id)
        .with_encounter()
        .select_related("child", "organization")
        .first()
    )
    link = (
        GuardianLink.objects.filter(
            organization_id=organization_id,
            child_id=appointment.child_id,
            guardian_id=guardian_id,
            guardian__is_active=True,
        )
        .select_related("guardian")
        .first()
        if appointment is not None
        else None
    )
    if appointment is None or link is None:
        raise not_found()
    return appointment, link.guardian


def time_off_of(therapist: Membership) -> QuerySet[TimeOff]:
    """A therapist's time off (the entry point chose whose: their own, or the office's
    choice among the clinic's therapists)."""
    return TimeOff.objects.filter(organization_id=therapist.organization_id, therapist=therapist)


def open_time_offers(membership: Membership, children: Collection[Child]) -> QuerySet[TimeOffer]:
    """The times still offered to these children's families (children the member sees)."""
    return (
        TimeOffer.objects.filter(
            organization_id=membership.organization_id,
            child__in=[c.pk for c in children],
            status=TimeOfferStatus.OPEN,
        )
        .select_related("therapist__user")
        .order_by("child_id", "starts_at")
    )


def get_time_offer(membership: Membership, child: Child, offer_id: uuid.UUID | str) -> TimeOffer:
    """An offered time of a child the member sees (``child_for``), or 404."""
    try:
        offer = TimeOffer.objects.select_related("therapist").get(
            organization_id=membership.organization_id, child=child, pk=offer_id
        )
    except (TimeOffer.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc
    offer.child = child
    return offer
