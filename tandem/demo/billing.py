"""The demo clinic's billing: its numbers (NPI, tax ID, each therapist's NPI), a fee
schedule, the sliding scale and two payers; who pays for each child (insurance for most;
Camila's family pays themselves on the sliding scale; Jayden's sessions are paid by a
grant); Mateo's insurance authorization nearly used up; every signed session coded by its
discipline and priced as signing prices it. The claim file and its remittance are
``demo/claims.py``, built last."""

import datetime
from decimal import Decimal

from tandem.accounts.models import Membership, Organization
from tandem.billing import charging
from tandem.billing.access import charges_of
from tandem.billing.models import (
    Authorization,
    AuthorizationUnit,
    BillingProfile,
    FeeAgreement,
    FeeScheduleEntry,
    FilingIndicator,
    Funding,
    Payer,
    PaymentMethod,
    Policy,
    ProviderNumber,
    ServiceLine,
    SlidingTier,
    UnitMethod,
)
from tandem.billing.payments import record_payment
from tandem.billing.poverty import guideline, percent_of_poverty
from tandem.billing.reading import authorization_uses
from tandem.billing.x12.npi import HEALTH_PREFIX, luhn_check_digit
from tandem.children.models import Child
from tandem.core import clock
from tandem.demo.claims import build_claims
from tandem.notes.models import NoteStatus, SessionNote

FEES = {
    "92507": "140.00",
    "92508": "60.00",
    "92523": "260.00",
    "92526": "150.00",
    "92610": "220.00",
    "97110": "38.00",
    "97112": "40.00",
    "97116": "36.00",
    "97129": "42.00",
    "97130": "38.00",
    "97140": "38.00",
    "97150": "45.00",
    "97161": "190.00",
    "97162": "210.00",
    "97163": "230.00",
    "97164": "120.00",
    "97165": "190.00",
    "97166": "210.00",
    "97167": "230.00",
    "97168": "120.00",
    "97530": "42.00",
    "97533": "44.00",
    "97535": "40.00",
    "97550": "90.00",
    "97551": "40.00",
    "97552": "35.00",
    "97151": "45.00",
    "97152": "30.00",
    "97153": "25.00",
    "97154": "12.00",
    "97155": "35.00",
    "97156": "35.00",
    "97157": "15.00",
    "97158": "15.00",
    "92521": "250.00",
    "92522": "230.00",
    "92524": "240.00",
}
TIERS = ((100, 80), (150, 60), (200, 40), (250, 20))
TAXONOMY = {"ot": "225X00000X", "pt": "225100000X", "slp": "235Z00000X", "behavioral": "103K00000X"}
# How each discipline's sessions are coded: (code, share of the minutes, modifier).
CODING = {
    "slp": (("92507", 1.0, "GN"),),
    "ot": (("97530", 0.6, "GO"), ("97110", 0.4, "GO")),
    "pt": (("97110", 0.5, "GP"), ("97112", 0.5, "GP")),
    "behavioral": (("97153", 0.8, ""), ("97155", 0.2, "")),
}
SELF_PAY, GRANT, AUTHORIZED = "Camila", "Jayden", "Mateo"


def npi(base: int) -> str:
    digits = f"{base:09d}"
    return digits + str(luhn_check_digit(HEALTH_PREFIX + digits))


def build_billing(
    organization: Organization,
    members: dict[str, Membership],
    children: dict[str, Child],
    today: datetime.date,
) -> None:
    year_ago = today - datetime.timedelta(days=365)
    BillingProfile.objects.create(
        organization=organization,
        legal_name=f"{organization.name} LLC",
        npi=npi(123456789),
        tax_id="561234567",
        taxonomy="261QR0400X",
        address="200 River Road",
        city="Springfield",
        state="IL",
        postal_code="627011234",
        phone="2175550100",
    )
    for n, member in enumerate(m for m in members.values() if m.discipline in TAXONOMY):
        ProviderNumber.objects.create(
            organization=organization,
            membership=member,
            npi=npi(198765400 + n),
            taxonomy=TAXONOMY[member.discipline],
            credentials={"slp": "MS, CCC-SLP", "ot": "OTR/L", "pt": "DPT", "behavioral": "BCBA"}[
                member.discipline
            ],
        )
    for code, amount in FEES.items():
        FeeScheduleEntry.objects.create(
            organization=organization, code=code, amount=Decimal(amount), effective_from=year_ago
        )
    for up_to, off in TIERS:
        SlidingTier.objects.create(
            organization=organization, up_to_percent=up_to, discount_percent=off
        )
    blue = Payer.objects.create(
        organization=organization,
        name="Blue Valley Health",
        payer_id="BVH01",
        unit_method=UnitMethod.CMS,
        daily_unit_limit=8,
    )
    Payer.objects.create(
        organization=organization,
        name="Sunrise Medicaid",
        payer_id="SMCD1",
        unit_method=UnitMethod.PER_CODE,
        filing_indicator=FilingIndicator.MEDICAID,
        daily_unit_limit=6,
    )
    for name, child in children.items():
        _funding(child, name, blue, today)
    _code_sessions(organization, members, today)
    _family_payments(members, children, today)
    build_claims(organization, members, today)


