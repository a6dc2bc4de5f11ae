"""What the authorization matrices need to know about the billing app (each part's
routes in its own ``matrix_<part>.py``, merged here).

- A session's codes: the note's author lists them on a draft; an editor corrects them
  once signed. Billing and the front desk do not open notes (404).
- A child's billing page and payments: admins and billing.
- The clinic's billing page: admins and billing; everyone else finds nothing (404).
"""

from typing import TYPE_CHECKING, Any

from . import matrix_claims, matrix_fees, matrix_insurance

if TYPE_CHECKING:
    from tandem.conftest import World

_PARTS = (matrix_insurance, matrix_fees, matrix_claims)


def _merged(name: str, own: dict[Any, Any]) -> dict[Any, Any]:
    merged = dict(own)
    for part in _PARTS:
        merged.update(getattr(part, name))
    return merged


WRITE_RULES = _merged(
    "WRITE_RULES",
    {
        "billing:codes": "editor",
        "billing:child": "none",
        "billing:payment": "none",
        "billing:adjustment": "none",
    },
)
READ_RULES = _merged("READ_RULES", {"billing:codes": "editor"})
OFFICE_RULES = _merged(
    "OFFICE_RULES",
    {
        "billing:child": {"billing": "read"},
        "billing:payment": {"billing": "write"},
        "billing:adjustment": {"billing": "write"},
        "billing:home": {"billing": "read"},
    },
)
# ``note_id`` is filled by the notes app (a signed note of each child).
FILLERS = _merged("FILLERS", {})
ORG_FILLERS = _merged("ORG_FILLERS", {})
API_ORG_FILLERS = _merged("API_ORG_FILLERS", {})
_BILLING = {"admin", "billing"}
_CODES = "/children/{child_id}/sessions/{note_id}/codes"
_CHARGES = "/children/{child_id}/charges"
_PAYMENTS = "/children/{child_id}/payments"
_ADJUSTMENTS = "/children/{child_id}/adjustments"
API_COLLECTION_RULES = _merged(
    "API_COLLECTION_RULES",
    {
        ("GET", "/billing/unbilled"): _BILLING,
        ("GET", "/billing/aging"): _BILLING,
        ("GET", "/billing/authorizations-at-risk"): _BILLING,
    },
)
# "none": of those who see the child, only admins (and the office roles named below).
API_READ_RULES = _merged(
    "API_READ_RULES",
    {
        ("GET", _CODES): "editor",
        ("GET", _CHARGES): "none",
        ("GET", _PAYMENTS): "none",
        ("GET", _ADJUSTMENTS): "none",
    },
)
API_WRITE_RULES = _merged(
    "API_WRITE_RULES",
    {("PUT", _CODES): "editor", ("POST", _PAYMENTS): "none", ("POST", _ADJUSTMENTS): "none"},
)
OFFICE_API_RULES = _merged(
    "OFFICE_API_RULES",
    {
        ("GET", _CHARGES): {"billing"},
        ("POST", _PAYMENTS): {"billing"},
        ("POST", _ADJUSTMENTS): {"billing"},
    },
)


def populate(world: "World") -> None:
    """Each part's records (its ``populate``, when it has one)."""
    for part in _PARTS:
        if hasattr(part, "populate"):
            part.populate(world)
