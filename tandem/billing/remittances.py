"""Remittances (835): what a payer paid, adjusted or denied, posted against our charges.

``import_835`` reads the file once (its SHA-256 is unique per clinic: the same file again
returns the first import, nothing posted twice), finds each claim by its patient control
number and each line by the control number the 837P gave it (else by code and date), and
posts the payer's payments and adjustments (CO, PR, OA, PI: the PR ones are the family's
share, see ``reading.owed``). A charge the payer owes nothing more on is closed. What was
found, what was not and the amounts that differ from what was billed go in the
remittance's report, one row per claim. One transaction: a file is posted whole or not
at all.
"""

import datetime
import hashlib
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from tandem.access import not_found
from tandem.accounts.models import Membership

from .claims import line_control_number
from .models import (
    Adjustment,
    BillingProfile,
    Charge,
    ChargeStatus,
    Claim,
    Party,
    Payment,
    PaymentMethod,
    Remittance,
)
from .reading import owed, with_balances
from .x12 import remit835 as x12
from .x12.errors import X12Error

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_BYTES = 5 * 1024 * 1024
REVERSAL = "22"
STATUS_LENGTH = 40
SHORT_STATUS = {  # CLP02 labels longer than Claim.status holds
    "19": "Primary, forwarded to another payer",
    "20": "Secondary, forwarded to another payer",
    "21": "Tertiary, forwarded to another payer",
    "25": "Pricing only, no payment",
}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- What the pages read ------------------------------------------------------------


def remittances_of(membership: Membership) -> QuerySet[Remittance]:
    return Remittance.objects.filter(organization_id=membership.organization_id).select_related(
        "imported_by__user"
    )


