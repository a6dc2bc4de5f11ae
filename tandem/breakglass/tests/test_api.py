"""GET /api/v1/emergency-access: the clinic's admins read every grant, a page at a time,
with its review and the record views made during it; nobody else finds it."""

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess, Outcome

from .helpers import REASON, break_glass

pytestmark = pytest.mark.django_db
URL = "/api/v1/emergency-access"


def test_admins_list_the_clinics_grants(world: World, client_as: ClientAs) -> None:
    holder = client_as(world.unassigned_therapist)
    break_glass(holder, world.child)
    holder.get(reverse("children:detail", args=[world.child.id]))
    break_glass(holder, world.sibling)
    admin = client_as(world.admin)

    page = admin.get(URL, {"limit": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    newest = page["items"][0]
    assert newest["child"]["name"] == "Eli Okafor" and newest["active"] is True
    everything = admin.get(URL).json()["items"]
    maya = next(i for i in everything if i["child"]["name"] == "Maya Okafor")
    assert maya["reason"] == REASON and maya["record_views"] == 1
    assert maya["member"]["id"] == str(world.unassigned_therapist.id)
    assert maya["outcome"] == "" and maya["reviewed_at"] is None

    access = EmergencyAccess.objects.get(child=world.child)
    admin.post(reverse("breakglass:review", args=[access.id]), {"outcome": Outcome.APPROPRIATE})
    reviewed = admin.get(URL, {"reviewed": "true"}).json()["items"]
    assert [i["outcome"] for i in reviewed] == ["appropriate"]
    assert admin.get(URL, {"reviewed": "false"}).json()["count"] == 1


def test_nobody_else_finds_the_list(world: World, client_as: ClientAs) -> None:
    break_glass(client_as(world.unassigned_therapist), world.child)
    for member in (world.unassigned_therapist, world.therapist, world.front_desk, world.guardian):
        assert client_as(member).get(URL).status_code == 404
    assert client_as(world.foreign_admin).get(URL).json()["count"] == 0
