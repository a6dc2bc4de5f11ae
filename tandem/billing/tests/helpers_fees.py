"""Fee records for tests, built through the fee actions, and members speaking a language."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import Membership
from tandem.billing import fees, fees_profile
from tandem.billing.x12.npi import HEALTH_PREFIX, luhn_check_digit
from tandem.children.models import Child
from tandem.exports.tests.helpers import download_pdf

# The clinic's numbers as the profile form takes them (the NPI: CMS's worked example).
CLINIC = {
    "legal_name": "Riverside Pediatric Therapy LLC",
    "npi": "1234567893",
    "tax_id": "12-3456789",
    "taxonomy": "261QR0400X",
    "address": "1200 River Street",
    "city": "Portland",
    "state": "OR",
    "postal_code": "97201",
    "phone": "503-555-0100",
}


def npi(first_nine: str) -> str:
    """A valid NPI from nine digits (the CMS check digit added)."""
    return first_nine + str(luhn_check_digit(HEALTH_PREFIX + first_nine))


def clinic_profile(admin: Membership, **changes: Any) -> Any:
    return fees_profile.save_profile(admin, CLINIC | changes, expected_version=0)


def fee(admin: Membership, code: str, amount: str, on: datetime.date) -> Any:
    return fees.add_fee(admin, code=code, amount=Decimal(amount), effective_from=on)


def household(
    admin: Membership,
    child: Child,
    today: datetime.date,
    *,
    size: int = 4,
    income: str = "40000",
    funding: str = "self_pay",
    **fields: Any,
) -> Any:
    return fees.save_household(
        admin,
        child,
        funding=funding,
        household_size=size,
        annual_income=Decimal(income),
        region=fields.pop("region", "contiguous"),
        expected_version=fields.pop("expected_version", None),
        today=today,
        **fields,
    )


def speaking(member: Membership, language: str) -> Membership:
    member.user.language = language
    member.user.save(update_fields=["language"])
    return member


class Printed:
    """The HTML each PDF was printed from (WeasyPrint still prints it)."""

    def __init__(self) -> None:
        self.html: list[str] = []


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Printed]:
    import weasyprint

    real = weasyprint.HTML
    seen = Printed()

    def printer(*args: Any, **kwargs: Any) -> Any:
        seen.html.append(kwargs.get("string") or "")
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", printer)
    yield seen


def pdf_of(client: Client, url: str, data: Any = None) -> Any:
    """The PDF at the address (the export made at once, see exports.tests.helpers)."""
    return download_pdf(client, url, data)
