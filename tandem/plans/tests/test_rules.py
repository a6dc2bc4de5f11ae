"""The plans rules (rules.py) and scopes (Plan.objects.visible_to …) at their edges.

The matrices check every route and operation as every persona of today's roles; these
add the front desk and billing (no clinical content: every plans page and operation is
404 for them) and the cases a rule decides on its own.
"""

import json
from typing import TYPE_CHECKING, Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.children.models import GuardianLink
from tandem.conftest import sign_in
from tandem.core.testing import factories as f
from tandem.plans import urls
from tandem.plans.models import CopmActivity, Goal, Plan, PlanSignature, PlanStatus
from tandem.plans.rules import EDIT, GOAL_BANK, GOAL_BANK_EDIT, SIGN_AS_GUARDIAN, VIEW
from tandem.plans.tests.helpers import first_goal, make_copm, make_plan

if TYPE_CHECKING:
    from tandem.conftest import World

NEW_ROLES = [Role.FRONT_DESK, Role.BILLING]


def _plans_routes() -> list[tuple[str, tuple[str, ...]]]:
    return [(f"plans:{p.name}", tuple(p.pattern.regex.groupindex)) for p in urls.urlpatterns]


def _fill(names: tuple[str, ...], plan: Plan, goal: Goal, activity: CopmActivity) -> dict[str, Any]:
    ids = {
        "child_id": plan.child_id,
        "plan_id": plan.id,
        "goal_id": goal.id,
        "activity_id": activity.id,
    }
    return {name: ids[name] for name in names}


def _member(world: "World", role: str) -> Membership:
    return cast(Membership, f.MembershipFactory(organization=world.admin.organization, role=role))


@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_front_desk_and_billing_find_no_plans_page(world: "World", role: str) -> None:
    plan = make_plan(world.child, world.therapist)
    goal, activity = first_goal(plan), make_copm(plan)
    client = sign_in(Client(), _member(world, role))
    for name, params in _plans_routes():
        url = reverse(name, kwargs=_fill(params, plan, goal, activity))
        answers = {client.get(url).status_code, client.post(url, {}).status_code}
        # A page that takes only GET (or only POST) answers 405 to the other method.
        assert answers - {405} == {404}, (role, url, answers)
    assert plan.version == Plan.objects.get(pk=plan.pk).version


@pytest.mark.urls("tandem.plans.tests.api_urls")
@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_front_desk_and_billing_find_no_plans_api(world: "World", role: str) -> None:
    from tandem.plans.tests.api_urls import api

    plan = make_plan(world.child, world.therapist)
    goal, activity = first_goal(plan), make_copm(plan)
    ids = {
        "child_id": plan.child_id,
        "plan_id": plan.id,
        "goal_id": goal.id,
        "activity_id": activity.id,
    }
    client = sign_in(Client(), _member(world, role))
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    calls = [(method.upper(), path) for path, item in schema["paths"].items() for method in item]
    assert len(calls) == 13
    for method, path in calls:
        url = path.format(**ids)
        body = json.dumps({"version": plan.version, "typed_name": "Front Desk"})
        response = client.generic(method, url, body, content_type="application/json")
        assert response.status_code == 404, (role, method, url, response.status_code)
    assert not PlanSignature.objects.exists()


@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_new_roles_pass_no_plans_rule_and_read_no_plan(world: "World", role: str) -> None:
    make_copm(make_plan(world.child, world.therapist))
    member = _member(world, role)
    for action in (VIEW, EDIT, SIGN_AS_GUARDIAN, GOAL_BANK, GOAL_BANK_EDIT):
        assert not allows(member, action, child=world.child), action
    assert not allows(member, GOAL_BANK)
    for model in (Plan, Goal, PlanSignature, CopmActivity):
        assert not model.objects.visible_to(member).exists(), model


def test_who_passes_each_rule_for_one_child(world: "World") -> None:
    expected = {
        # persona: (view, edit, sign as guardian)
        "admin": (True, True, False),
        "therapist": (True, True, False),  # lead
        "assistant": (True, True, False),  # treating
        "consulting_therapist": (True, False, False),  # reads, never writes
        "unassigned_therapist": (False, False, False),
        "guardian": (True, False, True),  # with legal authority
        "other_guardian": (False, False, False),
        "consented_collaborator": (False, False, False),  # only on the pages consent opens
        "foreign_admin": (False, False, False),
    }
    for persona, answers in expected.items():
        member = getattr(world, persona)
        got = tuple(allows(member, a, child=world.child) for a in (VIEW, EDIT, SIGN_AS_GUARDIAN))
        assert got == answers, persona


def test_a_guardian_without_legal_authority_reads_but_does_not_sign(world: "World") -> None:
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.has_legal_authority = False
    link.save()
    assert allows(world.guardian, VIEW, child=world.child)
    assert not allows(world.guardian, SIGN_AS_GUARDIAN, child=world.child)
    assert allows(world.guardian, SIGN_AS_GUARDIAN, child=world.sibling)


def test_the_goal_bank_is_the_clinical_staffs(world: "World") -> None:
    for persona in ("admin", "therapist", "assistant", "unassigned_therapist"):
        assert allows(getattr(world, persona), GOAL_BANK)
        assert allows(getattr(world, persona), GOAL_BANK_EDIT)
    for persona in ("guardian", "consented_collaborator"):
        assert not allows(getattr(world, persona), GOAL_BANK)


def test_a_consulting_therapist_reads_the_plan_but_cannot_change_it(
    world: "World", client_as: Any
) -> None:
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.consulting_therapist)
    assert client.get(reverse("plans:detail", args=[world.child.id, plan.id])).status_code == 200
    edit = reverse("plans:edit", args=[world.child.id, plan.id])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"version": plan.version}).status_code == 403


def test_scopes_read_across_the_caseload(world: "World") -> None:
    own = make_plan(world.child, world.therapist)
    sibling = make_plan(world.sibling, world.therapist)
    other = make_plan(world.other_child, world.unassigned_therapist)
    foreign = make_plan(world.foreign_child, world.foreign_therapist)
    draft = make_plan(world.child, world.therapist, status=PlanStatus.DRAFT, discipline="pt")

    def seen(member: Membership) -> set[Plan]:
        return set(Plan.objects.visible_to(member))

    assert seen(world.admin) == {own, sibling, other, draft}
    assert seen(world.therapist) == {own, sibling, draft}
    assert seen(world.consulting_therapist) == {own, draft}
    # Families read a plan once it is in force, never a draft (nor its goals).
    assert seen(world.guardian) == {own, sibling}
    assert not Goal.objects.visible_to(world.guardian).filter(plan=draft).exists()
    # A collaborator: the plans in force of the children whose summary consent shares.
    assert seen(world.consented_collaborator) == {own, other}
    assert seen(world.expired_collaborator) == set()
    assert seen(world.foreign_admin) == {foreign}
    assert set(Plan.objects.visible_to(world.admin).for_child(world.sibling)) == {sibling}
    # Signatures and COPM ratings are never a collaborator's.
    make_copm(own)
    assert CopmActivity.objects.visible_to(world.therapist).exists()
    assert not CopmActivity.objects.visible_to(world.consented_collaborator).exists()
