"""What the authorization matrices need to know about the intake app.

Referrals belong to a clinic and name no child: the triage pages are for its admins and
front desk (``intake.triage``), everyone else finds nothing there (404), and another
clinic's referral is not there (404). The public form and the status page are in
``PUBLIC_ROUTES`` (no sign-in).
"""

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from tandem.accounts.models import Role

if TYPE_CHECKING:
    from tandem.conftest import World

OFFICE_RULES = {
    "intake:index": {"front_desk": "read"},
    "intake:detail": {"front_desk": "write"},
}


def _referral(organization: Any) -> uuid.UUID:
    from tandem.intake.models import Referral

    first = Referral.objects.filter(organization=organization).order_by("created_at").first()
    assert first is not None
    return first.id


ORG_FILLERS = {"referral_id": lambda world: (_referral(world.org), _referral(world.foreign_org))}

# The API: the same referrals, for the same roles.
API_ORG_FILLERS = {"referral_id": _referral}
_OFFICE = {Role.ADMIN, Role.FRONT_DESK}
API_COLLECTION_RULES = {
    ("GET", "/referrals"): _OFFICE,
    ("GET", "/referrals/{referral_id}"): _OFFICE,
    ("POST", "/referrals/{referral_id}/triage"): _OFFICE,
    ("POST", "/referrals/{referral_id}/offers"): _OFFICE,
}


def populate(world: "World") -> None:
    """A new referral in each clinic."""
    from tandem.intake.tests.helpers import make_referral

    for organization in (world.org, world.foreign_org):
        make_referral(organization, date_of_birth=datetime.date(2024, 5, 1))
