"""Professional claims as an 837P (005010X222A1) interchange, built from plain dataclasses."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tandem.billing.x12.elements import (
    Address,
    Envelope,
    address_segments,
    ccyymmdd,
    composite,
    digits,
    envelope,
    identifier,
    money,
    name_segment,
    phone,
    segment,
    text,
)
from tandem.billing.x12.errors import X12Error
from tandem.billing.x12.npi import is_valid_npi

VERSION = "005010X222A1"
MAX_LINES = 50
MAX_DIAGNOSES = 12
RELATIONSHIPS = {"18": "self", "19": "child", "G8": "other relationship"}
SEXES = ("M", "F", "U")


@dataclass(frozen=True)
class Submitter:
    """Who sends the file (loop 1000A): the clinic or its clearinghouse account."""

    name: str
    id: str
    contact_name: str
    phone: str


@dataclass(frozen=True)
class Receiver:
    """Who receives the file (loop 1000B): the payer or clearinghouse."""

    name: str
    id: str


@dataclass(frozen=True)
class BillingProvider:
    """The clinic that bills (loop 2010AA); its ZIP code must be ZIP+4."""

    name: str
    npi: str
    tax_id: str
    taxonomy: str
    address: Address
    phone: str = ""


@dataclass(frozen=True)
class RenderingProvider:
    """The therapist who saw the child (loops 2310B and 2420A)."""

    last_name: str
    first_name: str
    npi: str
    taxonomy: str = ""


@dataclass(frozen=True)
class Subscriber:
    """The insured member; ``relationship`` is the patient's to them: 18 self, 19 child, G8 other.

    Date of birth, sex and address are needed when the subscriber is the patient.
    """

    member_id: str
    last_name: str
    first_name: str
    payer_name: str
    payer_id: str
    relationship: str = "18"
    birth_date: date | None = None
    sex: str = "U"
    address: Address | None = None
    group_number: str = ""
    filing_indicator: str = "CI"


@dataclass(frozen=True)
class Patient:
    """The child, when they are not the subscriber (loop 2000C)."""

    last_name: str
    first_name: str
    birth_date: date
    sex: str
    address: Address


@dataclass(frozen=True)
class ServiceLine:
    """One billed service (loop 2400); pointers are 1-based positions in the claim's diagnoses."""

    procedure_code: str
    charge: Decimal
    units: int
    service_date: date
    modifiers: tuple[str, ...] = ()
    place_of_service: str | None = None
    diagnosis_pointers: tuple[int, ...] = (1,)
    control_number: str = ""
    rendering_provider: RenderingProvider | None = None


@dataclass(frozen=True)
class Claim:
    """One claim (loop 2300): ICD-10-CM diagnoses with or without the dot."""

    patient_control_number: str
    diagnoses: tuple[str, ...]
    rendering_provider: RenderingProvider
    subscriber: Subscriber
    lines: tuple[ServiceLine, ...]
    place_of_service: str = "11"
    prior_authorization: str = ""
    patient: Patient | None = None

    @property
    def total_charge(self) -> Decimal:
        """Return the sum of the line charges, which CLM02 must equal."""
        return sum((line.charge for line in self.lines), Decimal(0))


@dataclass(frozen=True)
class Batch:
    """One interchange: a billing provider's claims to one receiver."""

    control_number: int
    group_control_number: int
    created_at: datetime
    sender_id: str
    receiver_id: str
    submitter: Submitter
    receiver: Receiver
    billing_provider: BillingProvider
    claims: tuple[Claim, ...]
    usage: str = "T"


def build_837p(batch: Batch) -> str:
    """Return the 837P interchange for a batch, or raise X12Error naming what is wrong."""
    if not batch.claims:
        raise X12Error("The batch has no claims.")
    body = _header(batch) + _billing_provider(batch.billing_provider)
    last_hl = 1  # HL*1 is the billing provider, parent of every subscriber
    for claim in batch.claims:
        segments, last_hl = _claim(claim, last_hl + 1)
        body += segments
    env = Envelope(
        control_number=batch.control_number,
        group_control_number=batch.group_control_number,
        created_at=batch.created_at,
        sender_id=batch.sender_id,
        receiver_id=batch.receiver_id,
        usage=batch.usage,
    )
    return envelope(body, env, group="HC", transaction="837", version=VERSION, st03=True)


def _header(batch: Batch) -> list[str]:
    at = batch.created_at
    submitter, receiver = batch.submitter, batch.receiver
    submitter_id = identifier(submitter.id, "submitter id", 80)
    receiver_id = identifier(receiver.id, "receiver id", 80)
    return [
        # 0019: information source, subscriber, dependent; 00 original; CH chargeable.
        segment("BHT", "0019", "00", str(batch.control_number), ccyymmdd(at), f"{at:%H%M}", "CH"),
        name_segment("41", "2", _name(submitter.name, "submitter"), "", "46", submitter_id),
        segment(
            "PER", "IC", text(submitter.contact_name), "TE", phone(submitter.phone, "submitter")
        ),
        name_segment("40", "2", _name(receiver.name, "receiver"), "", "46", receiver_id),
    ]


