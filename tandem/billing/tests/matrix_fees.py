"""What the authorization matrices need to know about the billing fees routes (PRODUCT.md,
roles; ``billing/rules.py``):

- the clinic's fee schedule, sliding scale and billing details, and its charges as CSV:
  admins and billing (``billing.manage``); nobody else finds them (404);
- a child's household and who pays: admins and billing (``billing.household``);
- a child's charges as CSV: admins and billing (``billing.view``);
- a child's fees page, superbill, statement and Good Faith Estimate: the child's
  guardians, admins and billing (``billing.family``); other families and the team find
  nothing (404).
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tandem.conftest import World

_READ = {"billing": "read"}
_WRITE = {"billing": "write"}
_ADMINS_AND_BILLING = {"admin", "billing"}

WRITE_RULES: dict[str, str] = {"billing:family": "none", "billing:household": "none"}
READ_RULES: dict[str, str] = {}
OFFICE_RULES: dict[str, dict[str, str]] = {
    "billing:fees": _WRITE,
    "billing:sliding_scale": _WRITE,
    "billing:profile": _WRITE,
    "billing:clinic_charges_csv": _READ,
    "billing:household": _WRITE,
    "billing:charges_csv": _READ,
    "billing:superbill": _READ,
    "billing:superbill_pdf": _READ,
    "billing:family": _READ,
    "billing:statement_pdf": _READ,
    "billing:estimate": _READ,
    "billing:estimate_pdf": _READ,
}
FILLERS: dict[str, Any] = {}
ORG_FILLERS: dict[str, Any] = {}


def _therapist_of(organization: Any) -> Any:
    from tandem.accounts.models import Membership, Role

    found = (
        Membership.objects.filter(organization=organization, role=Role.THERAPIST, is_active=True)
        .order_by("created_at")
        .first()
    )
    assert found is not None, f"no therapist in {organization}"
    return found.id


API_ORG_FILLERS: dict[str, Any] = {"therapist_id": _therapist_of}
API_COLLECTION_RULES: dict[tuple[str, str], set[str]] = {
    ("GET", "/billing/fees"): _ADMINS_AND_BILLING,
    ("POST", "/billing/fees"): _ADMINS_AND_BILLING,
    ("GET", "/billing/sliding-scale"): _ADMINS_AND_BILLING,
    ("PUT", "/billing/sliding-scale"): _ADMINS_AND_BILLING,
    ("GET", "/billing/profile"): _ADMINS_AND_BILLING,
    ("PUT", "/billing/profile"): _ADMINS_AND_BILLING,
    ("PUT", "/billing/providers/{therapist_id}"): _ADMINS_AND_BILLING,
}
_AGREEMENT = "/children/{child_id}/fee-agreement"
_FAMILY = "/children/{child_id}/fees"
API_READ_RULES: dict[tuple[str, str], str] = {
    ("GET", _AGREEMENT): "none",
    ("GET", _FAMILY): "guardian",
}
API_WRITE_RULES: dict[tuple[str, str], str] = {("PUT", _AGREEMENT): "none"}
OFFICE_API_RULES: dict[tuple[str, str], set[str]] = {
    ("GET", _AGREEMENT): {"billing"},
    ("PUT", _AGREEMENT): {"billing"},
    ("GET", _FAMILY): {"billing"},
}


def populate(world: "World") -> None:
    """Fees, tiers, the clinic's numbers and a self-pay family on the sliding scale, so the
    fee pages and documents show records, not only their empty states."""
    from tandem.billing import fees, fees_profile
    from tandem.core import clock

    today = clock.today_for(world.org)
    for admin in (world.admin, world.foreign_admin):
        fees.add_fee(
            admin, code="97530", amount=Decimal("50.00"), effective_from=datetime.date(2024, 1, 1)
        )
        fees.replace_tiers(admin, fees.DEFAULT_TIERS)
    fees_profile.save_profile(
        world.admin,
        {
            "legal_name": "Riverside Pediatric Therapy LLC",
            "npi": "1234567893",
            "tax_id": "12-3456789",
            "taxonomy": "225X00000X",
            "address": "1 River Road",
            "city": "Portland",
            "state": "OR",
            "postal_code": "97201",
        },
        expected_version=0,
    )
    fees.save_household(
        world.admin,
        world.child,
        funding="self_pay",
        household_size=4,
        annual_income=Decimal("40000"),
        region="contiguous",
        expected_version=0,
        today=today,
    )
