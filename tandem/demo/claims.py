"""The demo clinic's claims: Blue Valley Health's open charges of sessions over a month
old billed in one 837P file three weeks ago, and the payer's 835 answer two weeks ago,
imported as billing imports one — most lines paid less the contract's write-off (CO-45)
and a copay the family owes (PR-3), one line denied (CO-50, not medically necessary)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from tandem.accounts.models import Membership, Organization
from tandem.billing import claims, remittances
from tandem.billing.claims_lines import line_control_number
from tandem.billing.models import Charge, ChargeStatus, ClaimBatch, Payer
from tandem.billing.x12.elements import Address, Envelope
from tandem.billing.x12.remit835 import (
    Adjustment,
    ClaimPayment,
    LinePayment,
    PayerContact,
    Remittance,
    build_835,
)
from tandem.core import clock

CENT = Decimal("0.01")
ALLOWED = Decimal("0.80")  # the contract pays 80 % of the fee
COPAY = Decimal("10.00")
CONTACT = PayerContact(
    Address("9 Health Plaza", "Springfield", "IL", "62701"), "371234567", "8005550142"
)


def build_claims(
    organization: Organization, members: dict[str, Membership], today: datetime.date
) -> None:
    biller = members.get("billing")
    payer = Payer.objects.filter(organization=organization, name="Blue Valley Health").first()
    if biller is None or payer is None:
        return
    cutoff = today - datetime.timedelta(days=30)
    charges = [c for c in claims.open_charges(biller, payer) if c.service_date <= cutoff]
    if not charges:
        return
    sent = clock.start_of(today - datetime.timedelta(days=21)) + datetime.timedelta(hours=10)
    batch = claims.build_batch(biller, payer, [c.pk for c in charges], at=sent)
    paid_on = today - datetime.timedelta(days=14)
    text = _answer(organization, batch, paid_on)
    remittances.import_835(biller, text, at=clock.start_of(paid_on) + datetime.timedelta(hours=9))


def _answer(organization: Organization, batch: ClaimBatch, paid_on: datetime.date) -> str:
    answers = []
    denied = False
    for claim in batch.claims.select_related("child", "policy").order_by("control_number"):
        lines = []
        charges = Charge.objects.filter(
            organization=organization, claim=claim, status=ChargeStatus.BILLED
        ).order_by("service_date", "code")
        for charge in charges:
            if not denied and charge.code == "97110":
                denied = True
                lines.append(_line(charge, Decimal("0"), (("CO", "50", charge.amount),)))
                continue
            allowed = (charge.amount * ALLOWED).quantize(CENT, ROUND_HALF_UP)
            copay = min(COPAY, allowed)
            lines.append(
                _line(
                    charge,
                    allowed - copay,
                    (
                        ("CO", "45", charge.amount - allowed),
                        ("PR", "3", copay),
                    ),
                )
            )
        paid = sum((line.paid for line in lines), Decimal("0"))
        answers.append(
            ClaimPayment(
                patient_control_number=claim.control_number,
                status_code="1",
                charge=sum((line.charge for line in lines), Decimal("0")),
                paid=paid,
                patient_responsibility=sum(
                    (a.amount for line in lines for a in line.adjustments if a.group == "PR"),
                    Decimal("0"),
                ),
                payer_claim_number=f"BV{claim.control_number}",
                patient_last_name=claim.child.last_name,
                patient_first_name=claim.child.first_name,
                member_id=claim.policy.member_id,
                lines=tuple(lines),
            )
        )
    remittance = Remittance(
        payer_name="BLUE VALLEY HEALTH",
        payer_id="BVH01",
        payee_name=organization.name.upper(),
        payee_npi=organization.billing_profile.npi,
        trace_number=f"EFT{batch.number:06d}",
        payment_date=paid_on,
        total_paid=sum((a.paid for a in answers), Decimal("0")),
        claims=tuple(answers),
    )
    at = datetime.datetime.combine(paid_on, datetime.time(8), tzinfo=datetime.UTC)
    return build_835(
        remittance,
        CONTACT,
        Envelope(batch.number, batch.number, at, "BVH01", organization.billing_profile.tax_id),
    )


def _line(
    charge: Charge, paid: Decimal, adjustments: tuple[tuple[str, str, Decimal], ...]
) -> LinePayment:
    return LinePayment(
        charge.code,
        charge.amount,
        paid,
        Decimal(charge.units),
        tuple(charge.modifier_list),
        charge.service_date,
        line_control_number(charge.pk),
        tuple(Adjustment(g, r, a) for g, r, a in adjustments if a),
    )
