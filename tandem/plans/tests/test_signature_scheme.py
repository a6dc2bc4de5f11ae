"""A plan signature keeps the hash scheme it was made with: a signature made before goals
had family wordings (scheme 1) still verifies after the wordings were filled in, a new one
(scheme 2) covers the wordings too, and a change to what was signed is evident under both."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tandem.plans import actions, signatures
from tandem.plans.models import Goal, PlanSignature
from tandem.plans.tests.helpers import first_goal, make_plan
from tandem.plans.wording import WORDING_FIELDS

pytestmark = pytest.mark.django_db


def _goals(plan):
    return list(Goal.objects.filter(plan=plan))


def _fill_in_place(goals, **values):
    """Change goals without a new version, as migration 0005 filled the wordings in (or
    as someone editing the database around the app would)."""
    for goal in goals:
        for name, value in values.items():
            setattr(goal, name, value)
    Goal._base_manager.bulk_update(goals, list(values))


def _sign(client, plan, guardian):
    response = client.post(
        reverse("plans:sign", args=[plan.child_id, plan.id]),
        {"typed_name": guardian.user.get_full_name(), "version": plan.version},
    )
    assert response.status_code == 302
    return PlanSignature.objects.get(plan=plan, plan_version=plan.version)


def test_a_signature_made_before_wordings_still_verifies_with_its_scheme(world):
    plan = make_plan(world.child, world.therapist, goals=2)
    goals = _goals(plan)
    _fill_in_place(goals, **dict.fromkeys(WORDING_FIELDS, ""))  # as goals were then
    old = PlanSignature.objects.create(
        organization=plan.organization,
        child=plan.child,
        plan=plan,
        plan_version=plan.version,
        guardian=world.guardian,
        typed_name=world.guardian.user.get_full_name(),
        content_hash=signatures.content_hash(plan, _goals(plan), 1),
        hash_scheme=1,
    )
    # Migration 0005 then drafted every goal's wordings, without a new plan version.
    _fill_in_place(_goals(plan), family_wording_en="Maya is learning to do buttons.")
    assert signatures.is_intact(old)
    assert signatures.content_hash(plan, _goals(plan), 2) != old.content_hash
    # A change to what the guardian signed still shows, under the old scheme too.
    _fill_in_place(_goals(plan)[:1], statement="Maya will button one button.")
    assert not signatures.is_intact(old)


def test_a_new_signature_covers_the_wordings(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=2)
    signature = _sign(client_as(world.guardian), plan, world.guardian)
    assert signature.hash_scheme == signatures.HASH_SCHEME == 2
    assert signature.content_hash == signatures.content_hash(plan, _goals(plan), 2)
    assert signatures.is_intact(signature)
    _fill_in_place(_goals(plan)[:1], family_wording_es="Otra cosa.")
    assert not signatures.is_intact(signature)


def test_a_signature_of_an_earlier_version_is_checked_against_the_history(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=2)
    signature = _sign(client_as(world.guardian), plan, world.guardian)
    goal = first_goal(plan)
    actions.set_goal_status(goal, expected_version=goal.version, status="met")
    plan.refresh_from_db()
    assert plan.version > signature.plan_version
    assert signatures.is_intact(signature)  # the version signed, rebuilt from its history
    signature.content_hash = "0" * 64
    assert not signatures.is_intact(signature)


def test_the_api_says_which_scheme_a_signature_was_made_with(world, client_as):
    plan = make_plan(world.child, world.therapist)
    _sign(client_as(world.guardian), plan, world.guardian)
    body = (
        client_as(world.therapist).get(f"/api/v1/children/{plan.child_id}/plans/{plan.id}").json()
    )
    assert [s["hash_scheme"] for s in body["signatures"]] == [2]


BEFORE = [("plans", "0005_existing_goals_family_wording")]
AFTER = [("plans", "0006_plansignature_hash_scheme")]


@pytest.mark.django_db(transaction=True)
def test_signatures_already_there_are_marked_scheme_1(world):
    plan = make_plan(world.child, world.therapist)
    goals = _goals(plan)  # read before the schema goes back (later goal columns are gone)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("plans", "PlanSignature")
    row = old.objects.create(
        organization_id=plan.organization_id,
        child_id=plan.child_id,
        plan_id=plan.id,
        plan_version=plan.version,
        guardian_id=world.guardian.id,
        typed_name="Signed before",
        content_hash=signatures.content_hash(plan, goals, 1),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("plans", "PlanSignature")
    assert new.objects.get(pk=row.pk).hash_scheme == 1
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert signatures.is_intact(PlanSignature.objects.get(pk=row.pk))
    assert PlanSignature(plan=plan).hash_scheme == 2  # and new ones use the new scheme
