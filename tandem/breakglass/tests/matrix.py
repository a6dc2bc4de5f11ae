"""What the authorization matrix needs to know about the break-glass pages and API.

Breaking the glass (``/emergency/``, ending one's own) is for therapists; the review queue
and a grant's review, for the clinic's admins; everyone else finds nothing there (404), and
another clinic's grant is not there (404). The grants in the world ended long ago and are
held by a therapist who is no persona: an active one would open a child to a persona the
oracle says does not see it (the kernel's side is tested in tandem/emergency/tests).
"""

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from tandem.accounts.models import Role

if TYPE_CHECKING:
    from tandem.conftest import World


def _access(organization: Any) -> uuid.UUID:
    from tandem.emergency.models import EmergencyAccess

    first = EmergencyAccess.objects.filter(organization=organization).order_by("started_at").first()
    assert first is not None
    return first.id


ORG_FILLERS = {"access_id": lambda world: (_access(world.org), _access(world.foreign_org))}
API_COLLECTION_RULES = {("GET", "/emergency-access"): {Role.ADMIN}}


def populate(world: "World") -> None:
    """An ended emergency access in each clinic, to a child outside its holder's caseload."""
    from tandem.core import clock
    from tandem.core.testing import factories as f
    from tandem.emergency.models import EmergencyAccess

    began = clock.now() - datetime.timedelta(days=2)
    for child in (world.other_child, world.foreign_child):
        EmergencyAccess.objects.create(
            organization=child.organization,
            child=child,
            member=f.TherapistFactory(organization=child.organization),
            reason="The family called about a seizure during home practice.",
            started_at=began,
            expires_at=began + datetime.timedelta(hours=4),
        )