def _funding(child: Child, name: str, payer: Payer, today: datetime.date) -> None:
    org = child.organization_id
    if name == SELF_PAY:
        rule = guideline(today.year, "contiguous", 4)
        income = Decimal("40000.00")
        percent = percent_of_poverty(income, rule)
        off = next((o for up, o in TIERS if percent <= up), 0)
        FeeAgreement.objects.create(
            organization_id=org,
            child=child,
            funding=Funding.SELF_PAY,
            household_size=4,
            annual_income=income,
            assessed_on=today - datetime.timedelta(days=200),
            guideline_year=rule.year,
            guideline_amount=rule.amount,
            percent_of_poverty=percent,
            discount_percent=off,
        )
        return
    if name == GRANT:
        FeeAgreement.objects.create(
            organization_id=org,
            child=child,
            funding=Funding.GRANT,
            grant_name="Riverside Access Fund",
        )
        return
    FeeAgreement.objects.create(organization_id=org, child=child, funding=Funding.INSURANCE)
    policy = Policy.objects.create(
        organization_id=org,
        child=child,
        payer=payer,
        member_id=f"BVH{sum(map(ord, child.first_name + child.last_name)) * 7919:09d}",
        group_number="GRP-2207",
        subscriber_first_name="Alex",
        subscriber_last_name=child.last_name,
        subscriber_birth_date=datetime.date(1988, 5, 14),
        address="41 Maple Street",
        city="Springfield",
        state="IL",
        postal_code="627041234",
        starts_on=today - datetime.timedelta(days=400),
    )
    if name == AUTHORIZED:
        Authorization.objects.create(
            organization_id=org,
            child=child,
            policy=policy,
            number="BVH-PA-44719",
            codes=["92507", "97530", "97110", "97153", "97155"],
            counts=AuthorizationUnit.VISITS,
            allowed=1,
            starts_on=today - datetime.timedelta(days=120),
            ends_on=today + datetime.timedelta(days=60),
        )


def _code_sessions(
    organization: Organization, members: dict[str, Membership], today: datetime.date
) -> None:
    """Every signed session coded by its therapist's discipline, then priced as signing
    prices it (as of the signature). A demo shortcut: in the app codes come before signing."""
    notes = (
        SessionNote.objects.filter(organization=organization, status=NoteStatus.SIGNED)
        .select_related("author", "child")
        .order_by("date", "start_time")
    )
    for note in notes:
        coding = CODING.get(note.author.discipline)
        if coding is None:
            continue
        for position, (code, share, modifier) in enumerate(coding):
            minutes = max(int(note.minutes * share), 1)
            ServiceLine(
                organization=organization,
                child=note.child,
                note=note,
                code=code,
                minutes=minutes,
                modifiers=modifier,
                position=position,
            ).save(at=note.signed_at)
        charging.make_charges(note, at=note.signed_at)
    _authorization_nearly_used(organization, today)


def _authorization_nearly_used(organization: Organization, today: datetime.date) -> None:
    """Mateo's authorization: sized so that all but two of its visits are used."""
    found = Authorization.objects.filter(organization=organization, number="BVH-PA-44719")
    for use in authorization_uses(found, today):
        use.authorization.allowed = max(use.used + 2, 5)
        use.authorization.save(update_fields=["allowed"])


def _family_payments(
    members: dict[str, Membership], children: dict[str, Child], today: datetime.date
) -> None:
    """Camila's family paid for their sessions up to a month ago, by card."""
    child, desk = children.get(SELF_PAY), members.get("billing")
    if child is None or desk is None:
        return
    cutoff = today - datetime.timedelta(days=30)
    for charge in charges_of(child).filter(service_date__lt=cutoff):
        record_payment(
            desk,
            child,
            amount=charge.amount,
            party="family",
            method=PaymentMethod.CARD,
            received_on=charge.service_date,
            charge_id=charge.pk,
            at=clock.start_of(charge.service_date),
        )
