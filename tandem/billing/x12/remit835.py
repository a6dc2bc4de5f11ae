"""Remittances: read an 835 (005010X221A1) with pyx12, and write one for tests and demo data."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pyx12.errors
import pyx12.segment
import pyx12.x12file

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
from tandem.billing.x12.validate import validate

VERSION = "005010X221A1"
STATUS_LABELS = {
    "1": "Processed as primary",
    "2": "Processed as secondary",
    "3": "Processed as tertiary",
    "4": "Denied",
    "19": "Processed as primary, forwarded to additional payer",
    "20": "Processed as secondary, forwarded to additional payer",
    "21": "Processed as tertiary, forwarded to additional payer",
    "22": "Reversal of previous payment",
    "23": "Not our claim, forwarded to additional payer",
    "25": "Predetermination pricing only, no payment",
}
# CAS01 in 5010 (CR, correction and reversal, was dropped after 4010).
GROUPS = {
    "CO": "Contractual obligation",
    "PR": "Patient responsibility",
    "OA": "Other adjustment",
    "PI": "Payer-initiated reduction",
}


@dataclass(frozen=True)
class Adjustment:
    """Why an amount was not paid: CAS group (CO, PR, OA, PI) and CARC reason code."""

    group: str
    reason: str
    amount: Decimal

    @property
    def group_label(self) -> str:
        """Return the group code in words."""
        return GROUPS.get(self.group, self.group)


@dataclass(frozen=True)
class LinePayment:
    """What was paid for one service line (loop 2110)."""

    procedure_code: str
    charge: Decimal
    paid: Decimal
    units: Decimal = Decimal(1)
    modifiers: tuple[str, ...] = ()
    service_date: date | None = None
    control_number: str = ""
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class ClaimPayment:
    """What was paid for one claim (loop 2100); ``status_code`` is CLP02."""

    patient_control_number: str
    status_code: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    payer_claim_number: str
    patient_last_name: str = ""
    patient_first_name: str = ""
    member_id: str = ""
    # CLP06; the 835 has no CI (commercial): 12 is a PPO, HM an HMO, MC Medicaid.
    filing_indicator: str = "12"
    adjustments: tuple[Adjustment, ...] = ()
    lines: tuple[LinePayment, ...] = ()

    @property
    def status_label(self) -> str:
        """Return CLP02 in words."""
        return STATUS_LABELS.get(self.status_code, f"Status {self.status_code}")


@dataclass(frozen=True)
class Remittance:
    """One payment (check or EFT) and the claims it settles: one 835 transaction set."""

    payer_name: str
    payer_id: str
    payee_name: str
    payee_npi: str
    trace_number: str
    payment_date: date
    total_paid: Decimal
    claims: tuple[ClaimPayment, ...] = ()


@dataclass(frozen=True)
class PayerContact:
    """What an 835 says about its payer beyond the remittance: address, EIN, phone."""

    address: Address
    tax_id: str
    phone: str


def parse_835(text: str) -> Remittance:
    """Read an 835 holding one payment, or raise X12Error saying what is wrong with it."""
    remittances = parse_835_all(text)
    if len(remittances) != 1:
        raise X12Error(f"The 835 holds {len(remittances)} payments; read it with parse_835_all.")
    return remittances[0]


def parse_835_all(text: str) -> list[Remittance]:
    """Read every payment (ST/SE transaction set) of an 835 interchange."""
    if not text.strip():
        raise X12Error("The remittance file is empty.")
    problems = validate(text)
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise X12Error(f"The remittance is not a valid X12 835: {shown}{more}")
    remittances = []
    for transaction in _transactions(text):
        try:
            remittances.append(_remittance(transaction))
        except (InvalidOperation, ValueError, KeyError) as error:
            raise X12Error(f"The remittance has a value that cannot be read: {error}") from error
    return remittances


def _transactions(text: str) -> Iterator[list[pyx12.segment.Segment]]:
    """Yield the segments of each ST/SE transaction set, refusing anything but 835s."""
    current: list[pyx12.segment.Segment] = []
    try:
        with pyx12.x12file.X12Reader(io.StringIO(text)) as reader:
            for seg in reader:
                seg_id = seg.get_seg_id()
                if seg_id == "GS" and (seg.get_value("01"), seg.get_value("08")) != ("HP", VERSION):
                    kind = f"{seg.get_value('01')} {seg.get_value('08')}"
                    raise X12Error(f"This is not an 835 remittance ({VERSION}) but {kind}.")
                if seg_id == "ST":
                    current = []
                current.append(seg)
                if seg_id == "SE":
                    yield current
    except pyx12.errors.X12Error as error:
        raise X12Error(f"The remittance cannot be read: {error}") from error


Segments = list[pyx12.segment.Segment]


def _remittance(segments: Segments) -> Remittance:
    header, claims = _split(segments, "CLP")
    values = {"payer_id": "", "payee_npi": "", "trace_number": ""}
    for seg in header:
        match seg.get_seg_id(), _value(seg, "01"):
            case "BPR", _:
                values["total_paid"], values["payment_date"] = _value(seg, "02"), _value(seg, "16")
            case "TRN", _:
                values["trace_number"] = _value(seg, "02")
            case "N1", "PR":
                values["payer_name"] = _value(seg, "02")
                if _value(seg, "03") == "XV":
                    values["payer_id"] = _value(seg, "04")
            case "REF", "2U":
                values["payer_id"] = _value(seg, "02")
            case "N1", "PE":
                values["payee_name"] = _value(seg, "02")
                if _value(seg, "03") == "XX":
                    values["payee_npi"] = _value(seg, "04")
    return Remittance(
        payer_name=values["payer_name"],
        payer_id=values["payer_id"],
        payee_name=values["payee_name"],
        payee_npi=values["payee_npi"],
        trace_number=values["trace_number"],
        payment_date=_date(values["payment_date"]),
        total_paid=Decimal(values["total_paid"]),
        claims=tuple(_claim(claim) for claim in claims),
    )


def _claim(segments: Segments) -> ClaimPayment:
    clp = segments[0]
    header, lines = _split(segments[1:], "SVC")
    names = {"last": "", "first": "", "member_id": ""}
    for seg in header:
        entity = _value(seg, "01")
        if seg.get_seg_id() != "NM1" or entity not in ("QC", "IL"):
            continue
        if entity == "QC":
            names["last"], names["first"] = _value(seg, "03"), _value(seg, "04")
        # The patient's id (QC) when sent, else the subscriber's (IL).
        names["member_id"] = names["member_id"] or _value(seg, "09")
    return ClaimPayment(
        patient_control_number=_value(clp, "01"),
        status_code=_value(clp, "02"),
        charge=Decimal(_value(clp, "03")),
        paid=Decimal(_value(clp, "04")),
        patient_responsibility=Decimal(_value(clp, "05") or "0"),
        filing_indicator=_value(clp, "06"),
        payer_claim_number=_value(clp, "07"),
        patient_last_name=names["last"],
        patient_first_name=names["first"],
        member_id=names["member_id"],
        adjustments=_adjustments(header),
        lines=tuple(_line(line) for line in lines),
    )


def _line(segments: Segments) -> LinePayment:
    svc = segments[0]
    service_date: date | None = None
    control_number = ""
    for seg in segments[1:]:
        match seg.get_seg_id(), _value(seg, "01"):
            # 472 is the service date; 150 (period start) stands in when a payer sends a range.
            case "DTM", "472" | "150" if service_date is None:
                service_date = _date(_value(seg, "02"))
            case "REF", "6R":
                control_number = _value(seg, "02")
    return LinePayment(
        # SVC01 is a composite: qualifier (HC for CPT/HCPCS), code, then up to 4 modifiers.
        procedure_code=_value(svc, "01-2"),
        modifiers=tuple(m for i in range(3, 7) if (m := _value(svc, f"01-{i}"))),
        charge=Decimal(_value(svc, "02")),
        paid=Decimal(_value(svc, "03")),
        units=Decimal(_value(svc, "05") or "1"),
        service_date=service_date,
        control_number=control_number,
        adjustments=_adjustments(segments[1:]),
    )


def _adjustments(segments: Segments) -> tuple[Adjustment, ...]:
    found = []
    for seg in segments:
        if seg.get_seg_id() != "CAS":
            continue
        # Up to six reason, amount, quantity triplets follow the group code.
        for start in range(2, 19, 3):
            if reason := _value(seg, f"{start:02d}"):
                amount = Decimal(_value(seg, f"{start + 1:02d}"))
                found.append(Adjustment(_value(seg, "01"), reason, amount))
    return tuple(found)


def _split(segments: Segments, opener: str) -> tuple[Segments, list[Segments]]:
    """Return the segments before the first ``opener``, then each run starting with one."""
    head: Segments = []
    runs: list[Segments] = []
    for seg in segments:
        if seg.get_seg_id() == opener:
            runs.append([seg])
        elif runs:
            runs[-1].append(seg)
        else:
            head.append(seg)
    return head, runs


def _value(seg: pyx12.segment.Segment, ref: str) -> str:
    return seg.get_value(ref) or ""


def _date(value: str) -> date:
    return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 (a date, no time)


def build_835(remittance: Remittance, payer: PayerContact, env: Envelope) -> str:
    """Write a remittance as an 835 interchange; amounts must balance as payers must."""
    paid = sum((claim.paid for claim in remittance.claims), Decimal(0))
    if paid != remittance.total_paid:
        raise X12Error(f"The total paid {remittance.total_paid} is not the claims' sum {paid}.")
    tax_id = digits(payer.tax_id)
    if len(tax_id) != 9:
        raise X12Error(f"The payer's tax id (EIN) must have 9 digits, not {payer.tax_id!r}.")
    # I: remittance with payment, by check; H: notification only, no payment.
    handling, method = ("I", "CHK") if remittance.total_paid > 0 else ("H", "NON")
    total = money(remittance.total_paid, "total paid")
    paid_on = ccyymmdd(remittance.payment_date)
    trace = identifier(remittance.trace_number, "trace number")
    payee_npi = identifier(remittance.payee_npi, "payee NPI", 10)
    body = [
        # C: a credit to the payee; BPR16 is the check or effective EFT date.
        segment("BPR", handling, total, "C", method, *[""] * 11, paid_on),
        # TRN03 is 1 followed by the payer's EIN.
        segment("TRN", "1", trace, f"1{tax_id}"),
        segment("N1", "PR", text(remittance.payer_name)),
        *address_segments(payer.address, "the payer"),
        segment("REF", "2U", identifier(remittance.payer_id, "payer id")),
        segment("PER", "BL", "", "TE", phone(payer.phone, "the payer")),
        segment("N1", "PE", text(remittance.payee_name), "XX", payee_npi),
    ]
    if remittance.claims:
        body.append(segment("LX", "1"))
    for claim in remittance.claims:
        body += _claim_segments(claim)
    return envelope(body, env, group="HP", transaction="835", version=VERSION, st03=False)


def _claim_segments(claim: ClaimPayment) -> list[str]:
    who = f"Claim {claim.patient_control_number!r}"
    adjusted = sum((a.amount for a in _all_adjustments(claim)), Decimal(0))
    if claim.charge - claim.paid != adjusted:
        raise X12Error(f"{who}: charge less paid ({claim.charge - claim.paid}) is not adjusted.")
    pcn = identifier(claim.patient_control_number, "patient control number", 38)
    payer_claim = identifier(claim.payer_claim_number, f"{who} payer claim number")
    amounts = [money(claim.charge), money(claim.paid), money(claim.patient_responsibility)]
    last, first = text(claim.patient_last_name), text(claim.patient_first_name, 35)
    if not last:
        raise X12Error(f"{who}: the patient's last name is missing.")
    member = claim.member_id
    segments = [
        segment("CLP", pcn, claim.status_code, *amounts, claim.filing_indicator, payer_claim),
        *_adjustment_segments(claim.adjustments),
        name_segment("QC", "1", last, first, "MI" if member else "", member),
    ]
    for line in claim.lines:
        line_adjusted = sum((a.amount for a in line.adjustments), Decimal(0))
        if line.charge - line.paid != line_adjusted:
            raise X12Error(f"{who} line {line.procedure_code}: charge less paid is not adjusted.")
        service = composite("HC", line.procedure_code, *line.modifiers)
        # SVC05 is sent only when the units paid are not one.
        units = money(line.units, "units") if line.units != 1 else ""
        segments.append(segment("SVC", service, money(line.charge), money(line.paid), "", units))
        if line.service_date is not None:
            segments.append(segment("DTM", "472", ccyymmdd(line.service_date)))
        segments += _adjustment_segments(line.adjustments)
        if line.control_number:
            segments.append(segment("REF", "6R", identifier(line.control_number, "line control")))
    return segments


def _all_adjustments(claim: ClaimPayment) -> Iterator[Adjustment]:
    yield from claim.adjustments
    for line in claim.lines:
        yield from line.adjustments


def _adjustment_segments(adjustments: tuple[Adjustment, ...]) -> list[str]:
    """Return one CAS per group code, six reasons at most per segment."""
    by_group: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        if adjustment.group not in GROUPS:
            raise X12Error(f"Adjustment group {adjustment.group!r} is not one of {list(GROUPS)}.")
        by_group.setdefault(adjustment.group, []).append(adjustment)
    segments = []
    for group, items in by_group.items():
        for start in range(0, len(items), 6):
            triplets = [(a.reason, money(a.amount), "") for a in items[start : start + 6]]
            segments.append(segment("CAS", group, *[part for t in triplets for part in t]))
    return segments
