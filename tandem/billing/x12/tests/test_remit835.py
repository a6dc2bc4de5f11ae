import dataclasses
import re
from decimal import Decimal

import pytest

from tandem.billing.x12.claim837 import build_837p
from tandem.billing.x12.errors import X12Error
from tandem.billing.x12.remit835 import build_835, parse_835, parse_835_all
from tandem.billing.x12.tests.samples import PAYER, REMIT_ENVELOPE, batch, remittance
from tandem.billing.x12.validate import validate


def test_built_835_validates() -> None:
    errors = validate(build_835(remittance(), PAYER, REMIT_ENVELOPE))
    assert errors == [], "\n".join(errors)


def test_835_round_trip_gives_back_the_same_payments() -> None:
    text = build_835(remittance(), PAYER, REMIT_ENVELOPE)
    assert "CAS*CO*45*30~CAS*PR*2*20~" in text
    assert "CLP*TND-0002*4*200.25*0*0*HM*PCN-2024-002~CAS*CO*50*200.25~" in text
    assert parse_835(text) == remittance()


def test_parsed_amounts_are_decimals_and_dates_are_dates() -> None:
    parsed = parse_835(build_835(remittance(), PAYER, REMIT_ENVELOPE))
    paid, denied = parsed.claims
    assert parsed.total_paid == Decimal("202.50")
    assert str(parsed.payment_date) == "2024-06-01"
    assert paid.status_label == "Processed as primary"
    assert denied.status_label == "Denied"
    assert paid.lines[0].adjustments[1].amount == Decimal(20)
    assert str(paid.lines[0].service_date) == "2024-05-06"


def test_another_component_separator_is_read_too() -> None:
    # Many payers end the ISA with > rather than : as the component separator.
    text = build_835(remittance(), PAYER, REMIT_ENVELOPE).replace(":", ">")
    assert "SVC*HC>97530>GO*150*100**3~" in text
    assert parse_835(text) == remittance()


def test_unbalanced_claim_is_not_written() -> None:
    paid = dataclasses.replace(remittance().claims[0], paid=Decimal("1"))
    unbalanced = dataclasses.replace(remittance(), claims=(paid,), total_paid=Decimal("1"))
    with pytest.raises(X12Error, match="charge less paid"):
        build_835(unbalanced, PAYER, REMIT_ENVELOPE)


def test_two_payments_in_one_file_are_read_with_parse_835_all() -> None:
    one = build_835(remittance(), PAYER, REMIT_ENVELOPE)
    st_to_se = one[one.index("ST*") : one.index("GE*")]
    second = re.sub(r"^(ST\*835\*)0001(.*SE\*\d+\*)0001", r"\g<1>0002\g<2>0002", st_to_se)
    two = one.replace(st_to_se, st_to_se + second).replace("GE*1*", "GE*2*")
    assert parse_835_all(two) == [remittance(), remittance()]
    with pytest.raises(X12Error, match="holds 2 payments"):
        parse_835(two)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("Dear billing team, please find our payment attached.", "does not begin with 'ISA'"),
        ("ISA*00*short~", "ISA"),
    ],
)
def test_non_x12_input_is_refused(text: str, message: str) -> None:
    with pytest.raises(X12Error, match=message):
        parse_835(text)


def test_truncated_835_is_refused() -> None:
    text = build_835(remittance(), PAYER, REMIT_ENVELOPE)
    with pytest.raises(X12Error, match="Trailer"):
        parse_835(text[: text.index("CLP*TND-0002")])


def test_wrong_segment_count_is_refused() -> None:
    text = build_835(remittance(), PAYER, REMIT_ENVELOPE).replace("SE*", "SE*9", 1)
    with pytest.raises(X12Error, match="SE count"):
        parse_835(text)


def test_837_given_as_835_is_refused() -> None:
    with pytest.raises(X12Error, match="not an 835 remittance"):
        parse_835(build_837p(batch()))


def test_broken_envelope_is_refused_not_crashed() -> None:
    text = build_835(remittance(), PAYER, REMIT_ENVELOPE)
    # A second group trailer without its header makes pyx12 itself stumble.
    with pytest.raises(X12Error):
        parse_835(text.replace("GE*1*9~", "GE*1*9~GE*1*9~"))
