"""How a plateau, a regression, mastery and a projection are shown to staff and to families.

The trend rules themselves are tested end to end in test_trend_examples.py; here the
analysis is fixed so that each page's wording can be checked on its own.
"""

import datetime
from collections.abc import Sequence
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.children.models import Child
from tandem.conftest import World
from tandem.plans.models import Goal
from tandem.progress import analysis

from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20, 30, 40, 50], goal))
    return goal


def _fix(monkeypatch: pytest.MonkeyPatch, **flags: Any) -> None:
    def fixed(
        goal: Goal,
        values: Sequence[tuple[datetime.date, float]],
        *,
        today: datetime.date | None = None,
    ) -> analysis.GoalAnalysis:
        return analysis.GoalAnalysis(last_value=values[-1][1] if values else None, **flags)

    monkeypatch.setattr(analysis, "analyse", fixed)


def _page(client: Client, child: Child) -> str:
    return client.get(reverse("progress:index", args=[child.id])).content.decode()


@pytest.mark.parametrize(("flag", "word"), [("plateau", "plateau"), ("regression", "regression")])
def test_staff_see_review_this_goal(world, client_as, goal, monkeypatch, flag, word) -> None:
    _fix(monkeypatch, **{flag: True})
    body = _page(client_as(world.therapist), world.child)
    assert "Review this goal" in body and word in body
    assert f'href="#goal-{goal.id}"' in body  # listed under "Goals to review"


def test_guardian_sees_a_dip_explained_kindly(world, client_as, goal, monkeypatch) -> None:
    _fix(monkeypatch, regression=True)
    body = _page(client_as(world.guardian), world.child)
    assert "Review this goal" not in body
    assert "Progress is rarely a straight line" in body
    assert "It is a normal part of progress" in body
    assert "What the team will look at next" in body
    assert "regression" not in body.lower()


def test_guardian_sees_a_plateau_explained_kindly(world, client_as, goal, monkeypatch) -> None:
    _fix(monkeypatch, plateau=True)
    body = _page(client_as(world.guardian), world.child)
    assert "levelled off for now" in body
    assert "plateau" not in body.lower()


def test_mastery_is_celebrated_for_families(world, client_as, goal, monkeypatch) -> None:
    _fix(monkeypatch, mastered=True)
    assert "Goal reached!" in _page(client_as(world.guardian), world.child)
    assert "Mastery criterion met" in _page(client_as(world.therapist), world.child)


def test_the_projection_is_drawn_and_told(world, client_as, goal, monkeypatch) -> None:
    projected = datetime.date(2024, 3, 4)
    _fix(
        monkeypatch,
        slope=10.0,
        direction="improving",
        projected_date=projected,
        trend_line=((datetime.date(2024, 1, 8), 20.0), (datetime.date(2024, 1, 29), 50.0)),
    )
    staff = _page(client_as(world.therapist), world.child)
    assert "4 Mar 2024" in staff and "projected date" in staff and "trend" in staff
    family = _page(client_as(world.guardian), world.child)
    assert "moving in the right direction" in family
    assert "around March 2024" in family and "an estimate, not a promise" in family


def test_no_flags_no_review_list(world, client_as, goal) -> None:
    body = _page(client_as(world.therapist), world.child)
    assert "No goal shows a plateau or regression." in body
