"""Home practice shows on the goal's progress chart beside the session data."""

import datetime

from django.urls import reverse

from tandem.homeprogram.models import week_start
from tandem.homeprogram.reading import practice_by_goal
from tandem.progress import charts
from tandem.progress.tests.helpers import record_sessions

from .helpers import goal_of, log, make_activity, today


def test_practice_is_counted_per_goal_per_week(world):
    goal = goal_of(world.child, world.therapist)
    other = make_activity(world.child, world.therapist, title="Unlinked", goals=[])
    activity = make_activity(world.child, world.therapist, goals=[goal])
    monday = week_start(today())
    log(activity, world.guardian, outcome="done", date=monday)
    log(activity, world.guardian, outcome="partly", date=monday)
    log(activity, world.guardian, outcome="not_today", date=monday)
    log(activity, world.guardian, date=monday - datetime.timedelta(days=7))
    log(other, world.guardian, date=monday)
    weeks = practice_by_goal(world.therapist, world.child)
    assert weeks == {goal.id: [(monday - datetime.timedelta(days=7), 1), (monday, 2)]}


def test_marks_are_bars_on_the_time_axis():
    monday = datetime.date(2024, 3, 4)
    chart = charts.build(
        [(monday, 40.0), (monday + datetime.timedelta(days=21), 60.0)],
        marks=[(monday, 2), (monday + datetime.timedelta(days=14), 4)],
        fixed=(0.0, 100.0),
    )
    small, tall = chart.marks
    assert tall.height == (chart.bottom - chart.top) / 4
    assert small.height == tall.height / 2
    assert small.y + small.height == chart.bottom
    assert small.x == chart.left and "practised at home 2 times" in small.label


def test_home_practice_alone_still_draws_its_bars():
    chart = charts.build([], marks=[(datetime.date(2024, 3, 4), 1)])
    assert len(chart.marks) == 1 and not chart.dots


def test_progress_tab_shows_home_practice_beside_sessions(world, client_as):
    goal = goal_of(world.child, world.therapist)
    start = today() - datetime.timedelta(weeks=3)
    record_sessions(
        world.therapist,
        world.child,
        [(start + datetime.timedelta(weeks=i), {goal: (30.0 + 10 * i, None)}) for i in range(3)],
    )
    activity = make_activity(world.child, world.therapist, goals=[goal])
    log(activity, world.guardian, date=today() - datetime.timedelta(days=7))
    for member in (world.guardian, world.therapist):
        body = client_as(member).get(reverse("progress:index", args=[world.child.id]))
        text = body.content.decode()
        assert "practised at home 1 time" in text
        assert "practice at home (bar height: times that week; 1 week)" in text


def test_the_session_series_reads_only_the_goals_asked_for(world, django_assert_max_num_queries):
    """The today page and the family home analyse their active goals: the readings of
    the child's other goals (closed plans carry years of them) are not read (issue 16)."""
    from tandem.homeprogram.reading import session_series
    from tandem.progress.tests.helpers import make_goal

    goal = goal_of(world.child, world.therapist)
    other = make_goal(goal.plan)
    start = today() - datetime.timedelta(weeks=3)
    record_sessions(
        world.therapist,
        world.child,
        [
            (start + datetime.timedelta(weeks=i), {goal: (10.0 * i, None), other: (5.0, None)})
            for i in range(3)
        ],
    )
    with django_assert_max_num_queries(1):
        asked = session_series(world.therapist, [world.child.id], [goal])
    assert set(asked) == {goal.id} and [v for _d, v in asked[goal.id]] == [0.0, 10.0, 20.0]
    both = session_series(world.therapist, [world.child.id], [goal, other])
    assert set(both) == {goal.id, other.id}
