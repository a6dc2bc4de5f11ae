"""The side-by-side table from the database: the therapist's T-score from signed sessions
(the Progress tab's own computation), the family's and the child's from their ratings."""

import datetime

import pytest

from tandem.core.testing.factories import clinic_today
from tandem.plans.gas import t_score
from tandem.progress.tests.helpers import record_sessions
from tandem.ratings.scores import side_by_side_for

from .helpers import plan_with_goals, rate_on

pytestmark = pytest.mark.django_db


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def test_three_raters_side_by_side(world):
    today = clinic_today()
    a, b, c = plan_with_goals(world.child, world.therapist, count=3)
    session = today.replace(day=1)
    # The therapist: a at +1, b at 0, c not scored yet (its baseline −1 counts).
    record_sessions(world.therapist, world.child, [(session, {a: (None, 1), b: (None, 0)})])
    rate_on(world.guardian, a, 1, session)
    rate_on(world.guardian, b, 1, session)
    rate_on(world.guardian, c, 1, session)
    rate_on(world.guardian, a, 2, session, rater="child")  # one of three: too few
    table = side_by_side_for(world.therapist, world.child, [a, b, c], end=today)
    (row,) = table
    assert row.month == month_of(today)
    assert row.therapist == pytest.approx(t_score([1, 0, -1]))
    assert row.family == pytest.approx(63.69306, abs=1e-5)  # +1, +1, +1 (see test_scores)
    assert (row.family_rated, row.child, row.child_rated) == (3, None, 1)
    # The guardian reads the same table.
    assert side_by_side_for(world.guardian, world.child, [a, b, c], end=today) == table


def test_draft_sessions_do_not_count_and_others_read_nothing(world):
    today = clinic_today()
    a, b = plan_with_goals(world.child, world.therapist, count=2)
    record_sessions(world.therapist, world.child, [(today, {a: (None, 2)})], status="draft")
    rate_on(world.guardian, a, 0, today)
    (row,) = side_by_side_for(world.therapist, world.child, [a, b], end=today)
    assert row.therapist == pytest.approx(t_score([-1, -1]))  # both at baseline
    assert row.family == 50
    # Collaborators and the office read no ratings: no table.
    for persona in ("consented_collaborator", "front_desk", "billing"):
        member = getattr(world, persona)
        assert side_by_side_for(member, world.child, [a, b], end=today) == []


def test_query_count_is_flat_with_more_ratings(world, django_assert_max_num_queries):
    today = clinic_today()
    goals = plan_with_goals(world.child, world.therapist, count=4)
    for days in range(60):
        for goal in goals:
            rate_on(world.guardian, goal, days % 5 - 2, today - datetime.timedelta(days=days))
    with django_assert_max_num_queries(2):  # signed goal data, ratings
        table = side_by_side_for(world.therapist, world.child, goals, end=today)
    assert table[0].family_rated == 4
