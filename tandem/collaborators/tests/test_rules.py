"""The collaborators app's rules: a part of the record is there only if a consent shares it."""

import json
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f

API = "/api/v1"


@pytest.fixture(params=[Role.FRONT_DESK, Role.BILLING])
def office(request: pytest.FixtureRequest, world: World) -> Membership:
    """A front desk or billing member of the clinic: every child visible, no shared parts."""
    org = world.admin.organization
    return cast(Membership, f.MembershipFactory(organization=org, role=request.param))


def test_front_desk_and_billing_find_no_shared_page_or_operation(
    world: World, client_as, office: Membership
) -> None:
    client: Client = client_as(office)
    child = world.other_child  # every part shared with the consented collaborator
    assert client.get(reverse("collaborators:child", args=[child.id])).status_code == 404
    assert client.post(reverse("collaborators:observe", args=[child.id]), {}).status_code == 404
    assert client.get(f"{API}/children/{child.id}/shared/summary").status_code == 404
    url = f"{API}/children/{child.id}/shared/observations"
    assert client.post(url, json.dumps({}), "application/json").status_code == 404


def test_the_team_reads_what_is_shared_in_the_api_but_the_pages_are_the_collaborators(
    world: World, client_as
) -> None:
    child = world.child
    consulting: Client = client_as(world.consulting_therapist)
    assert consulting.get(f"{API}/children/{child.id}/shared/summary").status_code == 200
    assert consulting.get(reverse("collaborators:child", args=[child.id])).status_code == 404
    assert allows(world.consulting_therapist, "collaborators.read_notes", child=child)
    assert not allows(world.consulting_therapist, "collaborators.post_observation", child=child)
    assert allows(world.guardian, "collaborators.post_observation", child=child)


def test_a_part_not_shared_is_not_there_even_on_a_write(world: World, client_as) -> None:
    teacher = world.consented_collaborator  # Maya: the summary only
    assert allows(teacher, "collaborators.summary", child=world.child)
    assert not allows(teacher, "collaborators.observe", child=world.child)
    assert allows(teacher, "collaborators.observe", child=world.other_child)
    client: Client = client_as(teacher)
    url = f"{API}/children/{world.child.id}/shared/observations"
    assert client.post(url, json.dumps({}), "application/json").status_code == 404
    page = reverse("collaborators:observe", args=[world.child.id])
    assert client.post(page, {}).status_code == 404
