"""Breaking the glass as a person does: the form at /emergency/."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tandem.children.models import Child
from tandem.core.testing.types import Response

REASON = "Her therapist is away and the family called about a seizure at home."


def break_glass(client: Client, child: Child, **typed: Any) -> Response:
    """Type the child's name, date of birth and a reason (override any with ``typed``)."""
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "reason": REASON,
    } | typed
    return client.post(reverse("breakglass:open"), data)
