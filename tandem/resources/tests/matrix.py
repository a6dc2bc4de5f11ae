"""What the authorization matrix needs to know about the resources app's routes.

Library items and workshops belong to the clinic, not to a child: their pages name
them by ``?id=``, and without one they lead back to the list (302); the API names a
library item in its path (``/resources/{resource_id}/file``). Sharing with a family
happens on the child's resources page, for the child's editors.
"""

import uuid
from typing import TYPE_CHECKING

from tandem.accounts.models import Organization, Role
from tandem.children.models import Child

if TYPE_CHECKING:
    from tandem.conftest import World

WRITE_RULES = {
    "resources:share": "editor",
    "resources:unshare": "editor",
}
READ_RULES: dict[str, str] = {}


def _share(child: Child) -> uuid.UUID:
    from tandem.resources.models import ResourceAssignment

    share = ResourceAssignment.objects.filter(child=child).first()
    assert share is not None, f"nothing shared with {child}"
    return share.id


FILLERS = {"share_id": _share}


def populate(world: "World") -> None:
    """A resource shared with each child the matrix visits, a workshop for each (full, the
    other family of the clinic on its waitlist), and in each clinic a handout shared with
    the children of all its families."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from tandem.resources import actions

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for author, children in (
        (world.therapist, [world.child, world.other_child]),
        (world.foreign_therapist, [world.foreign_child]),
    ):
        handout = actions.create_resource(
            author,
            title="Handout for the families",
            kind="handout",
            upload=SimpleUploadedFile("handout.pdf", pdf),
        )
        for child in children:
            actions.share_resource(author, child, handout)
    other_family = {world.guardian: world.other_guardian, world.other_guardian: world.guardian}
    for child, author, guardian in (
        (world.child, world.therapist, world.guardian),
        (world.other_child, world.unassigned_therapist, world.other_guardian),
        (world.foreign_child, world.foreign_therapist, world.foreign_guardian),
    ):
        resource = actions.create_resource(
            author,
            title=f"Handout for {child.first_name}'s family",
            kind="text",
            body="Practise buttons at breakfast.",
            domains=["fine_motor"],
        )
        actions.share_resource(author, child, resource)
        workshop = actions.create_workshop(
            author,
            title="Parent evening",
            starts_at=timezone.now() + datetime.timedelta(days=7),
            location="Clinic",
            capacity=1,
        )
        actions.register(guardian, workshop)
        if guardian in other_family:
            actions.register(other_family[guardian], workshop)  # on the waitlist


def _handout(organization: Organization) -> uuid.UUID:
    from tandem.resources.models import Resource

    handout = Resource.objects.filter(organization=organization, kind="handout").first()
    assert handout is not None, f"no handout in {organization}"
    return handout.id


API_ORG_FILLERS = {"resource_id": _handout}


_STAFF = {Role.ADMIN, Role.THERAPIST}
_FAMILY_AND_STAFF = {Role.ADMIN, Role.THERAPIST, Role.GUARDIAN}

API_WRITE_RULES = {
    ("POST", "/children/{child_id}/resources"): "editor",
    ("DELETE", "/children/{child_id}/resources/{share_id}"): "editor",
}
API_COLLECTION_RULES = {
    ("GET", "/resources"): _FAMILY_AND_STAFF,
    ("POST", "/resources"): _STAFF,
    ("POST", "/resources/handouts"): _STAFF,
    ("GET", "/resources/{resource_id}/file"): _FAMILY_AND_STAFF,
    ("POST", "/resources/{resource_id}/file"): _STAFF,
    ("GET", "/workshops"): _FAMILY_AND_STAFF,
    ("POST", "/workshops"): _STAFF,
    ("GET", "/workshop-registrations"): _FAMILY_AND_STAFF,
    ("POST", "/workshop-registrations"): {Role.GUARDIAN},
    ("POST", "/workshop-registrations/cancel"): {Role.GUARDIAN},
}