def _billing_provider(provider: BillingProvider) -> list[str]:
    who = f"billing provider {provider.name!r}"
    tax_id = digits(provider.tax_id)
    if len(tax_id) != 9:
        raise X12Error(f"The tax id (EIN) of {who} must have 9 digits, not {provider.tax_id!r}.")
    segments = [
        segment("HL", "1", "", "20", "1"),
        segment("PRV", "BI", "PXC", _taxonomy(provider.taxonomy, who)),
        name_segment("85", "2", _name(provider.name, who), "", "XX", _npi(provider.npi, who)),
        *address_segments(provider.address, who, zip_plus_four=True),
        segment("REF", "EI", tax_id),
    ]
    if provider.phone:
        segments.append(segment("PER", "IC", "", "TE", phone(provider.phone, who)))
    return segments


def _claim(claim: Claim, sbr_hl: int) -> tuple[list[str], int]:
    """Return the subscriber (and patient) loops holding one claim, and their last HL number."""
    who = f"Claim {claim.patient_control_number!r}"
    subscriber = claim.subscriber
    is_self = subscriber.relationship == "18"
    if subscriber.relationship not in RELATIONSHIPS:
        relationship = subscriber.relationship
        raise X12Error(f"{who}: the relationship must be 18, 19 or G8, not {relationship!r}.")
    if is_self and claim.patient is not None:
        raise X12Error(f"{who}: the patient is the subscriber (18), so give no separate patient.")
    if not is_self and claim.patient is None:
        raise X12Error(f"{who}: the patient is not the subscriber, so the patient is needed.")
    group_number = text(subscriber.group_number, 50)
    filing = identifier(subscriber.filing_indicator, "claim filing indicator", 2)
    last_name = _name(subscriber.last_name, f"{who} subscriber")
    member_id = identifier(subscriber.member_id, f"{who} member id", 80)
    segments = [
        segment("HL", str(sbr_hl), "1", "22", "0" if is_self else "1"),
        # P: the payer is primary; SBR09 is the claim filing indicator (CI commercial, MC Medicaid).
        segment("SBR", "P", "18" if is_self else "", group_number, *[""] * 5, filing),
        name_segment("IL", "1", last_name, text(subscriber.first_name, 35), "MI", member_id),
    ]
    if subscriber.address is not None:
        segments += address_segments(subscriber.address, f"{who} subscriber")
    elif is_self:
        raise X12Error(f"{who}: the subscriber is the patient, so their address is needed.")
    if is_self:
        if subscriber.birth_date is None:
            raise X12Error(f"{who}: the subscriber is the patient, so their birth date is needed.")
        segments.append(_demographics(subscriber.birth_date, subscriber.sex, who))
    payer_id = identifier(subscriber.payer_id, f"{who} payer id", 80)
    segments.append(
        name_segment("PR", "2", _name(subscriber.payer_name, f"{who} payer"), "", "PI", payer_id)
    )
    last_hl = sbr_hl
    if claim.patient is not None:
        patient = claim.patient
        last_hl = sbr_hl + 1
        last_name = _name(patient.last_name, f"{who} patient")
        segments += [
            segment("HL", str(last_hl), str(sbr_hl), "23", "0"),
            segment("PAT", subscriber.relationship),
            name_segment("QC", "1", last_name, text(patient.first_name, 35)),
            *address_segments(patient.address, f"{who} patient"),
            _demographics(patient.birth_date, patient.sex, who),
        ]
    return segments + _claim_information(claim, who), last_hl


def _claim_information(claim: Claim, who: str) -> list[str]:
    pcn = identifier(claim.patient_control_number, "patient control number", 20)
    if not claim.lines:
        raise X12Error(f"{who} has no service lines.")
    if len(claim.lines) > MAX_LINES:
        count = len(claim.lines)
        raise X12Error(f"{who} has {count} service lines; an 837P claim allows {MAX_LINES}.")
    if not 1 <= len(claim.diagnoses) <= MAX_DIAGNOSES:
        raise X12Error(f"{who} needs 1 to {MAX_DIAGNOSES} diagnoses, not {len(claim.diagnoses)}.")
    place = _place(claim.place_of_service, who)
    total = money(claim.total_charge, f"{who} total charge")
    # 11:B:1 = place of service, its code qualifier, frequency 1 (original claim); then
    # provider signature on file, assignment accepted, benefits assigned, release signed.
    segments = [segment("CLM", pcn, total, "", "", composite(place, "B", "1"), "Y", "A", "Y", "Y")]
    if claim.prior_authorization:
        auth = identifier(claim.prior_authorization, f"{who} prior authorization number")
        segments.append(segment("REF", "G1", auth))
    codes = [_diagnosis(code, who) for code in claim.diagnoses]
    qualified = [composite("ABK" if i == 0 else "ABF", code) for i, code in enumerate(codes)]
    segments.append(segment("HI", *qualified))
    segments += _rendering(claim.rendering_provider, who)
    for number, line in enumerate(claim.lines, start=1):
        segments += _service_line(line, number, claim, place, f"{who} line {number}")
    return segments


