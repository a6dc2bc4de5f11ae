"""GET /children/{child_id}/goals/{goal_id}/progress and GET /children/{child_id}/progress."""

import uuid

import pytest
from django.test import Client

from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.conftest import World
from tandem.plans.models import Goal

from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20, 30, 40], goal, levels=[-2, -1, 0]))
    return goal


def _goal_url(child: Child, goal: Goal) -> str:
    return f"/api/v1/children/{child.id}/goals/{goal.id}/progress"


def test_goal_progress_returns_the_signed_series(world, client_as, goal) -> None:
    record_sessions(world.therapist, world.child, weekly([99], goal), status="draft")
    body = client_as(world.guardian).get(_goal_url(world.child, goal)).json()
    assert [(r["date"], r["value"], r["gas_level"]) for r in body["series"]] == [
        ("2024-01-08", 20.0, -2),
        ("2024-01-15", 30.0, -1),
        ("2024-01-22", 40.0, 0),
    ]
    assert body["goal_id"] == str(goal.id)
    assert body["latest_gas_level"] == 0
    assert set(body) >= {
        "slope_per_week",
        "mastered",
        "plateau",
        "regression",
        "projected_date",
        "needs_review",
    }


def test_child_progress_lists_plans_goals_and_tscores(world, client_as, goal) -> None:
    body = client_as(world.therapist).get(f"/api/v1/children/{world.child.id}/progress").json()
    (plan,) = body["plans"]
    assert plan["plan_id"] == str(goal.plan_id)
    assert [g["goal_id"] for g in plan["goals"]] == [str(goal.id)]
    # The first session falls on the plan's start date, so it replaces the baseline point.
    assert [t["t_score"] for t in plan["t_scores"]] == [30.0, 40.0, 50.0]


def test_api_reads_are_logged(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    client.get(_goal_url(world.child, goal))
    client.get(f"/api/v1/children/{world.child.id}/progress")
    assert AccessLog.objects.filter(child=world.child, user=world.therapist.user).count() == 2


def test_a_goal_of_another_child_is_404(world, client_as, goal) -> None:
    other = make_goal(make_plan(world.sibling, world.therapist))
    client = client_as(world.therapist)  # sees both children
    response = client.get(_goal_url(world.child, other))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_goal_is_404(world, client_as, goal) -> None:
    response = client_as(world.admin).get(
        f"/api/v1/children/{world.child.id}/goals/{uuid.uuid4()}/progress"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona", ["other_guardian", "foreign_admin", "foreign_therapist", "collaborator"]
)
def test_outsiders_get_404(world, client_as, goal, persona) -> None:
    client = client_as(getattr(world, persona))
    assert client.get(_goal_url(world.child, goal)).status_code == 404
    assert client.get(f"/api/v1/children/{world.child.id}/progress").status_code == 404


def test_signed_out_callers_get_401(world, goal) -> None:
    assert Client().get(_goal_url(world.child, goal)).status_code == 401
    assert Client().get(f"/api/v1/children/{world.child.id}/progress").status_code == 401


def test_a_malformed_id_is_a_client_error(world, client_as, goal) -> None:
    response = client_as(world.therapist).get(
        f"/api/v1/children/{world.child.id}/goals/nope/progress"
    )
    assert 400 <= response.status_code < 500
