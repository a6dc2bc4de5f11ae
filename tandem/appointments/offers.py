"""Times offered to a family to choose from, and the family's choice.

The clinic (the front desk, an admin, or a lead/treating therapist of the child) offers
one to three times for a session with one therapist; each must be a time the session
could be booked then (the therapist on the child's team and free, working hours, time
off, the room-less clash check of a booking: ``actions._check``). The child's guardians
are told. A guardian (or the office on their behalf, on the phone) takes one: it is
booked through ``actions.book`` — checked again, so a time taken meanwhile is refused
with the reason — and the other times of the offer close. A new offer replaces the
open one; the clinic may withdraw it.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.notifications.actions import guardians_of, notify
from tandem.notifications.models import Kind

from . import actions
from .models import Appointment, Encounter, TimeOffer, TimeOfferStatus

MAX_TIMES = 3
FIELDS = ("therapist", "duration_minutes", "service_type", "location")


def _would_book(
    by: Membership, child: Child, start: datetime.datetime, fields: dict[str, Any], now: Any
) -> list[str]:
    """Why this time could not be booked now (empty: it could)."""
    encounter = Encounter(organization_id=child.organization_id, created_by=by)
    appointment = Appointment(
        organization_id=child.organization_id, child=child, created_by=by, encounter=encounter
    )
    actions._apply(appointment, {**fields, "starts_at": start})
    encounter.discipline = encounter.therapist.discipline or "other"
    try:
        actions._check(appointment, previous=None, now=now)
    except ValidationError as exc:
        return [m for messages in exc.message_dict.values() for m in messages]
    return []


@transaction.atomic
def offer_times(
    by: Membership,
    child: Child,
    *,
    starts: Sequence[datetime.datetime],
    at: datetime.datetime | None = None,
    **fields: Any,
) -> list[TimeOffer]:
    """Offer these times (1 to 3) for one session; the open offer for the child closes."""
    for name in fields:
        if name not in FIELDS:
            raise ValueError(f"{name} is not a field of an offered time")
    now = at or timezone.now()
    times = sorted({actions.in_clinic_time(s, child.organization) for s in starts})
    if not 1 <= len(times) <= MAX_TIMES:
        raise ValidationError(
            {"starts": [_("Offer 1 to %(n)d different times.") % {"n": MAX_TIMES}]}
        )
    zone = actions.clinic_zone(child.organization)
    problems: list[str] = []
    for start in times:
        when = start.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        problems += [f"{when}: {p}" for p in _would_book(by, child, start, fields, now)]
    if problems:
        raise ValidationError({"starts": problems})
    _close_open(child, TimeOfferStatus.WITHDRAWN, at=at)
    therapist = fields["therapist"]
    batch = TimeOffer().batch
    made = []
    for start in times:
        offer = TimeOffer(
            organization_id=child.organization_id,
            child=child,
            batch=batch,
            starts_at=start,
            offered_by=by,
            discipline=therapist.discipline or "other",
            **fields,
        )
        offer.full_clean(
            exclude=["organization", "child", "therapist", "offered_by", "taken_by", "appointment"],
            validate_unique=False,
            validate_constraints=False,
        )
        offer.save(at=at)
        made.append(offer)
    notify(
        guardians_of(child),
        Kind.TIMES_OFFERED,
        child=child,
        url=reverse("appointments:family") + f"?child={child.pk}",
        now=at,
    )
    return made


def _close_open(child: Child, status: str, *, at: Any = None, keep: Any = None) -> None:
    open_offers = TimeOffer.objects.select_for_update().filter(
        organization_id=child.organization_id, child=child, status=TimeOfferStatus.OPEN
    )
    for offer in open_offers:
        if offer.pk != keep:
            offer.status = status
            offer.version += 1
            offer.save(at=at)


@transaction.atomic
def take_time(
    by: Membership, offer: TimeOffer, *, at: datetime.datetime | None = None
) -> Appointment:
    """Book the offered time the family chose; the offer's other times close."""
    current = (
        TimeOffer.objects.select_for_update()
        .select_related("child__organization", "therapist")
        .get(organization_id=offer.organization_id, pk=offer.pk)
    )
    if current.status != TimeOfferStatus.OPEN:
        raise ValidationError(
            _("These times are no longer offered: look at your appointments, or ask the clinic.")
        )
    if current.starts_at <= (at or timezone.now()):
        raise ValidationError(_("This time has passed: choose another, or ask the clinic."))
    try:
        appointment = actions.book(
            by,
            current.child,
            at=at,
            starts_at=current.starts_at,
            therapist=current.therapist,
            duration_minutes=current.duration_minutes,
            service_type=current.service_type,
            discipline=current.discipline,
            location=current.location,
        )
    except ValidationError as exc:
        raise ValidationError(
            [_("This time is no longer free: choose another, or ask the clinic.")]
        ) from exc
    current.status = TimeOfferStatus.TAKEN
    current.taken_by = by
    current.appointment = appointment
    current.version += 1
    current.save(at=at)
    _close_open(current.child, TimeOfferStatus.NOT_CHOSEN, at=at, keep=current.pk)
    return appointment


@transaction.atomic
def withdraw(child: Child, *, at: datetime.datetime | None = None) -> int:
    """Withdraw the child's open offer; return how many times closed."""
    count = TimeOffer.objects.filter(
        organization_id=child.organization_id, child=child, status=TimeOfferStatus.OPEN
    ).count()
    _close_open(child, TimeOfferStatus.WITHDRAWN, at=at)
    return count
