"""The intake API (front desk and admins, ``intake.triage``): the clinic's referrals, the
waitlist in priority order with each family's reasons, triage and offers. The same
actions as the pages: a stale ``version`` is a 409, a refused step a 422 with a message.
The public form has no API: families use the page (a honeypot and a rate limit)."""

import datetime
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tandem.access.api import permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.appointments.access import schedulable_therapists
from tandem.core import clock

from . import actions
from .access import get_referral, referrals_for
from .models import Referral, ReferralStatus
from .priority import priority
from .waitlist import waitlist

router = Router(tags=["intake"])
_may_triage = permits_api("intake.triage")
TRIAGE = signed_in(_may_triage)
_REFERRAL = "_intake_referral"


def _referral_in_path(request: HttpRequest, membership: Any) -> None:
    """The role first, then the path's referral (another clinic's: 404), both before the
    body is validated (so an unseen referral is 404, never a 422)."""
    _may_triage(request, membership)
    kwargs = getattr(request.resolver_match, "kwargs", None) or {}
    setattr(request, _REFERRAL, get_referral(membership, kwargs.get("referral_id", "")))


ON_REFERRAL = signed_in(_referral_in_path)


def path_referral(request: HttpRequest) -> Referral:
    referral: Referral = getattr(request, _REFERRAL)
    return referral


LIST_LIMIT = 200

StatusName = Literal["new", "info_requested", "waitlisted", "offered", "accepted", "declined"]


class ReasonOut(Schema):
    points: int
    reason: str


class ReferralOut(Schema):
    id: uuid.UUID
    status: str
    version: int
    child_first_name: str
    child_last_name: str
    date_of_birth: datetime.date
    concerns: list[str]
    disciplines: list[str]
    availability: list[str]
    referrer: str
    contact_name: str
    contact_email: str
    contact_phone: str
    language: str
    funding: str
    urgency: str
    info_request: str
    family_reply: str
    decline_reason: str
    created_at: datetime.datetime
    waitlisted_at: datetime.datetime | None
    child_id: uuid.UUID | None = Field(None, description="The child's record, once accepted.")
    priority: int
    reasons: list[ReasonOut]
    position: int | None = Field(None, description="Place on the waitlist (1 = next).")


def _out(referral: Referral, position: int | None = None) -> dict[str, Any]:
    found = priority(referral, clock.today())
    return {
        **{
            name: getattr(referral, name)
            for name in ReferralOut.model_fields
            if hasattr(referral, name)
        },
        "priority": found.points,
        "reasons": [{"points": p, "reason": str(r)} for p, r in found.reasons],
        "position": position,
    }


class ReferralFilters(Schema):
    status: StatusName | None = None


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS}, auth=TRIAGE)
def list_referrals(request: HttpRequest, filters: Query[ReferralFilters]) -> list[dict[str, Any]]:
    """The clinic's referrals, newest first (at most 200); ``status=waitlisted`` lists the
    waitlist in its order, each with its ``position``."""
    membership = acting_member(request)
    if filters.status == ReferralStatus.WAITLISTED:
        places = waitlist(membership.organization_id, clock.today())[:LIST_LIMIT]
        return [_out(p.referral, p.position) for p in places]
    rows = referrals_for(membership).order_by("-created_at", "-id")
    if filters.status:
        rows = rows.filter(status=filters.status)
    return [_out(r) for r in rows[:LIST_LIMIT]]


def _position(referral: Referral) -> int | None:
    if referral.status != ReferralStatus.WAITLISTED:
        return None
    places = waitlist(referral.organization_id, clock.today())
    return next((p.position for p in places if p.referral.pk == referral.pk), None)


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, auth=ON_REFERRAL)
def read_referral(request: HttpRequest, referral_id: uuid.UUID) -> dict[str, Any]:
    referral = path_referral(request)
    return _out(referral, _position(referral))


class TriageIn(InputSchema):
    action: Literal["waitlist", "urgency", "decline", "ask", "withdraw_offer"]
    version: int
    urgency: Literal["routine", "soon", "urgent"] = "routine"
    note: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000, description="For decline: the family reads it.")
    question: str = Field("", max_length=2000, description="For ask: the family reads it.")


@router.post(
    "/referrals/{referral_id}/triage",
    response={200: ReferralOut, 409: ConflictOut, **ERRORS},
    auth=ON_REFERRAL,
)
def triage(request: HttpRequest, referral_id: uuid.UUID, body: TriageIn) -> Any:
    """Put on the waitlist (with an urgency), change the urgency, decline with a reason,
    ask the family a question, or withdraw an offer they have not answered."""
    membership = acting_member(request)
    referral = path_referral(request)
    version = body.version
    if body.action == "waitlist":
        referral = actions.put_on_waitlist(
            referral, membership, expected_version=version, urgency=body.urgency, note=body.note
        )
    elif body.action == "urgency":
        referral = actions.set_urgency(
            referral, membership, expected_version=version, urgency=body.urgency, note=body.note
        )
    elif body.action == "decline":
        referral = actions.decline(
            referral, membership, expected_version=version, reason=body.reason
        )
    elif body.action == "ask":
        referral = actions.ask_for_information(
            referral, membership, expected_version=version, question=body.question
        )
    else:
        referral = actions.withdraw_offer(referral, expected_version=version)
    return _out(referral, _position(referral))


class OfferIn(InputSchema):
    version: int
    starts_at: datetime.datetime = Field(description="With its offset; without, clinic time.")
    therapist_id: uuid.UUID
    duration_minutes: int = Field(60, ge=15, le=180)


class OfferOut(Schema):
    id: uuid.UUID
    referral_id: uuid.UUID
    starts_at: datetime.datetime
    duration_minutes: int
    therapist_id: uuid.UUID
    discipline: str
    status: str


@router.post(
    "/referrals/{referral_id}/offers",
    response={201: OfferOut, 409: ConflictOut, **ERRORS},
    auth=ON_REFERRAL,
)
def offer(request: HttpRequest, referral_id: uuid.UUID, body: OfferIn) -> Any:
    """Offer a family on the waitlist a first appointment (an evaluation); they take it
    from their status page."""
    membership = acting_member(request)
    referral = path_referral(request)
    therapist = schedulable_therapists(membership).filter(pk=body.therapist_id).first()
    if therapist is None:
        raise ValidationError({"therapist_id": ["Choose one of the clinic's therapists."]})
    starts_at = body.starts_at
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at, timezone.get_current_timezone())
    made = actions.make_offer(
        referral,
        membership,
        expected_version=body.version,
        starts_at=starts_at,
        therapist=therapist,
        duration_minutes=body.duration_minutes,
    )
    return Status(201, made)
