# ruff: noqa: RUF002
"""Three T-scores side by side: the computation, against published and hand-worked values.

The T-score is Kiresuk & Sherman's (Kiresuk TJ, Sherman RE. Goal attainment scaling: a
general method for evaluating comprehensive community mental health programs. Community
Ment Health J 1968;4:443–453), with ρ = 0.3 and the denominator as corrected by
Turner-Stokes (Clin Rehabil 2009;23:362), computed by ``tandem.plans.gas`` (never copied
here). Published values: the gasr package README, as in tandem/plans/tests/test_gas.py.
"""

import datetime
import math
import uuid
from types import SimpleNamespace

import pytest

from tandem.plans.gas import t_score
from tandem.ratings.scores import minimum_rated, rater_tscore, side_by_side

D = datetime.date


def goals(*weights: int, status: str = "active") -> list[SimpleNamespace]:
    return [SimpleNamespace(id=uuid.uuid4(), gas_weight=w, status=status) for w in weights]


def test_three_goals_as_hoped_score_fifty() -> None:
    three = goals(1, 1, 1)
    score, rated = rater_tscore(three, {g.id: 0 for g in three})
    assert (score, rated) == (50, 3)


def test_three_goals_a_bit_more_than_hoped_by_hand() -> None:
    # Σwx = 3; sqrt(0.7·3 + 0.3·3²) = sqrt(4.8) = 2.19089 → T = 50 + 30 / 2.19089 = 63.69306,
    # the published value of levels (1, 0, 2) (the same sum).
    three = goals(1, 1, 1)
    score, _ = rater_tscore(three, {g.id: 1 for g in three})
    assert score == pytest.approx(63.69306, abs=1e-5)
    assert score == pytest.approx(50 + 30 / math.sqrt(4.8))


@pytest.mark.parametrize(
    ("levels", "published"),
    [([2, 2, 2], 77.38613), ([1, 0, 2], 63.69306), ([2, 1, 0, -2, 1], 56.03023)],
)
def test_family_scores_match_the_published_values(levels, published) -> None:
    scored = goals(*[1] * len(levels))
    score, _ = rater_tscore(scored, {g.id: x for g, x in zip(scored, levels, strict=True)})
    assert score == pytest.approx(published, abs=1e-5)


def test_weights_come_from_the_goals() -> None:
    # Weights 2 and 1 at +2 and −1: Σwx = 3; sqrt(0.7·5 + 0.3·9) = sqrt(6.2) → 62.04837.
    two = goals(2, 1)
    score, _ = rater_tscore(two, {two[0].id: 2, two[1].id: -1})
    assert score == pytest.approx(50 + 30 / math.sqrt(6.2))
    assert score == pytest.approx(t_score([2, -1], [2, 1]))


@pytest.mark.parametrize(("count", "needed"), [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3)])
def test_a_score_needs_half_the_goals_rated(count, needed) -> None:
    assert minimum_rated(count) == needed
    scored = goals(*[1] * count)
    too_few = {g.id: 1 for g in scored[: needed - 1]}
    assert rater_tscore(scored, too_few) == (None, needed - 1)
    enough = {g.id: 0 for g in scored[:needed]}
    assert rater_tscore(scored, enough) == (50, needed)


def test_months_side_by_side_latest_rating_per_goal() -> None:
    a, b, c = goals(1, 1, 1)
    therapist = [(D(2026, 1, 1), 40.0), (D(2026, 2, 10), 45.0), (D(2026, 3, 20), 55.0)]
    ratings = [
        (a.id, "family", D(2026, 1, 15), -1),
        (a.id, "child", D(2026, 1, 16), 2),
        (b.id, "family", D(2026, 2, 3), 0),
        (c.id, "family", D(2026, 3, 5), 1),
        (a.id, "family", D(2026, 3, 6), 1),  # replaces January's −1 from March on
    ]
    table = side_by_side([a, b, c], therapist, ratings, end=D(2026, 3, 31))
    assert [row.month for row in table] == [D(2026, 3, 1), D(2026, 2, 1), D(2026, 1, 1)]
    march, february, january = table
    # January: one family rating of three goals (fewer than 2): no family score.
    assert (january.therapist, january.family, january.family_rated) == (40.0, None, 1)
    # The child rated one goal of three: too few too.
    assert (january.child, january.child_rated) == (None, 1)
    # February: a at −1, b at 0 → two of three rated: T of (−1, 0).
    assert february.therapist == 45.0
    assert february.family == pytest.approx(t_score([-1, 0]))
    assert february.family_rated == 2
    # March: a at +1 (its latest), b 0, c +1.
    assert march.therapist == 55.0
    assert march.family == pytest.approx(t_score([1, 0, 1]))
    assert (march.family_rated, march.goals) == (3, 3)


def test_discontinued_goals_and_other_goals_are_left_out() -> None:
    a, b = goals(1, 1)
    (dropped,) = goals(1, status="discontinued")
    stranger = uuid.uuid4()
    ratings = [
        (a.id, "family", D(2026, 5, 2), 2),
        (dropped.id, "family", D(2026, 5, 2), -2),
        (stranger, "family", D(2026, 5, 2), -2),
    ]
    (row,) = side_by_side([a, b, dropped], [], ratings, end=D(2026, 5, 20))
    assert (row.family, row.family_rated, row.goals) == (70.0, 1, 2)
    assert row.therapist is None


def test_no_ratings_no_table_and_a_period_starts_its_months() -> None:
    a, b = goals(1, 1)
    assert side_by_side([a, b], [(D(2026, 1, 1), 50.0)], [], end=D(2026, 6, 1)) == []
    ratings = [(a.id, "family", D(2025, 1, 5), 0), (b.id, "family", D(2026, 6, 1), 1)]
    table = side_by_side([a, b], [], ratings, end=D(2026, 6, 15), start=D(2026, 5, 10))
    assert [row.month for row in table] == [D(2026, 6, 1), D(2026, 5, 1)]
    # Ratings after the end do not count; earlier ones still stand.
    (row,) = side_by_side([a, b], [], ratings, end=D(2025, 1, 31))
    assert (row.family, row.family_rated) == (50.0, 1)


def test_at_most_twelve_months() -> None:
    (a,) = goals(1)
    table = side_by_side([a], [], [(a.id, "child", D(2020, 1, 1), 0)], end=D(2026, 6, 1))
    assert len(table) == 12
    assert table[0].month == D(2026, 6, 1)
    assert table[-1].child == 50.0