def _service_line(line: ServiceLine, number: int, claim: Claim, place: str, who: str) -> list[str]:
    code = line.procedure_code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{5}", code):
        wrong = line.procedure_code
        raise X12Error(f"{who}: the procedure code must be 5 letters or digits, not {wrong!r}.")
    modifiers = [m.strip().upper() for m in line.modifiers]
    if len(modifiers) > 4:
        raise X12Error(f"{who}: a service line takes at most 4 modifiers, not {len(modifiers)}.")
    if any(not re.fullmatch(r"[A-Z0-9]{2}", m) for m in modifiers):
        raise X12Error(f"{who}: each modifier must be 2 letters or digits, not {line.modifiers!r}.")
    if line.charge < 0:
        raise X12Error(f"{who}: the charge cannot be negative ({line.charge}).")
    if line.units < 1:
        raise X12Error(f"{who}: the units must be at least 1, not {line.units}.")
    pointers = line.diagnosis_pointers
    if not 1 <= len(pointers) <= 4:
        raise X12Error(
            f"{who}: a service line needs 1 to 4 diagnosis pointers, not {len(pointers)}."
        )
    count = len(claim.diagnoses)
    for pointer in pointers:
        if not 1 <= pointer <= count:
            raise X12Error(
                f"{who}: diagnosis pointer {pointer} points past the claim's {count} diagnoses."
            )
    line_place = _place(line.place_of_service or place, who)
    service = composite("HC", code, *modifiers)
    charge = money(line.charge, f"{who} charge")
    # SV105 is sent only when the line's place differs from the claim's (CLM05-1).
    own_place = "" if line_place == place else line_place
    pointed = composite(*map(str, pointers))
    segments = [
        segment("LX", str(number)),
        segment("SV1", service, charge, "UN", str(line.units), own_place, "", pointed),
        segment("DTP", "472", "D8", ccyymmdd(line.service_date)),
    ]
    if line.control_number:
        control = identifier(line.control_number, f"{who} control number", 50)
        segments.append(segment("REF", "6R", control))
    rendering = line.rendering_provider
    if rendering is not None and rendering != claim.rendering_provider:
        segments += _rendering(rendering, who)
    return segments


def _rendering(provider: RenderingProvider, who: str) -> list[str]:
    label = f"{who} rendering provider"
    last_name = _name(provider.last_name, label)
    npi = _npi(provider.npi, label)
    segments = [name_segment("82", "1", last_name, text(provider.first_name, 35), "XX", npi)]
    if provider.taxonomy:
        segments.append(segment("PRV", "PE", "PXC", _taxonomy(provider.taxonomy, label)))
    return segments


def _demographics(birth_date: date, sex: str, who: str) -> str:
    if sex not in SEXES:
        raise X12Error(f"{who}: sex must be M, F or U, not {sex!r}.")
    return segment("DMG", "D8", ccyymmdd(birth_date), sex)


def _name(value: str, who: str) -> str:
    name = text(value)
    if not name:
        raise X12Error(f"The name of the {who} is missing.")
    return name


def _npi(npi: str, who: str) -> str:
    npi = npi.strip()
    if not npi:
        raise X12Error(f"The NPI of {who} is missing.")
    if not is_valid_npi(npi):
        raise X12Error(
            f"The NPI of {who} ({npi}) is not valid: it needs 10 digits and a correct check digit."
        )
    return npi


def _taxonomy(code: str, who: str) -> str:
    code = code.strip().upper()
    if not re.fullmatch(r"[0-9A-Z]{9}X", code):
        raise X12Error(f"The taxonomy code of {who} must be 10 characters ending in X: {code!r}.")
    return code


def _place(code: str, who: str) -> str:
    if not re.fullmatch(r"[0-9]{2}", code):
        raise X12Error(f"{who}: the place of service must be a 2-digit code, not {code!r}.")
    return code


def _diagnosis(code: str, who: str) -> str:
    plain = code.replace(".", "").strip().upper()
    if not re.fullmatch(r"[A-Z][0-9][0-9A-Z]{1,5}", plain):
        raise X12Error(f"{who}: {code!r} is not an ICD-10-CM code.")
    return plain
