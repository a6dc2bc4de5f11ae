"""A small clinic's claims and the payer's answer, shared by the X12 tests."""

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tandem.billing.x12.claim837 import (
    Batch,
    BillingProvider,
    Claim,
    Patient,
    Receiver,
    RenderingProvider,
    ServiceLine,
    Submitter,
    Subscriber,
)
from tandem.billing.x12.elements import Address, Envelope
from tandem.billing.x12.remit835 import (
    Adjustment,
    ClaimPayment,
    LinePayment,
    PayerContact,
    Remittance,
)

NPI = "1234567893"  # the CMS worked example, valid
OTHER_NPI = "1245319599"
HOME = Address("5 Elm Road", "Springfield", "IL", "62704")
CLINIC = Address("12 Oak Street", "Springfield", "IL", "62704-1234")
THERAPIST = RenderingProvider("Nguyen", "Alex", NPI, "225100000X")
SPEECH_THERAPIST = RenderingProvider("Okafor", "Ada", OTHER_NPI, "235Z00000X")
MAY_6 = date(2024, 5, 6)


def child_claim() -> Claim:
    """A child covered by their mother's plan: subscriber loop plus patient loop."""
    mother = Subscriber(
        member_id="XYZ123456789",
        last_name="Garcia",
        first_name="Maria",
        payer_name="Blue Cross",
        payer_id="00621",
        relationship="19",
        address=HOME,
        group_number="GRP100",
    )
    child = Patient("Garcia", "Leo", date(2019, 5, 1), "M", HOME)
    lines = (
        ServiceLine("97530", Decimal("150.00"), 3, MAY_6, ("GO",), None, (1, 2), "TND-L1"),
        ServiceLine(
            "92507", Decimal("120.50"), 1, MAY_6, ("GN",), "02", (3,), "TND-L2", SPEECH_THERAPIST
        ),
    )
    return Claim(
        patient_control_number="TND-0001",
        diagnoses=("F84.0", "F80.2", "R62.50"),
        rendering_provider=THERAPIST,
        subscriber=mother,
        lines=lines,
        prior_authorization="AUTH-778",
        patient=child,
    )


def self_claim() -> Claim:
    """A patient who is their own subscriber: no patient loop."""
    member = Subscriber(
        member_id="M998877",
        last_name="Lee",
        first_name="Sam",
        payer_name="Aetna",
        payer_id="60054",
        birth_date=date(2006, 1, 1),
        sex="F",
        address=HOME,
    )
    line = ServiceLine("97153", Decimal("200.25"), 8, date(2024, 5, 7), place_of_service="12")
    return Claim("TND-0002", ("F84.0",), THERAPIST, member, (line,), place_of_service="12")


def batch(*claims: Claim) -> Batch:
    """A test batch from Riverside to its clearinghouse."""
    return Batch(
        control_number=42,
        group_control_number=7,
        created_at=datetime(2024, 5, 8, 9, 30, tzinfo=UTC),
        sender_id="TANDEM01",
        receiver_id="CLEARHOUSE",
        submitter=Submitter("Riverside Pediatric Therapy", "TANDEM01", "Pat Smith", "217-555-0100"),
        receiver=Receiver("Clearinghouse Inc", "CLEARHOUSE"),
        billing_provider=BillingProvider(
            "Riverside Pediatric Therapy", NPI, "12-3456789", "261QR0405X", CLINIC, "2175550100"
        ),
        claims=claims or (child_claim(), self_claim()),
    )


def with_line(claim: Claim, **changes: Any) -> Claim:
    """The claim with its first line changed."""
    line = dataclasses.replace(claim.lines[0], **changes)
    return dataclasses.replace(claim, lines=(line, *claim.lines[1:]))


def remittance() -> Remittance:
    """The payer's answer: the first claim paid less CO-45 and PR-2, the second denied."""
    paid = ClaimPayment(
        patient_control_number="TND-0001",
        status_code="1",
        charge=Decimal("270.50"),
        paid=Decimal("202.50"),
        patient_responsibility=Decimal("20"),
        payer_claim_number="PCN-2024-001",
        patient_last_name="GARCIA",
        patient_first_name="LEO",
        member_id="XYZ123456789",
        lines=(
            LinePayment(
                "97530", Decimal("150"), Decimal("100"), Decimal(3), ("GO",), MAY_6, "TND-L1",
                (Adjustment("CO", "45", Decimal("30")), Adjustment("PR", "2", Decimal("20"))),
            ),
            LinePayment(
                "92507", Decimal("120.50"), Decimal("102.50"), Decimal(1), ("GN",), MAY_6, "TND-L2",
                (Adjustment("CO", "45", Decimal("18")),),
            ),
        ),
    )  # fmt: skip
    denied = ClaimPayment(
        patient_control_number="TND-0002",
        status_code="4",
        charge=Decimal("200.25"),
        paid=Decimal("0"),
        patient_responsibility=Decimal("0"),
        payer_claim_number="PCN-2024-002",
        patient_last_name="LEE",
        patient_first_name="SAM",
        member_id="M998877",
        filing_indicator="HM",
        adjustments=(Adjustment("CO", "50", Decimal("200.25")),),
    )
    return Remittance(
        payer_name="BLUE CROSS",
        payer_id="00621",
        payee_name="RIVERSIDE PEDIATRIC THERAPY",
        payee_npi=NPI,
        trace_number="EFT20240601",
        payment_date=date(2024, 6, 1),
        total_paid=Decimal("202.50"),
        claims=(paid, denied),
    )


PAYER = PayerContact(Address("1 Payer Way", "Chicago", "IL", "60601"), "36-1234567", "800-555-0199")
REMIT_ENVELOPE = Envelope(9, 9, datetime(2024, 6, 1, 8, 0, tzinfo=UTC), "BCBSIL", "TANDEM01")
