import dataclasses
import re
from datetime import date
from decimal import Decimal

from hypothesis import given, settings, strategies

from tandem.billing.x12.claim837 import Patient, ServiceLine, build_837p
from tandem.billing.x12.tests.samples import HOME, MAY_6, batch, child_claim, self_claim
from tandem.billing.x12.validate import validate


def segments(text: str) -> list[list[str]]:
    return [segment.split("*") for segment in text.split("~") if segment]


def first(text: str, seg_id: str) -> list[str]:
    return next(s for s in segments(text) if s[0] == seg_id)


def test_batch_of_two_claims_validates() -> None:
    text = build_837p(batch())
    errors = validate(text)
    assert errors == [], "\n".join(errors)


def test_envelope_counts_and_control_numbers_match() -> None:
    text = build_837p(batch())
    segs = segments(text)
    isa, gs, st, se, ge, iea = (
        first(text, name) for name in ("ISA", "GS", "ST", "SE", "GE", "IEA")
    )
    assert len(text.split("~")[0]) + 1 == 106  # ISA is fixed width, terminator included
    assert isa[13] == iea[2] == "000000042"
    assert gs[6] == ge[2] == "7"
    assert st[2] == se[2]
    ids = [s[0] for s in segs]
    assert int(se[1]) == ids.index("SE") - ids.index("ST") + 1
    assert ge[1] == "1" and iea[1] == "1"
    assert st[3] == gs[8] == "005010X222A1"


def test_child_claim_has_patient_loop_and_self_claim_does_not() -> None:
    text = build_837p(batch())
    hls = [s for s in segments(text) if s[0] == "HL"]
    assert [h[1:] for h in hls] == [
        ["1", "", "20", "1"],
        ["2", "1", "22", "1"],
        ["3", "2", "23", "0"],
        ["4", "1", "22", "0"],
    ]
    assert "PAT*19~NM1*QC*1*GARCIA*LEO~" in text
    assert "SBR*P*18*******CI~" in text
    assert "SBR*P**GRP100******CI~" in text


def test_claim_and_lines_are_written_as_payers_read_them() -> None:
    text = build_837p(batch())
    assert "CLM*TND-0001*270.5***11:B:1*Y*A*Y*Y~REF*G1*AUTH-778~" in text
    assert "HI*ABK:F840*ABF:F802*ABF:R6250~" in text
    assert "NM1*82*1*NGUYEN*ALEX****XX*1234567893~PRV*PE*PXC*225100000X~" in text
    assert "SV1*HC:97530:GO*150*UN*3***1:2~DTP*472*D8*20240506~REF*6R*TND-L1~" in text
    # A telehealth line in an office claim names its own place; another therapist is named.
    assert "SV1*HC:92507:GN*120.5*UN*1*02**3~" in text
    assert "NM1*82*1*OKAFOR*ADA****XX*1245319599~" in text
    assert "CLM*TND-0002*200.25***12:B:1*Y*A*Y*Y~" in text
    assert "SV1*HC:97153*200.25*UN*8***1~" in text


def test_names_with_delimiters_and_accents_do_not_break_the_file() -> None:
    claim = child_claim()
    patient = Patient("O'Brien*Núñez~", "Zoë:^", date(2019, 5, 1), "F", HOME)
    subscriber = dataclasses.replace(claim.subscriber, last_name="Müller~*:^", first_name="Åsa")
    text = build_837p(batch(dataclasses.replace(claim, patient=patient, subscriber=subscriber)))
    assert validate(text) == []
    assert "NM1*QC*1*O'BRIEN NUNEZ*ZOE~" in text
    assert "NM1*IL*1*MULLER*ASA****MI*XYZ123456789~" in text
    assert text.isascii()


def test_only_the_patient_has_demographics_when_the_subscriber_is_a_parent() -> None:
    text = build_837p(batch(child_claim()))
    assert [s for s in segments(text) if s[0] == "DMG"] == [["DMG", "D8", "20190501", "M"]]


@settings(max_examples=15)
@given(
    strategies.lists(
        strategies.tuples(
            strategies.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2),
            strategies.integers(min_value=1, max_value=24),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_claim_total_is_the_sum_of_its_lines(charges: list[tuple[Decimal, int]]) -> None:
    lines = tuple(ServiceLine("97530", amount, units, MAY_6, ("GO",)) for amount, units in charges)
    text = build_837p(batch(dataclasses.replace(self_claim(), lines=lines)))
    sv1 = [Decimal(s[2]) for s in segments(text) if s[0] == "SV1"]
    assert Decimal(first(text, "CLM")[2]) == sum(sv1) == sum(amount for amount, _ in charges)
    assert all(re.fullmatch(r"\d+(\.\d{1,2})?", s[2]) for s in segments(text) if s[0] == "SV1")
    assert validate(text) == []
