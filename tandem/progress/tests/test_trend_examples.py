"""Hand-worked trend and flag examples, end to end: signed session data in, flag shown out.

Each series is extreme enough that the rules in tandem.progress.trends decide it one
way (see that module's docstring); the pages and the API must then show the result.
"""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.children.models import Child
from tandem.plans.models import Goal

from .helpers import START, make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db


def _goal_api(client: Client, goal: Goal) -> dict[str, Any]:
    return client.get(f"/api/v1/children/{goal.child_id}/goals/{goal.id}/progress").json()


def _page(client: Client, child: Child) -> str:
    return client.get(reverse("progress:index", args=[child.id])).content.decode()


def test_a_perfect_line_gives_its_slope_and_projected_date(world, client_as) -> None:
    goal = make_goal(make_plan(world.child, world.therapist), mastery_value=80.0)
    # 20, 30, 40, 50 a week apart: +10 a week, so 80 is reached 3 weeks after the
    # last session (29 Jan 2024) -> 19 Feb 2024.
    record_sessions(world.therapist, world.child, weekly([20, 30, 40, 50], goal))
    body = _goal_api(client_as(world.therapist), goal)
    assert body["slope_per_week"] == pytest.approx(10.0)
    assert body["projected_date"] == "2024-02-19"
    assert body["mastered"] is False
    assert not body["plateau"] and not body["regression"]
    assert "19 Feb 2024" in _page(client_as(world.therapist), world.child)


def test_mastery_needs_the_value_held_for_the_sessions_asked(world, client_as) -> None:
    goal = make_goal(
        make_plan(world.child, world.therapist), mastery_value=80.0, mastery_sessions=3
    )
    record_sessions(world.therapist, world.child, weekly([60, 70, 80, 85], goal))
    assert _goal_api(client_as(world.therapist), goal)["mastered"] is False  # two in a row
    record_sessions(
        world.therapist, world.child, weekly([90], goal, start=START + datetime.timedelta(weeks=4))
    )
    assert _goal_api(client_as(world.therapist), goal)["mastered"] is True  # 80, 85, 90
    assert "Goal reached!" in _page(client_as(world.guardian), world.child)


def test_lower_is_better_counts_mastery_downwards(world, client_as) -> None:
    goal = make_goal(
        make_plan(world.child, world.therapist),
        measurement_type="frequency",
        mastery_value=2.0,
        mastery_sessions=2,
        lower_is_better=True,
    )
    record_sessions(world.therapist, world.child, weekly([6, 4, 2, 1], goal))
    body = _goal_api(client_as(world.therapist), goal)
    assert body["mastered"] is True
    assert body["slope_per_week"] < 0


def test_a_flat_series_is_a_plateau_shown_as_review_this_goal(world, client_as) -> None:
    goal = make_goal(make_plan(world.child, world.therapist), mastery_value=80.0)
    record_sessions(world.therapist, world.child, weekly([50] * 10, goal))
    body = _goal_api(client_as(world.therapist), goal)
    assert body["plateau"] is True and body["regression"] is False
    assert body["slope_per_week"] == pytest.approx(0.0)
    assert body["projected_date"] is None
    assert "Review this goal" in _page(client_as(world.therapist), world.child)
    assert "levelled off for now" in _page(client_as(world.guardian), world.child)


def test_a_steady_fall_is_a_regression_explained_kindly_to_families(world, client_as) -> None:
    goal = make_goal(make_plan(world.child, world.therapist), mastery_value=80.0)
    record_sessions(world.therapist, world.child, weekly([70, 75, 70, 60, 50, 40, 30, 20], goal))
    body = _goal_api(client_as(world.therapist), goal)
    assert body["regression"] is True
    assert body["slope_per_week"] < 0
    staff = _page(client_as(world.therapist), world.child)
    assert "Review this goal" in staff and "regression" in staff
    family = _page(client_as(world.guardian), world.child)
    assert "Progress is rarely a straight line" in family
    assert "regression" not in family.lower()
