"""The Progress tab: one chart per goal, the T-score chart, review badges, the family register."""

import pytest
from django.urls import reverse

from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.conftest import World
from tandem.plans.models import Goal

from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db


def _url(child: Child) -> str:
    return reverse("progress:index", args=[child.id])


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(
        world.therapist, world.child, weekly([20, 30, 40, 50], goal, levels=[-2, -1, -1, 0])
    )
    return goal


def test_therapist_sees_one_chart_per_goal_and_the_tscore_chart(world, client_as, goal) -> None:
    response = client_as(world.therapist).get(_url(world.child))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="chart-narrow"') == body.count('class="chart-wide"') == 2
    assert goal.statement in body
    assert "GAS T-score over time" in body
    assert 'aria-current="page"' in body


def test_the_page_offers_the_data_as_a_table(world, client_as, goal) -> None:
    body = client_as(world.therapist).get(_url(world.child)).content.decode()
    assert "Show the latest sessions as a table" in body
    assert "<td>15 Jan 2024</td><td>30</td><td>-1</td>" in body
    # Four sessions: all in the table, newest first, and no link to more.
    assert body.index("<td>22 Jan 2024</td>") < body.index("<td>15 Jan 2024</td>")
    assert reverse("progress:goal_sessions", args=[world.child.id, goal.id]) not in body


def test_a_long_series_shows_the_latest_sessions_and_pages_through_the_rest(
    world, client_as
) -> None:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly(list(range(60)), goal))
    body = client_as(world.therapist).get(_url(world.child)).content.decode()
    sessions = reverse("progress:goal_sessions", args=[world.child.id, goal.id])
    assert "All 60 sessions" in body and sessions in body
    assert body.count("<td>59</td>") == 1 and "<td>49</td>" not in body  # the latest ten
    guardian = client_as(world.guardian)
    first = guardian.get(sessions).content.decode()
    assert "60 sessions with data, newest first" in first
    assert "Page 1 of 2" in first and first.count("<tr><td>") == 50
    assert first.index("<td>59</td>") < first.index("<td>10</td>")
    second = guardian.get(sessions, {"page": 2}).content.decode()
    assert second.count("<tr><td>") == 10 and "<td>0</td>" in second
    assert AccessLog.objects.filter(child=world.child, route="progress:goal_sessions").exists()


def test_the_sessions_of_a_goal_are_404_for_another_childs_goal(world, client_as) -> None:
    other = make_goal(make_plan(world.other_child, world.unassigned_therapist))
    url = reverse("progress:goal_sessions", args=[world.child.id, other.id])
    assert client_as(world.admin).get(url).status_code == 404


def test_opening_the_tab_is_logged(world, client_as, goal) -> None:
    client_as(world.guardian).get(_url(world.child))
    assert AccessLog.objects.filter(child=world.child, route="progress:index").count() == 1


def test_a_child_without_a_plan_gets_a_kind_empty_page(world, client_as) -> None:
    body = client_as(world.guardian).get(_url(world.child)).content.decode()
    assert "There is no plan yet" in body


def test_guardian_of_another_family_gets_404(world, client_as, goal) -> None:
    assert client_as(world.other_guardian).get(_url(world.child)).status_code == 404


def test_foreign_therapist_gets_404(world, client_as, goal) -> None:
    assert client_as(world.foreign_therapist).get(_url(world.child)).status_code == 404


def test_drafts_are_not_data(world, client_as, goal) -> None:
    record_sessions(
        world.therapist,
        world.child,
        weekly([99], goal, start=goal.plan.start_date.replace(month=6)),
        status="draft",
    )
    body = client_as(world.therapist).get(_url(world.child)).content.decode()
    assert "<td>99</td>" not in body
