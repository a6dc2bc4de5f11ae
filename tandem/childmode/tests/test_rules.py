"""Child mode's rules (``rules.py``): the new roles find nothing; who opens child mode and
who reads the child's picks; the clinic-wide scope of the picks."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.childmode.models import ChildChoice, ChoiceSource
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing import factories as f

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Membership], Client]
NEW_ROLES = [Role.FRONT_DESK, Role.BILLING]


def _member(world: World, role: str) -> Membership:
    member: Membership = f.MembershipFactory.create(organization=world.org, role=role)
    return member


def _pick(child: Child, adult: Membership) -> ChildChoice:
    return ChildChoice.objects.create(
        organization=child.organization,
        child=child,
        label="Trains",
        source=ChoiceSource.INTEREST,
        during_session_of=adult,
    )


@pytest.mark.parametrize("role", NEW_ROLES)
def test_front_desk_and_billing_find_no_child_mode_page_nor_operation(
    world: World, client_as: ClientAs, role: str
) -> None:
    child = world.child
    client = client_as(_member(world, role))
    calls = [
        ("GET", reverse("childmode:start", args=[child.id]), {}),
        ("GET", reverse("childmode:choices", args=[child.id]), {}),
        ("GET", reverse("childmode:home"), {}),
        ("GET", reverse("childmode:exit"), {}),
        ("POST", reverse("childmode:enter"), {"child": str(child.id)}),
        ("POST", reverse("childmode:choose"), {"source": "interest", "label": "Trains"}),
    ]
    for method, url, data in calls:
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code == 404, (role, method, url, response.status_code)
    pick = {"child_id": str(child.id), "source": "interest", "label": "Trains"}
    api = [
        client.get(f"/api/v1/children/{child.id}/child-mode"),
        client.get(f"/api/v1/children/{child.id}/child-mode/choices"),
        client.post("/api/v1/child-mode/choices", pick, content_type="application/json"),
    ]
    assert [r.status_code for r in api] == [404, 404, 404], role


def test_a_consulting_therapist_sees_the_page_and_the_picks_but_may_not_open_it(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.consulting_therapist)
    start = client.get(reverse("childmode:start", args=[world.child.id]))
    assert start.status_code == 200
    assert reverse("childmode:enter") not in start.content.decode()
    assert client.get(reverse("childmode:choices", args=[world.child.id])).status_code == 200
    entered = client.post(reverse("childmode:enter"), {"child": str(world.child.id)})
    assert entered.status_code == 403


def test_who_may_do_what(world: World) -> None:
    child = world.child
    assert allows(world.guardian, "childmode.open", child=child)
    assert allows(world.assistant, "childmode.open", child=child)
    assert not allows(world.consulting_therapist, "childmode.open", child=child)
    assert allows(world.consulting_therapist, "childmode.read_choices", child=child)
    assert not allows(world.guardian, "childmode.read_choices", child=child)
    assert not allows(world.other_guardian, "childmode.view", child=child)
    assert not allows(world.consented_collaborator, "childmode.view", child=child)


def test_the_picks_across_the_clinic_follow_the_rules(world: World) -> None:
    mine = _pick(world.child, world.guardian)
    theirs = _pick(world.other_child, world.other_guardian)
    foreign = _pick(world.foreign_child, world.foreign_guardian)

    def seen(member: Membership) -> set[ChildChoice]:
        return set(ChildChoice.objects.visible_to(member))

    assert seen(world.admin) == {mine, theirs}
    assert seen(world.therapist) == {mine}
    assert seen(world.unassigned_therapist) == {theirs}
    assert seen(world.foreign_therapist) == {foreign}
    assert seen(world.guardian) == set()
    assert seen(_member(world, Role.BILLING)) == set()
    assert set(ChildChoice.objects.visible_to(world.admin).for_child(world.child)) == {mine}
