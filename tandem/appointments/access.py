"""Which appointments and therapists a member's pages read (scopes; the rules are in
``rules.py``).

``Appointment.objects.visible_to(membership)`` is every appointment the member may
read across the clinic; ``.for_child(child)`` narrows it to one child.
"""

import uuid
from datetime import datetime

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership, Role
from tandem.children.models import Child

from .models import Appointment, AppointmentQuerySet


def appointments_of(membership: Membership, child: Child) -> AppointmentQuerySet:
    """Appointments of a child the member may already see."""
    return (
        Appointment.objects.visible_to(membership)
        .for_child(child)
        .select_related("therapist__user")
    )


def get_appointment(
    membership: Membership, child: Child, appointment_id: uuid.UUID | str
) -> Appointment:
    """An appointment of a child the member sees (``child_for``), or 404."""
    try:
        appointment = appointments_of(membership, child).get(pk=appointment_id)
    except (Appointment.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    appointment.child = child  # keeps the member's relation to the child
    return appointment


def own_appointments(membership: Membership) -> AppointmentQuerySet:
    """The member's own list (their week, ``GET /appointments``), with child and therapist:
    a therapist's own appointments; a family's, their children's; the clinic's admins,
    front desk and billing, the whole clinic's."""
    appointments = Appointment.objects.visible_to(membership)
    if membership.role == Role.THERAPIST:
        appointments = appointments.filter(therapist=membership)
    return appointments.select_related("child", "therapist__user")


def therapist_bookings(
    organization_id: uuid.UUID, therapist_id: uuid.UUID, start: datetime, end: datetime
) -> AppointmentQuerySet:
    """A therapist's appointments that hold time and start in [start, end) (overlap check)."""
    return (
        Appointment.objects.filter(
            organization_id=organization_id,
            therapist_id=therapist_id,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .busy()
        .order_by("starts_at")
    )


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