def get_remittance(membership: Membership, remittance_id: uuid.UUID | str) -> Remittance:
    try:
        return remittances_of(membership).get(pk=remittance_id)
    except (Remittance.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc


def imported_before(membership: Membership, text: str) -> Remittance | None:
    """The earlier import of this very file, if there was one."""
    return remittances_of(membership).filter(sha256=digest(text)).first()


def claims_named(remittance: Remittance) -> dict[str, Claim]:
    """The report's claims (found ones), by id, with their child (one query)."""
    ids = [row["claim_id"] for row in remittance.report if row.get("claim_id")]
    rows = Claim.objects.filter(organization_id=remittance.organization_id, pk__in=ids)
    return {str(c.pk): c for c in rows.select_related("child", "batch")}


# --- Importing ----------------------------------------------------------------------


def import_835(
    membership: Membership, text: str, *, at: datetime.datetime | None = None
) -> Remittance:
    """Post an 835's payments and adjustments (once per file); return its remittance."""
    if before := imported_before(membership, text):
        return before
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB: is it really an 835?"))
    try:
        parsed = x12.parse_835_all(text)
    except X12Error as exc:
        raise ValidationError(
            _("This file is not a remittance Tandem can read: %(error)s") % {"error": exc}
        ) from exc
    if not parsed:
        raise ValidationError(_("This file holds no payment."))
    _check_addressee(membership, parsed)
    _check_amounts(parsed)
    if before := _same_payment(membership, parsed):
        return before  # the same payment in a new envelope (a re-download): posted once
    try:
        with transaction.atomic():
            return _post(membership, text, parsed, at)
    except IntegrityError as exc:
        # The same file imported by someone else at the same moment.
        if before := imported_before(membership, text):
            return before
        raise ValidationError(_("The file could not be posted: try again.")) from exc


def _post(
    membership: Membership,
    text: str,
    parsed: Sequence[x12.Remittance],
    at: datetime.datetime | None,
) -> Remittance:
    sha = digest(text)
    first = parsed[0]
    remittance = Remittance(
        organization_id=membership.organization_id,
        sha256=sha,
        payer_name=first.payer_name[:120],
        trace_number=", ".join(dict.fromkeys(r.trace_number for r in parsed))[:60],
        paid_on=first.payment_date,
        total=sum((r.total_paid for r in parsed), ZERO),
        imported_by=membership,
        report=[],
    )
    remittance.save(at=at)
    claims = _claims(membership, parsed)
    report = []
    for t, payment in enumerate(parsed):
        for c, answer in enumerate(payment.claims):
            poster = _Poster(membership, remittance, payment, f"835:{sha[:32]}:{t}:{c}", at)
            report.append(poster.claim(answer, claims.get(answer.patient_control_number)))
    remittance.report = report
    remittance.save(update_fields=["report", "updated_at"], at=at)
    return remittance


def _check_addressee(membership: Membership, parsed: Sequence[x12.Remittance]) -> None:
    """Refuse a remittance paying another provider (the payee's NPI is not the clinic's)."""
    profile = BillingProfile.objects.filter(organization_id=membership.organization_id).first()
    if profile is None:
        return
    others = {r.payee_npi for r in parsed if r.payee_npi and r.payee_npi != profile.npi}
    if others:
        raise ValidationError(
            _("This remittance pays NPI %(npi)s, not this clinic (%(ours)s): nothing was posted.")
            % {"npi": ", ".join(sorted(others)), "ours": profile.npi}
        )


LARGEST = Decimal("99999999.99")  # the money columns' 10 digits


def _check_amounts(parsed: Sequence[x12.Remittance]) -> None:
    """Refuse amounts no charge of a clinic could carry (before anything is posted)."""
    amounts = [r.total_paid for r in parsed]
    for payment in parsed:
        for answer in payment.claims:
            amounts += [answer.charge, answer.paid, answer.patient_responsibility]
            amounts += [a.amount for a in answer.adjustments]
            for line in answer.lines:
                amounts += [line.charge, line.paid, *(a.amount for a in line.adjustments)]
    if any(a is not None and abs(a) > LARGEST for a in amounts):
        raise ValidationError(
            _("This file has an amount too large to be real: nothing was posted.")
        )


def _same_payment(membership: Membership, parsed: Sequence[x12.Remittance]) -> Remittance | None:
    """An earlier import of the same payment: the same trace (check or EFT) numbers."""
    traces = ", ".join(dict.fromkeys(r.trace_number for r in parsed))[:60]
    return Remittance.objects.filter(
        organization_id=membership.organization_id, trace_number=traces
    ).first()


def _claims(membership: Membership, parsed: Sequence[x12.Remittance]) -> dict[str, Claim]:
    numbers = {answer.patient_control_number for r in parsed for answer in r.claims}
    org = membership.organization_id
    live = Charge.objects.filter(organization_id=org).exclude(status=ChargeStatus.VOID)
    rows = (
        Claim.objects.filter(organization_id=org, control_number__in=numbers)
        .select_related("child")
        .prefetch_related(Prefetch("charges", queryset=live.order_by("service_date", "code")))
        .select_for_update(of=("self",))
    )
    return {claim.control_number: claim for claim in rows}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _adjustments(items: Sequence[x12.Adjustment]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": _money(a.amount) or ""} for a in items]


def _shares(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, to the cent (the last takes the rest)."""
    whole = sum(weights, ZERO)
    if not weights:
        return []
    if whole == 0:
        return [total] + [ZERO] * (len(weights) - 1)
    shares = [(total * w / whole).quantize(CENT) for w in weights[:-1]]
    return [*shares, total - sum(shares, ZERO)]


class _Poster:
    """Posts one claim payment of one 835 transaction."""

    def __init__(
        self,
        membership: Membership,
        remittance: Remittance,
        payment: x12.Remittance,
        key: str,
        at: datetime.datetime | None,
    ) -> None:
        self.membership = membership
        self.remittance = remittance
        self.payment = payment
        self.key = key
        self.at = at
        self.posted = 0

    def claim(self, answer: x12.ClaimPayment, claim: Claim | None) -> dict[str, Any]:
        row: dict[str, Any] = {
            "control_number": answer.patient_control_number,
            "payer_claim_number": answer.payer_claim_number,
            "status_code": answer.status_code,
            "status": answer.status_label,
            "charged": _money(answer.charge),
            "paid": _money(answer.paid),
            "patient_share": _money(answer.patient_responsibility),
            "adjustments": _adjustments(answer.adjustments),
            "claim_id": None,
            "child_id": None,
            "billed": None,
            "differences": [],
            "lines": [],
        }
        if claim is None:
            return row | {"outcome": "not_found"}
        row |= {"claim_id": str(claim.pk), "child_id": str(claim.child_id)}
        row["billed"] = _money(claim.total)
        if answer.charge != claim.total:
            row["differences"].append(
                {
                    "code": "",
                    "service_date": None,
                    "billed": row["billed"],
                    "charged": row["charged"],
                }
            )
        if answer.status_code == REVERSAL:
            return row | {"outcome": "reversal"}
        if self._answered_before(claim):
            return row | {"outcome": "already_posted"}
        charges = list(claim.charges.all())
        row["lines"] = self._lines(answer, charges, row["differences"])
        self._claim_level(answer, charges)
        claim.paid += answer.paid
        label = SHORT_STATUS.get(answer.status_code, answer.status_label)
        claim.status = label[:STATUS_LENGTH]
        claim.save(update_fields=["paid", "status", "updated_at"], at=self.at)
        self._close(claim, charges)
        return row | {"outcome": "matched"}

    def _answered_before(self, claim: Claim) -> bool:
        """Whether an earlier remittance already posted on this claim's charges (a second
        answer — a correction after a reversal — is for billing to post by hand)."""
        return (
            Payment.objects.filter(organization_id=claim.organization_id, charge__claim=claim)
            .exclude(remittance=self.remittance)
            .exclude(remittance__isnull=True)
            .exists()
            or Adjustment.objects.filter(organization_id=claim.organization_id, charge__claim=claim)
            .exclude(remittance=self.remittance)
            .exclude(remittance__isnull=True)
            .exists()
        )

    def _lines(
        self, answer: x12.ClaimPayment, charges: list[Charge], differences: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_control = {line_control_number(c.pk): c for c in charges}
        used: set[Any] = set()
        rows = []
        for line in answer.lines:
            charge = by_control.get(line.control_number)
            if charge is None or charge.pk in used:
                charge = next(
                    (
                        c
                        for c in charges
                        if c.pk not in used
                        and c.code == line.procedure_code
                        and (line.service_date is None or c.service_date == line.service_date)
                    ),
                    None,
                )
            row = {
                "code": line.procedure_code,
                "service_date": line.service_date.isoformat() if line.service_date else None,
                "charged": _money(line.charge),
                "paid": _money(line.paid),
                "adjustments": _adjustments(line.adjustments),
                "matched": charge is not None,
                "billed": None,
            }
            rows.append(row)
            if charge is None:
                continue
            used.add(charge.pk)
            row["billed"] = _money(charge.amount)
            if line.charge != charge.amount:
                differences.append(
                    {
                        "code": charge.code,
                        "service_date": charge.service_date.isoformat(),
                        "billed": row["billed"],
                        "charged": row["charged"],
                    }
                )
            self._pay(charge, line.paid)
            for adjustment in line.adjustments:
                self._adjust(charge, adjustment.group, adjustment.reason, adjustment.amount)
        return rows

    def _claim_level(self, answer: x12.ClaimPayment, charges: list[Charge]) -> None:
        """A payment without line detail, and claim-level adjustments, spread over the
        claim's charges in proportion to their amounts."""
        if not charges:
            return
        weights = [c.amount for c in charges]
        if not answer.lines:
            for charge, share in zip(charges, _shares(answer.paid, weights), strict=True):
                self._pay(charge, share)
        for adjustment in answer.adjustments:
            shares = _shares(adjustment.amount, weights)
            for charge, share in zip(charges, shares, strict=True):
                self._adjust(charge, adjustment.group, adjustment.reason, share)

    def _pay(self, charge: Charge, amount: Decimal) -> None:
        if amount <= 0:
            return  # nothing paid (a denial); reversals are left to billing (see claim())
        self.posted += 1
        payment = Payment(
            organization_id=charge.organization_id,
            child_id=charge.child_id,
            charge=charge,
            party=Party.PAYER,
            method=PaymentMethod.REMITTANCE,
            amount=amount,
            received_on=self.payment.payment_date,
            reference=self.payment.trace_number[:60],
            remittance=self.remittance,
            recorded_by=self.membership,
            idempotency_key=f"{self.key}:{self.posted}",
        )
        payment.save(at=self.at)

    def _adjust(self, charge: Charge, group: str, reason: str, amount: Decimal) -> None:
        if amount == 0:
            return
        adjustment = Adjustment(
            organization_id=charge.organization_id,
            child_id=charge.child_id,
            charge=charge,
            group_code=group[:2],
            reason_code=reason[:5],
            amount=amount,
            remittance=self.remittance,
            recorded_by=self.membership,
        )
        adjustment.save(at=self.at)

    def _close(self, claim: Claim, charges: list[Charge]) -> None:
        """Close the claim's billed charges the payer owes nothing more on."""
        billed = [c.pk for c in charges if c.status == ChargeStatus.BILLED]
        if not billed:
            return
        rows = with_balances(
            Charge.objects.filter(organization_id=claim.organization_id, pk__in=billed)
        )
        for charge in rows:
            if owed(charge).payer <= 0:
                charge.status = ChargeStatus.CLOSED
                charge.version += 1
                charge.save(at=self.at)
