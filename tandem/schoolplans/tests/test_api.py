"""The school-plans API as its callers use it: an editor enters a plan and its goals (a
retried write counts once), families and teachers read the clinic goals in plain words,
bad input is a JSON 4xx."""

import pytest

from tandem.conftest import World
from tandem.plans.tests.helpers import make_plan
from tandem.schoolplans.models import SchoolGoal, SchoolPlan

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def path(world: World, tail: str = "") -> str:
    return f"/api/v1/children/{world.child.pk}/school-plans{tail}"


PLAN = {"kind": "ifsp", "provider": "County Early Intervention", "start_date": "2026-06-01"}


def test_editor_enters_a_plan_and_a_linked_goal_once(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    clinic = make_plan(world.child, world.therapist).goals.get()
    client = client_as(world.therapist)
    key = {"HTTP_IDEMPOTENCY_KEY": "api-school-plan-0001"}
    first = client.post(path(world), PLAN, content_type="application/json", **key)
    again = client.post(path(world), PLAN, content_type="application/json", **key)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert SchoolPlan.objects.count() == 1
    body = first.json()
    assert body["review_due"] == "2026-12-01"  # an IFSP: six months (34 CFR 303.342(b))
    goal = {"statement": "Dev will ask for help with words.", "clinic_goal_ids": [str(clinic.pk)]}
    answer = client.post(path(world, f"/{body['id']}/goals"), goal, content_type="application/json")
    assert answer.status_code == 201
    linked = answer.json()["goals"][0]["clinic_goals"]
    assert linked == [{"goal_id": str(clinic.pk), "wording": clinic.statement}]


def test_bad_input_is_a_json_4xx_and_nothing_is_written(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    others = make_plan(world.other_child, world.unassigned_therapist).goals.get()
    client = client_as(world.therapist)
    for payload in (
        {**PLAN, "kind": "ifs"},
        {**PLAN, "start_date": "2020-02-31"},
        {**PLAN, "review_due": "2026-01-01"},
        {**PLAN, "provider": ""},
        {**PLAN, "colour": "red"},
    ):
        answer = client.post(path(world), payload, content_type="application/json")
        assert answer.status_code in (400, 422), payload
        assert answer.json()  # a JSON body saying what is wrong
    assert not SchoolPlan.objects.exists()
    plan = client.post(path(world), PLAN, content_type="application/json").json()
    forged = {"statement": "Reads.", "clinic_goal_ids": [str(others.pk)]}
    answer = client.post(
        path(world, f"/{plan['id']}/goals"), forged, content_type="application/json"
    )
    assert answer.status_code == 422
    assert not SchoolGoal.objects.exists()


def test_family_reads_linked_goals_in_family_words(world: World, client_as) -> None:  # type: ignore[no-untyped-def]
    clinic = make_plan(world.child, world.therapist).goals.get()
    clinic.family_wording_en = "Maya buttons her coat by herself."
    clinic.save()
    editor = client_as(world.therapist)
    plan = editor.post(path(world), PLAN, content_type="application/json").json()
    goal = {"statement": "Dresses for recess.", "clinic_goal_ids": [str(clinic.pk)]}
    editor.post(path(world, f"/{plan['id']}/goals"), goal, content_type="application/json")
    for reader in (world.guardian, world.consented_collaborator):
        body = client_as(reader).get(path(world)).json()
        wording = body["plans"][0]["goals"][0]["clinic_goals"][0]["wording"]
        assert wording == "Maya buttons her coat by herself."
        assert clinic.statement[:30] not in str(body)
    assert (
        client_as(world.guardian)
        .post(path(world), PLAN, content_type="application/json")
        .status_code
        == 403
    )
