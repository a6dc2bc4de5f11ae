from tandem.billing.x12.claim837 import build_837p
from tandem.billing.x12.tests.samples import batch
from tandem.billing.x12.validate import validate


def test_wrong_segment_count_is_reported() -> None:
    text = build_837p(batch()).replace("~SE*", "~SE*1")
    assert any("SE count" in error for error in validate(text))


def test_unknown_place_of_service_is_reported_with_its_line() -> None:
    text = build_837p(batch()).replace("11:B:1", "77:B:1")
    assert validate(text) == [
        "Line 27 CLM05: (77) is not a valid code for Place of Service Code (CLM05-01) ('77') [7]"
    ]


def test_envelope_element_errors_are_reported() -> None:
    # pyx12 logs ISA element errors but leaves them out of its JSON report.
    text = build_837p(batch()).replace("*0*T*:~", "*0*Q*:~")
    assert validate(text) == [
        "Line:1 ELE:7 - (Q) is not a valid code for Usage Indicator (ISA15) (Q)"
    ]


def test_text_that_is_not_x12_is_reported() -> None:
    assert validate("hello") == [
        "Not an X12 interchange: First line does not begin with 'ISA': hel"
    ]
    assert validate("") != []
