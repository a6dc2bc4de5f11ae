"""Resources, shares and workshops for tests, built through the actions."""

import datetime
import io
from typing import Any, cast

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tandem.accounts.models import Membership
from tandem.resources import actions
from tandem.resources.models import PlaceStatus, Resource, Workshop, WorkshopRegistration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def make_resource(by: Membership, **fields: Any) -> Resource:
    values = {
        "title": "Button practice at breakfast",
        "kind": "text",
        "body": "Let your child do the last button of their coat.",
        "domains": ["fine_motor"],
        "language": "en",
    } | fields
    return actions.create_resource(by, **values)


def make_workshop(by: Membership, **fields: Any) -> Workshop:
    values = {
        "title": "Sensory play evening",
        "starts_at": timezone.now() + datetime.timedelta(days=10),
        "location": "Riverside clinic, room 2",
        "capacity": 2,
    } | fields
    return actions.create_workshop(by, **cast(dict[str, Any], values))


def _live(workshop: Workshop, status: str) -> list[Any]:
    return list(
        WorkshopRegistration.objects.filter(
            workshop=workshop, status=status, cancelled_at__isnull=True
        )
        .order_by("created_at", "pk")
        .values_list("guardian_id", flat=True)
    )


def places_at(workshop: Workshop) -> list[Any]:
    """Who has a place at the workshop (guardian ids, first to sign up first)."""
    return _live(workshop, PlaceStatus.REGISTERED)


def waitlist_at(workshop: Workshop) -> list[Any]:
    """Who waits for a place (guardian ids, next first)."""
    return _live(workshop, PlaceStatus.WAITLISTED)
