"""The resources app's rules: the office roles find nothing; sharing is the child's editors'."""

import json
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.resources.models import (
    Resource,
    ResourceAssignment,
    Workshop,
    WorkshopRegistration,
)

from .helpers import make_resource, make_workshop

API = "/api/v1"


@pytest.fixture(params=[Role.FRONT_DESK, Role.BILLING])
def office(request: pytest.FixtureRequest, world: World) -> Membership:
    """A front desk or billing member of the clinic: every child visible, no resources."""
    org = world.admin.organization
    return cast(Membership, f.MembershipFactory(organization=org, role=request.param))


def _json(client: Client, method: str, url: str) -> int:
    return client.generic(method, API + url, json.dumps({}), "application/json").status_code


def test_front_desk_and_billing_find_no_resource_page_or_operation(
    world: World, client_as, office: Membership
) -> None:
    resource = make_resource(world.therapist)
    workshop = make_workshop(world.therapist)
    client: Client = client_as(office)
    child = world.child
    assert client.get(reverse("resources:index")).status_code == 404
    assert client.get(f"{reverse('resources:detail')}?id={resource.id}").status_code == 404
    assert client.get(reverse("resources:child", args=[child.id])).status_code == 404
    assert client.get(reverse("resources:workshops")).status_code == 404
    share = reverse("resources:share", args=[child.id])
    assert client.post(share, {"resource": str(resource.id)}).status_code == 404
    register = reverse("resources:register")
    assert client.post(register, {"workshop": str(workshop.id)}).status_code == 404
    assert _json(client, "GET", "/resources") == 404
    assert _json(client, "GET", f"/children/{child.id}/resources") == 404
    assert _json(client, "POST", f"/children/{child.id}/resources") == 404
    assert _json(client, "GET", "/workshops") == 404
    assert _json(client, "POST", "/workshops") == 404
    assert _json(client, "POST", "/workshop-registrations") == 404
    assert not Workshop.objects.visible_to(office).exists()
    assert not WorkshopRegistration.objects.visible_to(office).exists()
    assert not Resource.objects.visible_to(office).exists()


def test_a_consulting_therapist_sees_the_childs_resources_but_does_not_share(
    world: World, client_as
) -> None:
    resource = make_resource(world.therapist)
    child = world.child
    client: Client = client_as(world.consulting_therapist)
    assert client.get(reverse("resources:child", args=[child.id])).status_code == 200
    share = reverse("resources:share", args=[child.id])
    assert client.post(share, {"resource": str(resource.id)}).status_code == 403
    assert _json(client, "POST", f"/children/{child.id}/resources") == 403
    assert not allows(world.consulting_therapist, "resources.share", child=child)
    assert allows(world.assistant, "resources.share", child=child)  # a treating seat
    # Families see what is shared with them but share nothing (403, page and API).
    family: Client = client_as(world.guardian)
    assert family.post(share, {"resource": str(resource.id)}).status_code == 403
    assert _json(family, "POST", f"/children/{child.id}/resources") == 403
    assert not ResourceAssignment.objects.exists()


def test_who_sees_what_across_the_clinic(world: World) -> None:
    resource = make_resource(world.therapist)
    from tandem.resources import actions

    actions.share_resource(world.therapist, world.child, resource)
    workshop = make_workshop(world.therapist)
    actions.register(world.guardian, workshop)
    actions.register(world.other_guardian, workshop)
    assert list(Resource.objects.visible_to(world.unassigned_therapist)) == [resource]
    assert list(Resource.objects.visible_to(world.guardian)) == [resource]  # shared with Maya
    assert not Resource.objects.visible_to(world.other_guardian).exists()
    assert not Resource.objects.visible_to(world.foreign_admin).exists()
    shares = ResourceAssignment.objects
    assert shares.visible_to(world.guardian).count() == 1
    assert not shares.visible_to(world.unassigned_therapist).exists()  # not on Maya's team
    assert not shares.visible_to(world.consented_collaborator).exists()
    places = WorkshopRegistration.objects
    assert {p.guardian for p in places.visible_to(world.guardian)} == {world.guardian}
    assert places.visible_to(world.therapist).count() == 2
    assert not places.visible_to(world.collaborator).exists()
    assert list(Workshop.objects.visible_to(world.other_guardian)) == [workshop]
