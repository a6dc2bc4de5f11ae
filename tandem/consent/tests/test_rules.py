"""The consent app's rules: who sees, gives and withdraws consents, and the new office roles."""

import json
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.children.models import GuardianLink
from tandem.conftest import World
from tandem.consent.models import ConsentGrant
from tandem.core.testing import factories as f

API = "/api/v1"


@pytest.fixture(params=[Role.FRONT_DESK, Role.BILLING])
def office(request: pytest.FixtureRequest, world: World) -> Membership:
    """A front desk or billing member of the clinic: every child visible, no consents."""
    org = world.admin.organization
    return cast(Membership, f.MembershipFactory(organization=org, role=request.param))


def test_front_desk_and_billing_find_no_consent_page_or_operation(
    world: World, client_as, office: Membership
) -> None:
    client: Client = client_as(office)
    child = world.child
    grant = ConsentGrant.objects.filter(child=child).first()
    assert grant is not None
    assert client.get(reverse("consent:index", args=[child.id])).status_code == 404
    assert client.post(reverse("consent:grant", args=[child.id]), {}).status_code == 404
    stop = reverse("consent:revoke", args=[child.id, grant.id])
    assert client.post(stop).status_code == 404
    assert client.get(f"{API}/children/{child.id}/consents").status_code == 404
    body = json.dumps({})
    give = client.post(f"{API}/children/{child.id}/consents", body, "application/json")
    assert give.status_code == 404
    assert client.get(f"{API}/consents/children").status_code == 404


def test_admins_see_and_withdraw_consents_but_only_a_legal_guardian_gives_one(
    world: World,
) -> None:
    child = world.child
    link = cast(GuardianLink, f.GuardianLinkFactory(child=child, has_legal_authority=False))
    grandpa = link.guardian
    assert allows(world.admin, "consent.view", child=child)
    assert allows(world.admin, "consent.withdraw", child=child)
    assert not allows(world.admin, "consent.give", child=child)
    assert allows(world.guardian, "consent.give", child=child)
    assert allows(grandpa, "consent.view", child=child)
    assert not allows(grandpa, "consent.give", child=child)
    assert not allows(grandpa, "consent.withdraw", child=child)
    assert not allows(world.other_guardian, "consent.view", child=child)
    assert not allows(world.therapist, "consent.view", child=child)
    assert not allows(world.foreign_admin, "consent.withdraw", child=child)


def test_who_sees_which_consents_across_the_clinic(world: World) -> None:
    grants = ConsentGrant.objects
    clinic = set(grants.filter(organization_id=world.admin.organization_id))
    assert set(grants.visible_to(world.admin)) == clinic
    assert {g.child for g in grants.visible_to(world.guardian)} <= {world.child, world.sibling}
    assert {g.child for g in grants.visible_to(world.other_guardian)} == {world.other_child}
    held = set(grants.visible_to(world.consented_collaborator))
    assert held and all(g.collaborator == world.consented_collaborator for g in held)
    for persona in ("therapist", "expired_collaborator", "revoked_collaborator"):
        assert not grants.visible_to(getattr(world, persona)).exists(), persona
    assert set(grants.visible_to(world.admin).for_child(world.other_child)) == {
        g for g in clinic if g.child == world.other_child
    }
