"""A clinic ready to bill insurance, for the claims and remittances tests: a billing
profile, the therapist's NPI, fees, a payer, the children's policies and diagnoses, and
sessions whose signed notes make the charges (``charging.make_charges``)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tandem.accounts.models import Membership
from tandem.billing import charging, insurance
from tandem.billing.models import (
    Authorization,
    BillingProfile,
    Charge,
    ClaimBatch,
    FeeScheduleEntry,
    Payer,
    Policy,
    ProviderNumber,
)
from tandem.billing.x12.elements import Address, Envelope
from tandem.billing.x12.remit835 import (
    Adjustment,
    ClaimPayment,
    LinePayment,
    PayerContact,
    Remittance,
    build_835,
)
from tandem.children.models import Child, Diagnosis
from tandem.conftest import World
from tandem.notes import actions
from tandem.notes.tests.helpers import TODAY, make_note

CLINIC_NPI = "1234567893"  # the CMS worked example: a valid NPI
THERAPIST_NPI = "1245319599"
FEES = {"97530": Decimal("40.00"), "97110": Decimal("35.00"), "92507": Decimal("120.00")}
PAYER_CONTACT = PayerContact(
    Address("1 Payer Way", "Chicago", "IL", "60601"), "36-1234567", "800-555-0199"
)


@dataclass
class Billing:
    payer: Payer
    policy: Policy  # Maya's: her mother is the policyholder (relationship 19)
    sibling_policy: Policy  # Eli's: he is the policyholder (18)
    authorization: Authorization  # Maya's, for 97530 and 97110


def insure(world: World, child: Child, payer: Payer, relationship: str = "19") -> Policy:
    policy = insurance.add_policy(
        world.admin,
        child,
        payer=payer,
        member_id=f"M{child.first_name.upper()}01",
        subscriber_first_name="Ada",
        subscriber_last_name=child.last_name,
        relationship=relationship,
        starts_on=TODAY - datetime.timedelta(days=90),
        group_number="GRP7",
    )
    policy.address, policy.city, policy.state, policy.postal_code = (
        "5 Elm Road",
        "Springfield",
        "IL",
        "62704",
    )
    policy.save()
    return policy


def ready_to_bill(world: World) -> Billing:
    """Riverside set up to bill Blue Meadow Health for Maya and Eli."""
    BillingProfile.objects.create(
        organization=world.org,
        legal_name="Riverside Pediatric Therapy",
        npi=CLINIC_NPI,
        tax_id="12-3456789",
        taxonomy="261QR0405X",
        address="12 Oak Street",
        city="Springfield",
        state="IL",
        postal_code="62704-1234",
        phone="217-555-0100",
    )
    ProviderNumber.objects.create(
        organization=world.org, membership=world.therapist, npi=THERAPIST_NPI, taxonomy="225X00000X"
    )
    for code, amount in FEES.items():
        FeeScheduleEntry.objects.create(
            organization=world.org,
            code=code,
            amount=amount,
            effective_from=TODAY - datetime.timedelta(days=365),
        )
    for child, code in ((world.child, "F82"), (world.sibling, "F80.2")):
        Diagnosis.objects.create(organization=world.org, child=child, code=code, label="A need")
    payer = insurance.add_payer(world.admin, name="Blue Meadow Health", payer_id="BMH01")
    policy = insure(world, world.child, payer)
    authorization = insurance.add_authorization(
        world.admin,
        world.child,
        policy=policy,
        number="AUTH-778",
        codes=["97530", "97110"],
        allowed=40,
        starts_on=TODAY - datetime.timedelta(days=30),
        ends_on=TODAY + datetime.timedelta(days=60),
    )
    return Billing(payer, policy, insure(world, world.sibling, payer, "18"), authorization)


def session(
    child: Child,
    author: Membership,
    codes: Sequence[tuple[str, int]] = (("97530", 45),),
    *,
    hour: int = 9,
    location: str = "clinic",
    modifiers: str = "GO",
    day: datetime.date = TODAY,
) -> list[Charge]:
    """A session whose note lists the codes and is signed: its charges."""
    minutes = sum(m for _code, m in codes)
    end = datetime.datetime.combine(day, datetime.time(hour)) + datetime.timedelta(minutes=minutes)
    note = make_note(
        child,
        author,
        date=day,
        start_time=datetime.time(hour),
        end_time=end.time(),
        location=location,
    )
    rows = [{"code": c, "minutes": m, "modifiers": modifiers} for c, m in codes]
    charging.save_lines(note, author, rows, token=None)
    actions.sign_note(note, author, expected_version=note.version)
    return list(Charge.objects.filter(organization_id=note.organization_id, note=note))


def ids(charges: Sequence[Charge]) -> list[str]:
    return [str(c.pk) for c in charges]


def answer(
    batch: ClaimBatch,
    charges: Sequence[Charge],
    *,
    control_number: str = "",
    line_numbers: bool = True,
) -> Remittance:
    """The payer's answer to a batch's first claim: the first charge paid less CO-45 and
    PR-2 (the family's share), the second denied CO-50; other charges not answered.
    ``control_number`` names another claim; without ``line_numbers`` the lines carry no
    control number (the payer dropped them)."""
    first, second = charges[0], charges[1]
    co, pr = Decimal("20.00"), Decimal("15.00")
    paid = first.amount - co - pr
    lines = (
        LinePayment(
            first.code,
            first.amount,
            paid,
            Decimal(first.units),
            tuple(first.modifier_list),
            first.service_date,
            first.pk.hex[:30] if line_numbers else "",
            (Adjustment("CO", "45", co), Adjustment("PR", "2", pr)),
        ),
        LinePayment(
            second.code,
            second.amount,
            Decimal("0"),
            Decimal(second.units),
            tuple(second.modifier_list),
            second.service_date,
            second.pk.hex[:30] if line_numbers else "",
            (Adjustment("CO", "50", second.amount),),
        ),
    )
    claim = batch.claims.order_by("control_number").first()
    assert claim is not None
    payment = ClaimPayment(
        patient_control_number=control_number or claim.control_number,
        status_code="1",
        charge=first.amount + second.amount,
        paid=paid,
        patient_responsibility=pr,
        payer_claim_number="PCN-1",
        patient_last_name="Okafor",
        patient_first_name="Maya",
        member_id="MMAYA01",
        lines=lines,
    )
    return Remittance(
        payer_name="BLUE MEADOW HEALTH",
        payer_id="BMH01",
        payee_name="RIVERSIDE PEDIATRIC THERAPY",
        payee_npi=CLINIC_NPI,
        trace_number="EFT0001",
        payment_date=TODAY,
        total_paid=payment.paid,
        claims=(payment,),
    )


def as_835(remittance: Remittance) -> str:
    at = datetime.datetime.combine(TODAY, datetime.time(8), tzinfo=datetime.UTC)
    return build_835(remittance, PAYER_CONTACT, Envelope(9, 9, at, "BMH01", "123456789"))
