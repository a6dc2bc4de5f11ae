"""The fees API (the same rules and actions as the pages, ``fees.py``):

- ``/billing/fees``: the fee schedule (every entry, ``in_force`` marking today's), add a
  fee (once per ``Idempotency-Key``); ``/billing/sliding-scale``: the tiers, replaced as a
  whole; ``/billing/profile``: the clinic's numbers and its therapists'; and
  ``/billing/providers/{therapist_id}``: set a therapist's (admins and billing);
- ``/children/{child_id}/fee-agreement``: who pays and the household, assessed when saved
  (admins and billing; a stale ``version`` is a 409);
- ``/children/{child_id}/fees``: what the family reads: who pays, their tier and why,
  their statement (the child's guardians, admins and billing).

Amounts are decimal strings in dollars ("150.00"), never localized.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from tandem.access import child_for, not_found
from tandem.access.api import path_param, permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import acting_member, signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.appointments.access import schedulable_therapists
from tandem.audit.actions import log_access
from tandem.core import clock

from . import catalogue, fees_profile
from . import fees as actions
from .access import agreement_of, billing_profile, fee_schedule, provider_numbers, sliding_tiers
from .documents_family import family_context
from .models import FeeAgreement, FeeScheduleEntry, Funding
from .poverty import Region

router = Router(tags=["billing"])
_may_manage = permits_api("billing.manage")
MANAGE = signed_in(_may_manage)
HOUSEHOLD = signed_in(permits_api("billing.household"))
FAMILY = signed_in(permits_api("billing.family"))
_THERAPIST = "_billing_therapist"


def _therapist_in_path(request: HttpRequest, membership: Membership) -> None:
    """The role, then the path's therapist (another clinic's, or not a therapist: 404),
    before the body is read."""
    _may_manage(request, membership)
    wanted = path_param(request, "therapist_id")
    therapist = schedulable_therapists(membership).filter(pk=wanted).first()
    if therapist is None:
        raise not_found()
    setattr(request, _THERAPIST, therapist)


ON_THERAPIST = signed_in(_therapist_in_path)


# --- The fee schedule ---------------------------------------------------------------------


class FeeOut(Schema):
    id: uuid.UUID
    code: str
    label: str
    amount: Decimal = Field(description="Dollars per unit, as a decimal string")
    effective_from: datetime.date
    in_force: bool = Field(description="The code's fee today")


def _fees(entries: list[FeeScheduleEntry], today: datetime.date) -> list[dict[str, Any]]:
    current = {
        row.service.code: row.current.pk
        for row in actions.schedule_rows(entries, today)
        if row.current
    }
    return [
        {
            "id": e.pk,
            "code": e.code,
            "label": str(catalogue.BY_CODE[e.code].label) if e.code in catalogue.BY_CODE else "",
            "amount": e.amount,
            "effective_from": e.effective_from,
            "in_force": current.get(e.code) == e.pk,
        }
        for e in entries
    ]


@router.get("/billing/fees", response={200: list[FeeOut], **ERRORS}, auth=MANAGE)
def list_fees(request: HttpRequest) -> list[dict[str, Any]]:
    """Every fee of the schedule, by code, newest first."""
    membership = acting_member(request)
    today = clock.today_for(membership.organization)
    return _fees(list(fee_schedule(membership)), today)


class FeeIn(InputSchema):
    code: str = Field(max_length=5, description="A service code of the catalogue")
    amount: Decimal = Field(description="Dollars per unit, 0 or more, with at most cents")
    effective_from: datetime.date


@router.post(
    "/billing/fees",
    response={201: FeeOut, **ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=MANAGE,
)
def add_fee(request: HttpRequest, body: FeeIn) -> HttpResponse:
    """Set a code's fee per unit from a day on (a second fee for the same code and day is
    refused: 422)."""
    membership = acting_member(request)
    today = clock.today_for(membership.organization)

    def write() -> dict[str, Any]:
        entry = actions.add_fee(
            membership, code=body.code, amount=body.amount, effective_from=body.effective_from
        )
        in_force = fee_schedule(membership).filter(code=entry.code)
        return next(f for f in _fees(list(in_force), today) if f["id"] == entry.pk)

    return run_once(request, "billing.fee", 201, FeeOut, write)


# --- The sliding scale --------------------------------------------------------------------


class TierOut(Schema):
    up_to_percent: int = Field(description="Income up to this % of the poverty guideline")
    discount_percent: int = Field(description="% off the fee (0–100)")


class TierIn(InputSchema):
    up_to_percent: int = Field(description="Income up to this % of the poverty guideline")
    discount_percent: int = Field(description="% off the fee (0–100)")


class SlidingScaleOut(Schema):
    tiers: list[TierOut]


class SlidingScaleIn(InputSchema):
    tiers: list[TierIn] = Field(max_length=actions.MAX_TIERS)


def _scale(organization_id: Any) -> dict[str, Any]:
    return {
        "tiers": [
            {"up_to_percent": t.up_to_percent, "discount_percent": t.discount_percent}
            for t in sliding_tiers(organization_id)
        ]
    }


@router.get("/billing/sliding-scale", response={200: SlidingScaleOut, **ERRORS}, auth=MANAGE)
def read_sliding_scale(request: HttpRequest) -> dict[str, Any]:
    """The tiers, lowest limit first: a household gets the first one its income fits."""
    return _scale(acting_member(request).organization_id)


@router.put("/billing/sliding-scale", response={200: SlidingScaleOut, **ERRORS}, auth=MANAGE)
def replace_sliding_scale(request: HttpRequest, body: SlidingScaleIn) -> dict[str, Any]:
    """Make these the tiers (all or nothing; duplicates refused). Families keep the
    discount they were assessed with until their household is assessed again."""
    membership = acting_member(request)
    actions.replace_tiers(membership, [(t.up_to_percent, t.discount_percent) for t in body.tiers])
    return _scale(membership.organization_id)


# --- The clinic's numbers -----------------------------------------------------------------


class BillingProviderOut(Schema):
    therapist_id: uuid.UUID
    name: str
    npi: str
    taxonomy: str
    credentials: str


class BillingProfileOut(Schema):
    legal_name: str
    npi: str
    tax_id: str
    taxonomy: str
    address: str
    city: str
    state: str
    postal_code: str
    phone: str
    region: str
    version: int = Field(description="0 until the clinic's details are first saved")
    providers: list[BillingProviderOut]


def _profile(membership: Membership) -> dict[str, Any]:
    profile = billing_profile(membership)
    numbers = provider_numbers(membership)
    fields = {
        name: getattr(profile, name) if profile else "" for name in fees_profile.PROFILE_FIELDS
    }
    if not fields["region"]:
        fields["region"] = Region.CONTIGUOUS
    return {
        **fields,
        "version": profile.version if profile else 0,
        "providers": [
            {
                "therapist_id": t.pk,
                "name": t.display_name,
                "npi": numbers[t.pk].npi if t.pk in numbers else "",
                "taxonomy": numbers[t.pk].taxonomy if t.pk in numbers else "",
                "credentials": numbers[t.pk].credentials if t.pk in numbers else "",
            }
            for t in schedulable_therapists(membership)
        ],
    }


@router.get("/billing/profile", response={200: BillingProfileOut, **ERRORS}, auth=MANAGE)
def read_profile(request: HttpRequest) -> dict[str, Any]:
    """The clinic's numbers on claims and documents, and each active therapist's."""
    return _profile(acting_member(request))


class BillingProfileIn(InputSchema):
    legal_name: str = Field(max_length=120)
    npi: str = Field(max_length=12, description="10 digits with a valid check digit")
    tax_id: str = Field(max_length=12, description="EIN: 9 digits, 12-3456789")
    taxonomy: str = Field(max_length=10, description="NUCC taxonomy code, e.g. 225X00000X")
    address: str = Field(max_length=120)
    city: str = Field(max_length=60)
    state: str = Field(max_length=2)
    postal_code: str = Field(max_length=10)
    phone: str = Field("", max_length=20)
    region: Region = Region.CONTIGUOUS
    version: int = Field(description="The version read (0 when none was saved yet)")


@router.put(
    "/billing/profile", response={200: BillingProfileOut, 409: ConflictOut, **ERRORS}, auth=MANAGE
)
def save_profile(request: HttpRequest, body: BillingProfileIn) -> dict[str, Any]:
    membership = acting_member(request)
    data = body.model_dump(exclude={"version"})
    data["region"] = str(body.region)
    fees_profile.save_profile(membership, data, expected_version=body.version)
    return _profile(membership)


class BillingProviderIn(InputSchema):
    npi: str = Field(max_length=12, description="Empty removes the therapist's numbers")
    taxonomy: str = Field("", max_length=10)
    credentials: str = Field("", max_length=40)


@router.put(
    "/billing/providers/{therapist_id}",
    response={200: BillingProfileOut, **ERRORS},
    auth=ON_THERAPIST,
)
def save_provider(request: HttpRequest, therapist_id: uuid.UUID, body: BillingProviderIn) -> Any:
    """Set a therapist's numbers (the rendering provider on claims)."""
    membership = acting_member(request)
    therapist: Membership = getattr(request, _THERAPIST)
    fees_profile.save_provider_number(
        membership,
        therapist,
        npi=body.npi,
        taxonomy=body.taxonomy,
        credentials=body.credentials,
    )
    return _profile(membership)


