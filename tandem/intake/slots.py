"""Sessions freed by a cancellation: a time a family on the waitlist could take."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment, AppointmentStatus, Encounter

from .models import Offer, OfferStatus

AHEAD_DAYS = 14


def freed_slots(membership: Membership) -> QuerySet[Encounter]:
    """The clinic's sessions of the next two weeks whose every child cancelled (one query)."""
    org = membership.organization_id
    now = timezone.now()
    children = Appointment.objects.filter(organization_id=org, encounter_id=OuterRef("pk"))
    offered = Offer.objects.filter(
        organization_id=org,
        status=OfferStatus.OPEN,
        therapist_id=OuterRef("therapist_id"),
        starts_at=OuterRef("starts_at"),
    )
    return (
        Encounter.objects.filter(
            organization_id=org,
            starts_at__gt=now,
            starts_at__lt=now + datetime.timedelta(days=AHEAD_DAYS),
            therapist__isnull=False,
        )
        .filter(Exists(children.filter(status=AppointmentStatus.CANCELLED)))
        .exclude(Exists(children.exclude(status=AppointmentStatus.CANCELLED)))
        # Not one already offered to a family, waiting for their answer.
        .exclude(Exists(offered))
        .select_related("therapist__user")
        .order_by("starts_at")[:20]
    )
