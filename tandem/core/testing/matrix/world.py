"""The matrix's world: the shared personas (tandem/conftest.py) and what routes point at."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tandem.accounts.models import ApiToken, Invitation, Role

from .rules import MATRIX_MODULES

# --- The world -------------------------------------------------------------------


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def build_matrix_world() -> Any:
    """The shared world (tandem/conftest.py) plus the objects routes point at."""
    from tandem.conftest import build_world

    world: Any = build_world()
    for child in (world.child, world.sibling, world.other_child, world.foreign_child):
        child.photo = _png()
        child.save()
    world.invitation = Invitation.objects.create(
        organization=world.org,
        email="new@example.org",
        role=Role.THERAPIST,
        membership=world.unassigned_therapist,
        token_hash="a" * 64,
    )
    world.foreign_invitation = Invitation.objects.create(
        organization=world.foreign_org,
        email="new@example.org",
        role=Role.THERAPIST,
        membership=world.foreign_therapist,
        token_hash="b" * 64,
    )
    world.tokens = {
        name: ApiToken.objects.create(
            membership=getattr(world, name),
            name="t",
            prefix="tdm_x",
            token_hash=name.ljust(64, "0"),
        )
        for name in ("admin", "therapist", "foreign_admin")
    }
    for module in MATRIX_MODULES:
        if hasattr(module, "populate"):
            module.populate(world)
    return world
