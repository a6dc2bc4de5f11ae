"""The assessments rules (``rules.py``): the new roles find nothing, the edges of the rules
hold, and the org-wide scopes return what each member may read across the clinic."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.accounts.models import Membership, Role
from tandem.assessments.models import Evaluation, GrowthMeasurement
from tandem.assessments.tests.helpers import make_evaluation, make_growth
from tandem.conftest import World
from tandem.core.testing import factories as f

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Membership], Client]
NEW_ROLES = [Role.FRONT_DESK, Role.BILLING]


def _member(world: World, role: str) -> Membership:
    member: Membership = f.MembershipFactory.create(organization=world.org, role=role)
    return member


def _pages(world: World, evaluation: Evaluation) -> list[tuple[str, str]]:
    child, ev = world.child.id, evaluation.id
    return [
        ("GET", reverse("assessments:index", args=[child])),
        ("GET", reverse("assessments:evaluation", args=[child, ev])),
        ("GET", reverse("assessments:evaluation_pdf", args=[child, ev])),
        ("GET", reverse("assessments:new", args=[child])),
        ("POST", reverse("assessments:new", args=[child])),
        ("POST", reverse("assessments:edit", args=[child, ev])),
        ("POST", reverse("assessments:questionnaire", args=[child, ev, "parent_intake"])),
        ("POST", reverse("assessments:scores", args=[child, ev])),
        ("POST", reverse("assessments:milestones", args=[child, ev])),
        ("POST", reverse("assessments:growth_new", args=[child])),
    ]


def _operations(world: World, evaluation: Evaluation) -> list[tuple[str, str]]:
    base = f"/api/v1/children/{world.child.id}"
    return [
        ("GET", f"{base}/evaluations"),
        ("GET", f"{base}/evaluations/{evaluation.id}"),
        ("GET", f"{base}/scores"),
        ("GET", f"{base}/growth"),
        ("POST", f"{base}/evaluations"),
        ("PATCH", f"{base}/evaluations/{evaluation.id}"),
        ("POST", f"{base}/growth"),
    ]


@pytest.mark.parametrize("role", NEW_ROLES)
def test_front_desk_and_billing_find_no_assessment_page_nor_operation(
    world: World, client_as: ClientAs, role: str
) -> None:
    """They see every child of the clinic, yet no clinical assessment is there for them."""
    evaluation = make_evaluation(world.child, world.therapist)
    client = client_as(_member(world, role))
    for method, url in _pages(world, evaluation) + _operations(world, evaluation):
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 404, (role, method, url, response.status_code)


def test_a_consulting_therapist_reads_the_tab_but_finds_no_form_and_may_not_write(
    world: World, client_as: ClientAs
) -> None:
    evaluation = make_evaluation(world.child, world.therapist)
    client = client_as(world.consulting_therapist)
    assert client.get(reverse("assessments:index", args=[world.child.id])).status_code == 200
    summary = client.get(evaluation.get_absolute_url())
    assert summary.status_code == 200
    assert reverse("assessments:edit", args=[world.child.id, evaluation.id]) not in (
        summary.content.decode()
    )
    new = reverse("assessments:new", args=[world.child.id])
    assert client.get(new).status_code == 404
    assert client.post(new, {}).status_code == 403
    growth = reverse("assessments:growth_new", args=[world.child.id])
    assert client.post(growth, {}).status_code == 403


def test_a_guardian_reads_a_final_summary_not_a_draft_nor_the_tab(
    world: World, client_as: ClientAs
) -> None:
    final = make_evaluation(world.child, world.therapist)
    draft = make_evaluation(world.child, world.therapist, status="draft")
    client = client_as(world.guardian)
    assert client.get(final.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("assessments:index", args=[world.child.id])).status_code == 404


def test_who_may_do_what_to_a_child(world: World) -> None:
    child = world.child
    assert allows(world.therapist, "assessments.edit", child=child)
    assert allows(world.assistant, "assessments.growth_record", child=child)
    assert allows(world.consulting_therapist, "assessments.view", child=child)
    assert not allows(world.consulting_therapist, "assessments.edit", child=child)
    assert allows(world.guardian, "assessments.summary", child=child)
    assert not allows(world.guardian, "assessments.view", child=child)
    assert not allows(world.unassigned_therapist, "assessments.view", child=child)
    assert not allows(world.foreign_admin, "assessments.view", child=child)
    assert not allows(world.consented_collaborator, "assessments.summary", child=child)


def test_the_clinic_wide_scopes_follow_the_rules(world: World) -> None:
    """Across the caseload, no child in the URL: each member reads what the rules allow."""
    mine = make_evaluation(world.child, world.therapist)
    draft = make_evaluation(world.child, world.therapist, status="draft")
    theirs = make_evaluation(world.other_child, world.unassigned_therapist)
    foreign = make_evaluation(world.foreign_child, world.foreign_therapist)
    make_growth(world.child)
    make_growth(world.other_child)
    front_desk = _member(world, Role.FRONT_DESK)

    def seen(member: Membership) -> set[Evaluation]:
        return set(Evaluation.objects.visible_to(member))

    assert seen(world.admin) == {mine, draft, theirs}
    assert seen(world.therapist) == {mine, draft}
    assert seen(world.consulting_therapist) == {mine, draft}
    assert seen(world.guardian) == {mine}
    assert seen(world.other_guardian) == {theirs}
    assert seen(world.foreign_admin) == {foreign}
    assert seen(front_desk) == set()
    assert seen(world.consented_collaborator) == set()
    assert set(Evaluation.objects.visible_to(world.admin).for_child(world.child)) == {mine, draft}
    growth = GrowthMeasurement.objects
    assert growth.visible_to(world.admin).count() == 2
    assert [m.child for m in growth.visible_to(world.therapist)] == [world.child]
    assert not growth.visible_to(world.guardian).exists()
    assert not growth.visible_to(front_desk).exists()
