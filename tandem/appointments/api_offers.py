"""The API of times offered to a family: the clinic offers, the family chooses
(``offers.py``; the same rules as the pages)."""

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tandem.access import child_for
from tandem.access.api import permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, InputSchema, PersonOut
from tandem.audit.actions import log_access

from . import offers
from .access import get_time_offer, open_time_offers
from .api import AppointmentOut, _out, _therapist
from .models import MAX_MINUTES, MIN_MINUTES, Location, ServiceType, TimeOffer

router = Router(tags=["appointments"])


# --- Times offered to the family ------------------------------------------------------


class OfferedTimeOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    starts_at: datetime
    duration_minutes: int
    therapist: PersonOut
    service_type: str
    location: str
    status: str


def _offered(offer: TimeOffer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "child_id": offer.child_id,
        "starts_at": offer.starts_at,
        "duration_minutes": offer.duration_minutes,
        "therapist": {"id": offer.therapist_id, "name": offer.therapist.display_name},
        "service_type": offer.service_type,
        "location": offer.location,
        "status": offer.status,
    }


@router.get(
    "/children/{child_id}/offered-times",
    response={200: list[OfferedTimeOut], **ERRORS},
    auth=signed_in(permits_api("appointments.view")),
)
def list_offered_times(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The times offered to the child's family that are still open, soonest first."""
    child = child_for(request, child_id, "appointments.view")
    log_access(request, [child])
    return [_offered(o) for o in open_time_offers(acting_member(request), [child])]


class OfferTimesIn(InputSchema):
    therapist_id: uuid.UUID
    starts: list[datetime] = Field(
        min_length=1, max_length=3, description="1 to 3 times; without an offset, clinic time."
    )
    duration_minutes: int = Field(45, ge=MIN_MINUTES, le=MAX_MINUTES)
    service_type: ServiceType = ServiceType.INDIVIDUAL
    location: Location = Location.CLINIC


@router.post(
    "/children/{child_id}/offered-times",
    response={201: list[OfferedTimeOut], **ERRORS},
    auth=signed_in(permits_api("appointments.offer_times", gate="appointments.view")),
)
def offer_times(request: HttpRequest, child_id: uuid.UUID, payload: OfferTimesIn) -> Status[Any]:
    """Offer the family 1 to 3 times for one session (each a time it could be booked now);
    they replace the open offer. The family is told."""
    membership = acting_member(request)
    child = child_for(request, child_id, "appointments.offer_times")
    made = offers.offer_times(
        membership,
        child,
        starts=payload.starts,
        therapist=_therapist(request, child, payload.therapist_id),
        duration_minutes=payload.duration_minutes,
        service_type=str(payload.service_type),
        location=str(payload.location),
    )
    return Status(201, [_offered(o) for o in made])


@router.post(
    "/children/{child_id}/offered-times/{offer_id}",
    response={201: AppointmentOut, **ERRORS},
    auth=signed_in(permits_api("appointments.take_time", gate="appointments.view")),
)
def take_offered_time(
    request: HttpRequest, child_id: uuid.UUID, offer_id: uuid.UUID
) -> Status[Any]:
    """Choose one of the times offered (a guardian; the office or an editor on the family's
    behalf): it is booked, if still free (else 422), and the offer's other times close."""
    membership = acting_member(request)
    child = child_for(request, child_id, "appointments.take_time")
    appointment = offers.take_time(membership, get_time_offer(membership, child, offer_id))
    return Status(201, _out(request, appointment, child))
