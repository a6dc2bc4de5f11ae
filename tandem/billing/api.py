"""The billing API everyone shares (the same rules and actions as the pages):

- ``/children/{child_id}/sessions/{note_id}/codes``: a session's codes (read by its
  editors; the author lists them on a draft, an editor corrects them once signed, with a
  ``reason`` that becomes an addendum); a stale ``token`` is a 409;
- ``/children/{child_id}/charges``: a child's charges with what is still owed (admins and
  billing); ``/children/{child_id}/payments``: record a payment (once per
  ``Idempotency-Key``);
- ``/billing/unbilled``, ``/billing/aging``, ``/billing/authorizations-at-risk``: the
  clinic's queues (admins and billing).
"""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from tandem.access import child_for, require
from tandem.access.api import permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core import clock
from tandem.notes.models import NoteStatus

from . import catalogue, charging, payments
from .access import (
    charges_of,
    clinic_authorizations,
    clinic_charges,
    clinic_notes,
    get_charge,
    note_of,
)
from .models import Charge, Party, PaymentMethod
from .reading import aging, at_risk, owed, unbilled_notes, with_balances

router = Router(tags=["billing"])
MAX_ROWS = 200


class LineIn(InputSchema):
    code: str = Field(max_length=5, description="A service code of the catalogue")
    minutes: int = Field(description="Minutes spent on it (1–480)")
    modifiers: list[str] = Field(default_factory=list, max_length=4)


class LineOut(Schema):
    code: str
    label: str
    timed: bool
    minutes: int
    modifiers: list[str]


class CodesOut(Schema):
    note_id: uuid.UUID
    note_status: str
    token: str = Field(description="Send it back with a change: a stale one is a 409")
    lines: list[LineOut]


class CodesIn(InputSchema):
    token: str = Field(max_length=64)
    lines: list[LineIn] = Field(max_length=charging.MAX_LINES)
    reason: str = Field("", max_length=1000, description="Why (a signed note's correction)")


class ChargeOut(Schema):
    id: uuid.UUID
    note_id: uuid.UUID
    service_date: datetime.date
    code: str
    modifiers: list[str]
    minutes: int
    units: int
    unit_fee: Decimal
    fee: Decimal
    discount: Decimal
    amount: Decimal
    billed_to: str
    payer: str | None
    authorization: str | None
    diagnoses: list[str]
    status: str
    owed_by_family: Decimal
    owed_by_payer: Decimal


def _codes(note: Any) -> dict[str, Any]:
    lines = charging.lines_of(note)
    return {
        "note_id": note.pk,
        "note_status": note.status,
        "token": charging.lines_token(lines),
        "lines": [
            {
                "code": ln.code,
                "label": str(catalogue.BY_CODE[ln.code].label),
                "timed": catalogue.BY_CODE[ln.code].timed,
                "minutes": ln.minutes,
                "modifiers": ln.modifier_list,
            }
            for ln in lines
        ],
    }


@router.get(
    "/children/{child_id}/sessions/{note_id}/codes",
    response={200: CodesOut, **ERRORS},
    auth=signed_in(permits_api("billing.correct")),
)
def get_codes(request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID) -> dict[str, Any]:
    """A session's service codes and the token a change sends back."""
    child = child_for(request, child_id, "billing.correct")
    log_access(request, [child])
    return _codes(note_of(child, note_id))


@router.put(
    "/children/{child_id}/sessions/{note_id}/codes",
    response={200: CodesOut, 409: ConflictOut, **ERRORS},
    auth=signed_in(permits_api("billing.correct", gate="billing.correct")),
)
def put_codes(
    request: HttpRequest, child_id: uuid.UUID, note_id: uuid.UUID, payload: CodesIn
) -> dict[str, Any]:
    """Replace a draft's codes (its author), or correct a signed note's (an editor, with a
    reason: the charges are made again and the note gets an addendum)."""
    membership = acting_member(request)
    # Those who may not read a session's codes find nothing to change (404).
    child = child_for(request, child_id, "billing.correct", hide=True)
    note = note_of(child, note_id)
    rows = [line.model_dump() for line in payload.lines]
    if note.status == NoteStatus.SIGNED:
        require(membership, "billing.correct", child=child, obj=note)
        charging.correct_lines(note, membership, rows, token=payload.token, reason=payload.reason)
    else:
        require(membership, "billing.codes", child=child, obj=note)
        charging.save_lines(note, membership, rows, token=payload.token)
    return _codes(note)


