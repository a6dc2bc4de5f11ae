"""Who may see and change which appointments: whoever may see / edit the child.

- reading: anyone who may see the child (guardians see their children's appointments);
- writing: clinic admins and lead/treating therapists on the child's care team;
- a therapist's week lists their own appointments, of children they may still see;
  an admin's week lists the whole clinic's.
"""

import uuid
from datetime import datetime

from django.db.models import QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import children_visible_to, get_child
from tandem.children.models import Child
from tandem.core.access import not_found

from .models import Appointment, AppointmentQuerySet


def appointments_in(membership: Membership) -> AppointmentQuerySet:
    """Appointments of the member's organization (for prefetches and checks)."""
    return Appointment.objects.filter(organization_id=membership.organization_id)


def appointments_of(membership: Membership, child: Child) -> QuerySet[Appointment]:
    """Appointments of a child the member may already see."""
    return appointments_in(membership).filter(child=child).select_related("therapist__user")


def get_appointment(
    membership: Membership,
    child_id: uuid.UUID | str,
    appointment_id: uuid.UUID | str,
    *,
    for_edit: bool = False,
) -> Appointment:
    """Return an appointment of a child the member may see (404), or may edit (403)."""
    child = get_child(membership, child_id, for_edit=for_edit)
    try:
        appointment = appointments_of(membership, child).get(pk=appointment_id)
    except (Appointment.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    appointment.child = child  # keeps the annotated can_edit
    return appointment


def appointments_visible_to(membership: Membership) -> QuerySet[Appointment]:
    """Every appointment of the children the member may see, with child and therapist.

    Therapists see their own appointments only (their week); admins the clinic's;
    guardians their children's.
    """
    visible = children_visible_to(membership).active().values("pk")
    appointments = appointments_in(membership).filter(child__in=visible)
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
    """The clinic's active therapists (an admin's week can show any one of them)."""
    return (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=Role.THERAPIST, is_active=True
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
