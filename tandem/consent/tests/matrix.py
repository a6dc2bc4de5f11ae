"""What the authorization matrix needs to know about the consent app's routes.

The family's side: a guardian with legal authority shares ("legal_guardian"); such a
guardian or an admin stops sharing. The collaborator's side: each page needs the part
of the record a consent shares (CONSENT_RULES); the world's collaborator personas hold
consents in scope, out of scope, expired and revoked (see tandem/conftest.py).
"""

import datetime

from tandem.consent.models import ConsentGrant
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today

WRITE_RULES = {
    "consent:grant": "legal_guardian",
    "consent:revoke": "legal_guardian",
}

FILLERS = {
    "grant_id": lambda child: ConsentGrant.objects.filter(child=child).first().id,
}

# Collaborator pages: route → the part of the record a consent must share.
CONSENT_RULES = {
    "consent:child": "summary",
    "consent:notes": "notes",
    "consent:observe": "observations",
}


def populate(world) -> None:  # type: ignore[no-untyped-def]
    """A consent for the other clinic's child (the world's own children have theirs)."""
    teacher = f.CollaboratorFactory(organization=world.foreign_org)
    ConsentGrant.objects.create(
        organization=world.foreign_org,
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
    ("POST", "/children/{child_id}/shared/observations"): "guardian",
}
# Only the child's guardians and admins learn who the record is shared with.
API_READ_RULES = {
    ("GET", "/children/{child_id}/consents"): "guardian",
    ("GET", "/children/{child_id}/consents/{grant_id}/revoke"): "guardian",
    # Therapists record observations on the home program's own path.
    ("GET", "/children/{child_id}/shared/observations"): "guardian",
}
API_COLLECTION_RULES = {("GET", "/consents/children"): {"collaborator"}}
API_CONSENT_RULES = {
    ("GET", "/children/{child_id}/shared/summary"): "summary",
    ("GET", "/children/{child_id}/shared/notes"): "notes",
    ("POST", "/children/{child_id}/shared/observations"): "observations",
}