def _charge(charge: Charge) -> dict[str, Any]:
    balance = owed(charge)
    return {
        "id": charge.pk,
        "note_id": charge.note_id,
        "service_date": charge.service_date,
        "code": charge.code,
        "modifiers": charge.modifier_list,
        "minutes": charge.minutes,
        "units": charge.units,
        "unit_fee": charge.unit_fee,
        "fee": charge.fee,
        "discount": charge.discount,
        "amount": charge.amount,
        "billed_to": charge.party,
        "payer": charge.policy.payer.name if charge.policy else None,
        "authorization": charge.authorization.number if charge.authorization else None,
        "diagnoses": list(charge.diagnoses),
        "status": charge.status,
        "owed_by_family": balance.family,
        "owed_by_payer": balance.payer,
    }


@router.get(
    "/children/{child_id}/charges",
    response={200: list[ChargeOut], **ERRORS},
    auth=signed_in(permits_api("billing.view")),
)
def list_charges(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's charges, newest first (at most 200), with what is still owed."""
    child = child_for(request, child_id, "billing.view")
    log_access(request, [child])
    rows = with_balances(charges_of(child).select_related("authorization"))[:MAX_ROWS]
    return [_charge(c) for c in rows]


class PaymentIn(InputSchema):
    amount: Decimal = Field(gt=0, le=100000, decimal_places=2)
    paid_by: Party
    method: PaymentMethod
    received_on: datetime.date
    reference: str = Field("", max_length=60)
    charge_id: uuid.UUID | None = None


class PaymentOut(Schema):
    id: uuid.UUID
    amount: Decimal
    paid_by: str
    method: str
    received_on: datetime.date
    charge_id: uuid.UUID | None


@router.post(
    "/children/{child_id}/payments",
    response={201: PaymentOut, **ERRORS},
    auth=signed_in(permits_api("billing.payments", gate="billing.view")),
    openapi_extra=IDEMPOTENCY_HEADER,
)
def record_payment(request: HttpRequest, child_id: uuid.UUID, payload: PaymentIn) -> HttpResponse:
    """Record money received for the child (once per ``Idempotency-Key``)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "billing.payments")

    def write() -> dict[str, Any]:
        made = payments.record_payment(
            membership,
            child,
            amount=payload.amount,
            party=str(payload.paid_by),
            method=str(payload.method),
            received_on=payload.received_on,
            reference=payload.reference,
            charge_id=payload.charge_id,
        )
        return {
            "id": made.pk,
            "amount": made.amount,
            "paid_by": made.party,
            "method": made.method,
            "received_on": made.received_on,
            "charge_id": made.charge_id,
        }

    return run_once(request, "billing.payment", 201, PaymentOut, write)


class AdjustmentIn(InputSchema):
    charge_id: uuid.UUID
    amount: Decimal = Field(description="Less owed; negative takes a write-off back")
    group_code: str = Field("OA", description="CO, OA or PI", max_length=2)
    reason_code: str = Field("45", max_length=5)


class AdjustmentOut(Schema):
    id: uuid.UUID
    charge_id: uuid.UUID
    amount: Decimal
    group_code: str
    reason_code: str


@router.post(
    "/children/{child_id}/adjustments",
    response={201: AdjustmentOut, **ERRORS},
    auth=signed_in(permits_api("billing.payments", gate="billing.view")),
    openapi_extra=IDEMPOTENCY_HEADER,
)
def record_adjustment(
    request: HttpRequest, child_id: uuid.UUID, payload: AdjustmentIn
) -> HttpResponse:
    """Write off part of a charge (once per ``Idempotency-Key``)."""
    membership = acting_member(request)
    child = child_for(request, child_id, "billing.payments")
    charge = get_charge(child, payload.charge_id)

    def write() -> dict[str, Any]:
        made = payments.write_off(
            membership,
            charge,
            amount=payload.amount,
            group_code=payload.group_code,
            reason_code=payload.reason_code,
        )
        return {
            "id": made.pk,
            "charge_id": made.charge_id,
            "amount": made.amount,
            "group_code": made.group_code,
            "reason_code": made.reason_code,
        }

    return run_once(request, "billing.adjustment", 201, AdjustmentOut, write)


class UnbilledOut(Schema):
    note_id: uuid.UUID
    child_id: uuid.UUID
    date: datetime.date
    therapist: str
    has_codes: bool


class AgingOut(Schema):
    child_id: uuid.UUID
    child: str
    buckets: dict[str, Decimal]
    family: Decimal
    payer: Decimal
    total: Decimal


class AtRiskOut(Schema):
    authorization_id: uuid.UUID
    child_id: uuid.UUID
    number: str
    payer: str
    counts: str
    allowed: int
    used: int
    ends_on: datetime.date
    nearly_used: bool
    ending_soon: bool


_manage = signed_in(permits_api("billing.manage"))


def _listed(request: HttpRequest, children: list[Any]) -> None:
    """The children a clinic-wide list names go to the access log, once each."""
    log_access(request, {c.pk: c for c in children}.values(), action=AccessLog.Action.LIST)


@router.get("/billing/unbilled", response={200: list[UnbilledOut], **ERRORS}, auth=_manage)
def list_unbilled(request: HttpRequest) -> list[dict[str, Any]]:
    """Signed sessions without charges, oldest first (at most 200)."""
    notes = list(unbilled_notes(clinic_notes(acting_member(request)))[:MAX_ROWS])
    _listed(request, [n.child for n in notes])
    return [
        {
            "note_id": n.pk,
            "child_id": n.child_id,
            "date": n.date,
            "therapist": n.author.display_name,
            "has_codes": bool(n.lines),  # type: ignore[attr-defined]
        }
        for n in notes
    ]


@router.get("/billing/aging", response={200: list[AgingOut], **ERRORS}, auth=_manage)
def list_aging(request: HttpRequest) -> list[dict[str, Any]]:
    """What each child's family and payers still owe, by days since the session."""
    membership = acting_member(request)
    rows, _total = aging(clinic_charges(membership), clock.today_for(membership.organization))
    _listed(request, [r.child for r in rows[:MAX_ROWS]])
    return [
        {
            "child_id": r.child.pk,
            "child": r.child.display_name,
            "buckets": r.buckets,
            "family": r.family,
            "payer": r.payer,
            "total": r.total,
        }
        for r in rows[:MAX_ROWS]
    ]


@router.get(
    "/billing/authorizations-at-risk", response={200: list[AtRiskOut], **ERRORS}, auth=_manage
)
def list_at_risk(request: HttpRequest) -> list[dict[str, Any]]:
    """Running authorizations 80 % used or ending within 30 days."""
    membership = acting_member(request)
    today = clock.today_for(membership.organization)
    risky = at_risk(clinic_authorizations(membership), today)
    _listed(request, [u.authorization.child for u in risky])
    return [
        {
            "authorization_id": u.authorization.pk,
            "child_id": u.authorization.child_id,
            "number": u.authorization.number,
            "payer": u.authorization.policy.payer.name,
            "counts": u.authorization.counts,
            "allowed": u.authorization.allowed,
            "used": u.used,
            "ends_on": u.authorization.ends_on,
            "nearly_used": u.nearly_used,
            "ending_soon": u.ending_soon,
        }
        for u in risky
    ]
