"""The plan's GAS T-score over time, end to end through the API.

Published values: gasr R package README (taylordunn/gasr), Kiresuk-Sherman formula
as corrected in Turner-Stokes 2009, Clin Rehabil 23:362 — unweighted, rho = 0.3
(/work/shared/reference/gas_tscore_published.json):
  levels 2, 2, 2        → 77.38613
  levels 1, 0, 2        → 63.69306
  levels 2, 1, 0, -2, 1 → 56.03023
"""

import datetime

import pytest
from django.test import Client

from tandem.children.models import Child

from .helpers import START, make_goal, make_plan, record_sessions

pytestmark = pytest.mark.django_db

PUBLISHED = [
    ([2, 2, 2], 77.38613),
    ([1, 0, 2], 63.69306),
    ([2, 1, 0, -2, 1], 56.03023),
]


def _tscores(client: Client, child: Child) -> list[tuple[str, float]]:
    body = client.get(f"/api/v1/children/{child.id}/progress").json()
    return [(p["date"], p["t_score"]) for p in body["plans"][0]["t_scores"]]


def _day(n: int) -> datetime.date:
    return START + datetime.timedelta(weeks=n)


@pytest.mark.parametrize(("levels", "published"), PUBLISHED)
def test_tscore_matches_the_published_values(world, client_as, levels, published) -> None:
    plan = make_plan(world.child, world.therapist)
    goals = [make_goal(plan, statement=f"Goal {i}", position=i) for i in range(len(levels))]
    record_sessions(
        world.therapist,
        world.child,
        [(_day(1), {g: (None, level) for g, level in zip(goals, levels, strict=True)})],
    )
    scores = _tscores(client_as(world.therapist), world.child)
    assert scores[-1] == (_day(1).isoformat(), pytest.approx(published, abs=1e-5))


def test_tscore_over_time_uses_each_goals_latest_level_and_baseline_before_data(
    world, client_as
) -> None:
    plan = make_plan(world.child, world.therapist)
    a, b, c = (make_goal(plan, statement=f"Goal {i}", position=i) for i in range(3))
    record_sessions(
        world.therapist,
        world.child,
        [
            (_day(1), {a: (10.0, 1)}),  # b and c still at baseline -2
            (_day(2), {b: (20.0, 0), c: (30.0, 2)}),  # a keeps its +1 → 1, 0, 2
            (_day(3), {a: (40.0, None)}),  # no GAS level: nothing changes
            (_day(4), {a: (50.0, 2), b: (60.0, 2)}),  # → 2, 2, 2
        ],
    )
    scores = _tscores(client_as(world.guardian), world.child)
    assert [d for d, _t in scores] == [START.isoformat()] + [_day(n).isoformat() for n in (1, 2, 4)]
    # -2, -2, -2 → 50 + 10*(-6)/sqrt4.8; 1, -2, -2 → 50 + 10*(-3)/sqrt4.8 (hand-worked).
    assert scores[0][1] == pytest.approx(22.61387, abs=1e-5)
    assert scores[1][1] == pytest.approx(36.30694, abs=1e-5)
    assert scores[2][1] == pytest.approx(63.69306, abs=1e-5)
    assert scores[3][1] == pytest.approx(77.38613, abs=1e-5)


def test_tscore_uses_goal_weights(world, client_as) -> None:
    plan = make_plan(world.child, world.therapist)
    a = make_goal(plan, statement="A", gas_weight=2, position=0)
    b = make_goal(plan, statement="B", position=1)
    c = make_goal(plan, statement="C", position=2)
    record_sessions(
        world.therapist, world.child, [(_day(1), {a: (None, 1), b: (None, 0), c: (None, -1)})]
    )
    # sum(wx) = 2*1 + 0 - 1 = 1; sqrt(0.7*6 + 0.3*16) = 3 → T = 50 + 10/3.
    assert _tscores(client_as(world.therapist), world.child)[-1][1] == pytest.approx(
        53.33333, abs=1e-5
    )


def test_tscore_counts_a_goal_at_its_own_baseline(world, client_as) -> None:
    plan = make_plan(world.child, world.therapist)
    make_goal(plan, statement="A", gas_baseline=-1)
    make_goal(plan, statement="B", gas_baseline=-1)
    make_goal(plan, statement="C", gas_baseline=-1)
    # -1, -1, -1 → 50 - 30/sqrt4.8
    assert _tscores(client_as(world.therapist), world.child) == [
        (START.isoformat(), pytest.approx(36.30694, abs=1e-5))
    ]


def test_the_tscore_chart_is_on_the_progress_tab(world, client_as) -> None:
    plan = make_plan(world.child, world.therapist)
    goals = [make_goal(plan, statement=f"Goal {i}", position=i) for i in range(3)]
    record_sessions(world.therapist, world.child, [(_day(1), {g: (None, 2) for g in goals})])
    body = client_as(world.therapist).get(f"/children/{world.child.id}/progress/").content.decode()
    assert "latest 77.4" in body
    assert "<td>15 Jan 2024</td><td>77.4</td>" in body