# --- A child's fee agreement --------------------------------------------------------------


class FeeAgreementOut(Schema):
    child_id: uuid.UUID
    funding: str
    grant_name: str
    household_size: int | None
    annual_income: Decimal | None = Field(description="Dollars a year, as a decimal string")
    region: str
    assessed_on: datetime.date | None
    guideline_year: int | None
    guideline_amount: int | None = Field(description="The guideline for the household, $")
    percent_of_poverty: int | None
    discount_percent: int
    version: int = Field(description="0 until it is first saved")


def _agreement(child_id: Any, agreement: FeeAgreement | None) -> dict[str, Any]:
    if agreement is None:
        agreement = FeeAgreement(child_id=child_id, version=0)
    return {name: getattr(agreement, name) for name in FeeAgreementOut.model_fields}


@router.get(
    "/children/{child_id}/fee-agreement",
    response={200: FeeAgreementOut, **ERRORS},
    auth=HOUSEHOLD,
)
def read_fee_agreement(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    child = child_for(request, child_id, "billing.household")
    log_access(request, [child])
    return _agreement(child.pk, agreement_of(child))


class FeeAgreementIn(InputSchema):
    funding: Funding
    grant_name: str = Field("", max_length=120, description="With funding: grant")
    household_size: int | None = Field(None, description="1–20 people; needed to self-pay")
    annual_income: Decimal | None = Field(None, description="Dollars a year, 0 or more")
    region: Region = Region.CONTIGUOUS
    version: int = Field(description="The version read (0 when none was saved yet)")


@router.put(
    "/children/{child_id}/fee-agreement",
    response={200: FeeAgreementOut, 409: ConflictOut, **ERRORS},
    auth=HOUSEHOLD,
)
def save_fee_agreement(
    request: HttpRequest, child_id: uuid.UUID, body: FeeAgreementIn
) -> dict[str, Any]:
    """Record who pays and the household, and assess it against this year's poverty
    guideline and the clinic's tiers (the discount is stored as assessed)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "billing.household", hide=False)
    agreement = actions.save_household(
        membership,
        child,
        funding=str(body.funding),
        household_size=body.household_size,
        annual_income=body.annual_income,
        region=str(body.region),
        grant_name=body.grant_name,
        expected_version=body.version,
        today=clock.today_for(membership.organization),
    )
    return _agreement(child.pk, agreement)


# --- What the family reads ----------------------------------------------------------------


class StatementLineOut(Schema):
    service_date: datetime.date
    code: str
    label: str
    billed: Decimal
    paid: Decimal
    due: Decimal
    insured: bool = Field(description="Billed to insurance: the family's share only")


class FamilyFeesOut(Schema):
    who_pays: str
    family_pays: bool
    explanation: list[str] = Field(description="Their tier and why, in their language")
    discount_percent: int
    statement: list[StatementLineOut] = Field(description="The last year's sessions")
    billed: Decimal
    paid: Decimal
    earlier_due: Decimal
    on_account: Decimal = Field(description="Paid, not matched to a session yet")
    due: Decimal


@router.get("/children/{child_id}/fees", response={200: FamilyFeesOut, **ERRORS}, auth=FAMILY)
def family_fees(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """Who pays, the family's sliding-scale tier and why, and their statement."""
    membership = acting_member(request)
    child = child_for(request, child_id, "billing.family")
    log_access(request, [child])
    agreement = agreement_of(child)
    found = family_context(child, agreement, clock.today_for(membership.organization))
    statement = found["statement"]
    return {
        "who_pays": found["who_pays"],
        "family_pays": found["family_pays"],
        "explanation": found["explanation"],
        "discount_percent": agreement.discount_percent if agreement else 0,
        "statement": [
            {
                "service_date": line.charge.service_date,
                "code": line.charge.code,
                "label": str(line.label),
                "billed": line.billed,
                "paid": line.paid,
                "due": line.due,
                "insured": line.insured,
            }
            for line in statement.lines
        ],
        "billed": statement.billed,
        "paid": statement.paid,
        "earlier_due": statement.earlier_due,
        "on_account": statement.on_account,
        "due": statement.due,
    }
