"""The National Provider Identifier check digit.

CMS, "Requirements for NPI check digit": the tenth digit is a Luhn (ISO/IEC 7812) check
digit computed over the first nine digits prefixed with 80840, the card issuer identifier of
US health applications. The worked example there: 123456789 gives 1234567893.
"""

HEALTH_PREFIX = "80840"


def luhn_check_digit(digits: str) -> int:
    """Return the Luhn check digit for a string of digits."""
    total = 0
    # Double every other digit starting from the rightmost one (the check digit goes after it).
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return (10 - total % 10) % 10


def is_valid_npi(npi: str) -> bool:
    """Say whether ``npi`` is ten digits whose last one is the CMS check digit."""
    if len(npi) != 10 or not npi.isascii() or not npi.isdigit():
        return False
    return luhn_check_digit(HEALTH_PREFIX + npi[:9]) == int(npi[9])
