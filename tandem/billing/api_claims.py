"""The claims API (admins and billing, ``billing.manage``), the same actions as the pages:

- ``/billing/claim-batches``: the clinic's claim files (837P), newest first; build one
  from a payer's open charges (once per ``Idempotency-Key``);
- ``/billing/claim-batches/{batch_id}``: a file's claims, their lines and the file itself;
- ``/billing/remittances``: the imported remittances (835); import one (a file already
  imported is answered with its first import, 200, and nothing is posted again);
- ``/billing/remittances/{remittance_id}``: what an import posted, claim by claim.

Bad input (a charge not the clinic's or already billed, a file that is not an 835) is a
422 with a message.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tandem.access.api import path_param, permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core import idempotency

from . import claims as claim_files
from . import remittances as remits
from .models import Claim, ClaimBatch, Remittance
from .reading import owed

router = Router(tags=["billing"])
LIST_LIMIT = 200
_BATCH = "_billing_batch"
_REMITTANCE = "_billing_remittance"
_may_manage = permits_api("billing.manage")


def _batch_in_path(request: HttpRequest, membership: Any) -> None:
    """The role, then the path's file (another clinic's: 404)."""
    _may_manage(request, membership)
    setattr(request, _BATCH, claim_files.get_batch(membership, path_param(request, "batch_id")))


def _remittance_in_path(request: HttpRequest, membership: Any) -> None:
    _may_manage(request, membership)
    record = remits.get_remittance(membership, path_param(request, "remittance_id"))
    setattr(request, _REMITTANCE, record)


MANAGE = signed_in(_may_manage)
ON_BATCH = signed_in(_batch_in_path)
ON_REMITTANCE = signed_in(_remittance_in_path)


# --- Claim files -------------------------------------------------------------------------


class BatchOut(Schema):
    id: uuid.UUID
    number: int = Field(description="The interchange control number (ISA13) of the file.")
    payer_id: uuid.UUID
    payer_name: str
    created_at: datetime.datetime
    created_by: str
    claim_count: int
    billed: Decimal
    paid: Decimal


class ClaimLineOut(Schema):
    charge_id: uuid.UUID
    control_number: str = Field(description="The line's REF*6R: the 835 sends it back.")
    service_date: datetime.date
    code: str
    modifiers: list[str]
    units: int
    amount: Decimal
    status: str
    owed_by_payer: Decimal
    owed_by_family: Decimal


class ClaimOut(Schema):
    id: uuid.UUID
    control_number: str = Field(description="The patient control number (CLM01).")
    child_id: uuid.UUID
    child_name: str
    policy_id: uuid.UUID
    total: Decimal
    paid: Decimal
    status: str = Field(description="The payer's answer from the 835, once there is one.")
    lines: list[ClaimLineOut]


class BatchDetailOut(BatchOut):
    claims: list[ClaimOut]
    content: str = Field(description="The 837P file as sent.")


class BatchIn(InputSchema):
    payer_id: uuid.UUID
    charge_ids: list[uuid.UUID] = Field(min_length=1, max_length=2000)


def _batch(batch: ClaimBatch, claims: list[Claim] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": batch.pk,
        "number": batch.number,
        "payer_id": batch.payer_id,
        "payer_name": batch.payer.name,
        "created_at": batch.created_at,
        "created_by": batch.created_by.display_name,
    }
    if claims is None:
        return found | {
            "claim_count": batch.claim_count,  # type: ignore[attr-defined]
            "billed": batch.billed,  # type: ignore[attr-defined]
            "paid": batch.paid,  # type: ignore[attr-defined]
        }
    return found | {
        "claim_count": len(claims),
        "billed": sum((c.total for c in claims), Decimal("0")),
        "paid": sum((c.paid for c in claims), Decimal("0")),
        "claims": [_claim(c) for c in claims],
        "content": batch.content,
    }


def _claim(claim: Claim) -> dict[str, Any]:
    lines = []
    for charge in claim.charges.all():
        balance = owed(charge)
        lines.append(
            {
                "charge_id": charge.pk,
                "control_number": claim_files.line_control_number(charge.pk),
                "service_date": charge.service_date,
                "code": charge.code,
                "modifiers": charge.modifier_list,
                "units": charge.units,
                "amount": charge.amount,
                "status": charge.status,
                "owed_by_payer": balance.payer,
                "owed_by_family": balance.family,
            }
        )
    return {
        "id": claim.pk,
        "control_number": claim.control_number,
        "child_id": claim.child_id,
        "child_name": claim.child.display_name,
        "policy_id": claim.policy_id,
        "total": claim.total,
        "paid": claim.paid,
        "status": claim.status,
        "lines": lines,
    }


def _detail(request: HttpRequest, batch: ClaimBatch) -> dict[str, Any]:
    claims = claim_files.claims_of(batch)
    log_access(request, [c.child for c in claims])
    return _batch(batch, claims)


@router.get("/billing/claim-batches", response={200: list[BatchOut], **ERRORS}, auth=MANAGE)
def list_batches(request: HttpRequest) -> list[dict[str, Any]]:
    """The clinic's claim files, newest first (at most 200)."""
    rows = claim_files.batches_of(acting_member(request)).prefetch_related(None)
    return [_batch(b) for b in rows[:LIST_LIMIT]]


