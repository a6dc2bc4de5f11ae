"""The progress app's rules (``tandem/progress/rules.py``): who sees a child's progress.

Progress only reads, so its rules say who sees it: the care team and admins, the
child's guardians (in the family register); collaborators read the summary on their
shared page instead; the front desk and billing never see it.
"""

from collections.abc import Callable
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.plans.models import Goal

from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Membership], Client]
PAGES = ("progress:index", "progress:reports", "progress:report", "progress:report_pdf")


def member_as(world: World, role: str) -> Membership:
    """A new member of the world's clinic in this role (the front desk, billing)."""
    return cast(Membership, f.MembershipFactory(organization=world.org, role=role))


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20, 30, 40], goal))
    return goal


def test_every_action_of_the_app_has_a_rule() -> None:
    assert {"progress.view", "progress.report"} <= set(registered())


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.BILLING])
def test_the_front_desk_and_billing_find_no_progress(
    world: World, client_as: ClientAs, goal: Goal, role: str
) -> None:
    client = client_as(member_as(world, role))
    for name in PAGES:
        url = reverse(name, args=[world.child.id])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 405, name  # progress never writes
    for url in (
        f"/api/v1/children/{world.child.id}/progress",
        f"/api/v1/children/{world.child.id}/goals/{goal.id}/progress",
    ):
        assert client.get(url).status_code == 404, url


def test_the_team_and_the_family_see_progress_and_a_collaborator_does_not(
    world: World, client_as: ClientAs, goal: Goal
) -> None:
    url = reverse("progress:index", args=[world.child.id])
    for member in (world.admin, world.consulting_therapist, world.guardian):
        assert client_as(member).get(url).status_code == 200
    for member in (world.consented_collaborator, world.unassigned_therapist):
        assert client_as(member).get(url).status_code == 404
    api = f"/api/v1/children/{world.child.id}/goals/{goal.id}/progress"
    assert client_as(world.consented_collaborator).get(api).status_code == 404
    assert client_as(world.guardian).get(api).status_code == 200
