from tandem.billing.x12.npi import is_valid_npi, luhn_check_digit


def test_cms_worked_example_is_valid() -> None:
    # CMS, "Requirements for NPI check digit": 80840 123456789 gives check digit 3.
    assert luhn_check_digit("80840123456789") == 3
    assert is_valid_npi("1234567893")


def test_wrong_check_digit_is_invalid() -> None:
    assert not is_valid_npi("1234567890")


def test_npi_must_be_ten_ascii_digits() -> None:
    assert not is_valid_npi("123456789")
    assert not is_valid_npi("12345678930")
    assert not is_valid_npi("12345678X3")
    assert not is_valid_npi("١٢٣٤٥٦٧٨٩٣")  # Arabic-Indic digits pass str.isdigit()