@router.post(
    "/billing/claim-batches",
    response={201: BatchDetailOut, **ERRORS},
    auth=MANAGE,
    openapi_extra=IDEMPOTENCY_HEADER,
)
def build_batch(request: HttpRequest, payload: BatchIn) -> Any:
    """Bill a payer's open charges in one 837P file (checked with pyx12 before it is kept):
    one claim per child, policy and authorization. Once per ``Idempotency-Key``."""
    membership = acting_member(request)
    key = idempotency.key_of(request, api=True)

    def write() -> dict[str, Any]:
        made = claim_files.build_batch(
            membership, payload.payer_id, payload.charge_ids, idempotency_key=key
        )
        return _detail(request, claim_files.get_batch(membership, made.pk))

    return run_once(request, "billing.claims", 201, BatchDetailOut, write)


@router.get(
    "/billing/claim-batches/{batch_id}",
    response={200: BatchDetailOut, **ERRORS},
    auth=ON_BATCH,
)
def get_batch(request: HttpRequest, batch_id: uuid.UUID) -> dict[str, Any]:
    """A claim file: its claims and lines (with what is still owed) and the file's text."""
    return _detail(request, getattr(request, _BATCH))


# --- Remittances -------------------------------------------------------------------------


class RemittanceOut(Schema):
    id: uuid.UUID
    payer_name: str
    trace_number: str
    paid_on: datetime.date | None
    total: Decimal
    imported_at: datetime.datetime
    imported_by: str


class RemittanceAdjustmentOut(Schema):
    group: str = Field(description="CO, PR (the family's share), OA or PI.")
    reason: str = Field(description="The claim adjustment reason code (CARC).")
    amount: Decimal


class ReportLineOut(Schema):
    code: str
    service_date: datetime.date | None
    charged: Decimal | None = Field(description="What the payer says was charged.")
    billed: Decimal | None = Field(description="What we billed, when the line was found.")
    paid: Decimal | None
    matched: bool
    adjustments: list[RemittanceAdjustmentOut]


class DifferenceOut(Schema):
    code: str = Field(description="The line's code; empty for the claim's total.")
    service_date: datetime.date | None
    billed: Decimal | None
    charged: Decimal | None


class ReportRowOut(Schema):
    control_number: str
    outcome: str = Field(
        description=(
            "matched, not_found (not one of our claims), reversal, or already_posted "
            "(an earlier remittance answered it: nothing posted again)."
        )
    )
    claim_id: uuid.UUID | None
    child_id: uuid.UUID | None
    status_code: str
    status: str
    payer_claim_number: str
    charged: Decimal | None
    billed: Decimal | None
    paid: Decimal | None
    patient_share: Decimal | None
    adjustments: list[RemittanceAdjustmentOut]
    differences: list[DifferenceOut]
    lines: list[ReportLineOut]


class RemittanceDetailOut(RemittanceOut):
    already_imported: bool = Field(description="True when this file had been imported before.")
    report: list[ReportRowOut]


class RemittanceIn(InputSchema):
    content: str = Field(min_length=1, max_length=remits.MAX_BYTES, description="The 835 text.")


def _remittance(record: Remittance) -> dict[str, Any]:
    return {
        "id": record.pk,
        "payer_name": record.payer_name,
        "trace_number": record.trace_number,
        "paid_on": record.paid_on,
        "total": record.total,
        "imported_at": record.created_at,
        "imported_by": record.imported_by.display_name,
    }


def _report(request: HttpRequest, record: Remittance, already: bool) -> dict[str, Any]:
    log_access(
        request,
        [c.child for c in remits.claims_named(record).values()],
        action=AccessLog.Action.VIEW,
    )
    return _remittance(record) | {"already_imported": already, "report": record.report}


@router.get("/billing/remittances", response={200: list[RemittanceOut], **ERRORS}, auth=MANAGE)
def list_remittances(request: HttpRequest) -> list[dict[str, Any]]:
    """The imported remittances, newest first (at most 200)."""
    rows = remits.remittances_of(acting_member(request)).defer("report")[:LIST_LIMIT]
    return [_remittance(r) for r in rows]


@router.post(
    "/billing/remittances",
    response={200: RemittanceDetailOut, 201: RemittanceDetailOut, **ERRORS},
    auth=MANAGE,
)
def import_remittance(request: HttpRequest, payload: RemittanceIn) -> Any:
    """Post an 835's payments and adjustments to the claims' charges. The same file again
    posts nothing and answers 200 with its first import."""
    membership = acting_member(request)
    before = remits.imported_before(membership, payload.content)
    if before is not None:
        return Status(200, _report(request, before, True))
    record = remits.import_835(membership, payload.content)
    return Status(201, _report(request, record, False))


@router.get(
    "/billing/remittances/{remittance_id}",
    response={200: RemittanceDetailOut, **ERRORS},
    auth=ON_REMITTANCE,
)
def get_remittance(request: HttpRequest, remittance_id: uuid.UUID) -> dict[str, Any]:
    """What an imported remittance posted, claim by claim."""
    return _report(request, getattr(request, _REMITTANCE), False)
