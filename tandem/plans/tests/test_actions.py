"""The plan actions: versions, one active plan per discipline, hashes, rules shared with the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tandem.core.access import Conflict
from tandem.plans import actions, signatures
from tandem.plans.models import Goal, Plan, PlanStatus
from tandem.plans.tests.helpers import TODAY, first_goal, goal_fields, make_plan


def test_every_goal_change_bumps_the_plan_version(world):
    plan = make_plan(world.child, world.therapist, goals=0)
    v = plan.version
    goal = actions.add_goal(plan, **goal_fields())
    assert Plan.objects.get(pk=plan.pk).version == v + 1
    goal = actions.update_goal(goal, expected_version=goal.version, baseline="New baseline")
    assert Plan.objects.get(pk=plan.pk).version == v + 2
    actions.set_goal_status(goal, expected_version=goal.version, status="on_hold")
    assert Plan.objects.get(pk=plan.pk).version == v + 3
    assert Plan.objects.get(pk=plan.pk).history.count() == v + 3


def test_stale_goal_version_raises_conflict_and_changes_nothing(world):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    actions.update_goal(goal, expected_version=goal.version, baseline="First")
    with pytest.raises(Conflict) as exc:
        actions.update_goal(goal, expected_version=goal.version, baseline="Second")
    assert exc.value.current_version == goal.version + 1
    assert Goal.objects.get(pk=goal.pk).baseline == "First"


def test_the_database_refuses_two_active_plans_of_one_discipline(world):
    plan = make_plan(world.child, world.therapist)
    second = make_plan(world.child, world.therapist, status="draft")
    second.status = PlanStatus.ACTIVE
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE


def test_activation_closes_the_previous_plan_and_bumps_its_version(world):
    old = make_plan(world.child, world.therapist)
    new = make_plan(world.child, world.therapist, status="draft")
    actions.set_plan_status(new, expected_version=new.version, status="active")
    old_now = Plan.objects.get(pk=old.pk)
    assert old_now.status == PlanStatus.CLOSED and old_now.version == old.version + 1


def test_a_closed_plan_stays_closed_and_takes_no_goals(world):
    plan = make_plan(world.child, world.therapist, status="closed")
    with pytest.raises(ValidationError):
        actions.set_plan_status(plan, expected_version=plan.version, status="active")
    with pytest.raises(ValidationError):
        actions.add_goal(plan, **goal_fields())


def test_changing_an_active_plans_discipline_into_a_taken_one_is_refused(world):
    make_plan(world.child, world.therapist, discipline="slp")
    plan = make_plan(world.child, world.therapist)
    with pytest.raises(ValidationError) as exc:
        actions.update_plan(plan, expected_version=plan.version, discipline="slp")
    assert "discipline" in exc.value.message_dict


def test_goal_rules_collect_every_problem_at_once(world):
    plan = make_plan(world.child, world.therapist, goals=0)
    with pytest.raises(ValidationError) as exc:
        actions.add_goal(
            plan,
            **goal_fields(
                target_date=plan.start_date,
                mastery_value=None,
                gas_plus_2="",
                child_words="mine",
            ),
        )
    assert set(exc.value.message_dict) >= {
        "target_date",
        "mastery_value",
        "gas_plus_2",
        "child_words",
    }
    assert not Goal.objects.filter(plan=plan).exists()


def test_mastery_ranges_follow_the_measurement(world):
    plan = make_plan(world.child, world.therapist, goals=0)
    with pytest.raises(ValidationError):
        actions.add_goal(plan, **goal_fields(measurement_type="rating", mastery_value=6))
    actions.add_goal(plan, **goal_fields(measurement_type="rating", mastery_value=4))
    actions.add_goal(
        plan, **goal_fields(measurement_type="frequency", mastery_value=12, lower_is_better=True)
    )


def test_content_hash_changes_when_a_goal_changes(world):
    plan = make_plan(world.child, world.therapist)
    goals = list(Goal.objects.filter(plan=plan))
    before = signatures.content_hash(plan, goals)
    assert before == signatures.content_hash(plan, list(reversed(goals)))  # order is stable
    goal = actions.update_goal(goals[0], expected_version=goals[0].version, gas_0="Different")
    plan.refresh_from_db()
    assert signatures.content_hash(plan, [goal]) != before


def test_a_plan_is_overdue_after_its_review_date(world, client_as):
    from tandem.plans.reading import describe, plans_with_goals

    make_plan(
        world.child,
        world.therapist,
        start_date=TODAY - datetime.timedelta(days=100),
        review_date=TODAY - datetime.timedelta(days=1),
    )
    plan = plans_with_goals(world.therapist, world.child).get()
    assert describe(plan, world.therapist, TODAY).is_overdue
    assert not describe(plan, world.therapist, TODAY - datetime.timedelta(days=2)).is_overdue
