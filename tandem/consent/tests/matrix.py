"""What the authorization matrix needs to know about the consent app's routes.

The family's side: a guardian with legal authority shares ("legal_guardian"); such a
guardian or an admin stops sharing. What a consent shows a collaborator is the
collaborators app's (tandem/collaborators/tests/matrix.py).
"""

import datetime
import uuid
from typing import TYPE_CHECKING, cast

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.consent.models import ConsentGrant
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "consent:grant": "legal_guardian",
    "consent:revoke": "legal_guardian",
}


def _grant(child: Child) -> uuid.UUID:
    grant = ConsentGrant.objects.filter(child=child).first()
    assert grant is not None, f"no consent for {child}"
    return grant.id


FILLERS = {"grant_id": _grant}


def populate(world: "World") -> None:
    """A consent for the other clinic's child (the world's own children have theirs)."""
    teacher = cast(Membership, f.CollaboratorFactory(organization=world.foreign_org))
    ConsentGrant.objects.create(
        organization=world.foreign_child.organization,
        child=world.foreign_child,
        collaborator=teacher,
        granted_by=world.foreign_guardian,
        role_title="Teacher",
        can_read_notes=True,
        expires_on=clinic_today() + datetime.timedelta(days=30),
    )


# The API (paths relative to /api/v1/).
API_WRITE_RULES = {
    ("POST", "/children/{child_id}/consents"): "legal_guardian",
    ("POST", "/children/{child_id}/consents/{grant_id}/revoke"): "legal_guardian",
}
# Only the child's guardians and admins learn who the record is shared with.
API_READ_RULES = {
    ("GET", "/children/{child_id}/consents"): "guardian",
    ("GET", "/children/{child_id}/consents/{grant_id}/revoke"): "guardian",
}
API_COLLECTION_RULES = {("GET", "/consents/children"): {"collaborator"}}
