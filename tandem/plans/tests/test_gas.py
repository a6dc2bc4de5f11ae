"""The GAS T-score (Kiresuk & Sherman 1968), rho = 0.3.

Published values: the gasr R package README (github.com/taylordunn/gasr), which
uses the Kiresuk–Sherman formula as corrected in Turner-Stokes L., "Goal attainment
scaling (GAS) in rehabilitation: a practical guide", Clin Rehabil 2009;23:362–370.
Copied from /work/shared/reference/gas_tscore_published.json (unweighted goals).
"""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tandem.plans.gas import t_score

PUBLISHED = [
    ([2, 2, 2], 77.38613),
    ([1, 0, 2], 63.69306),
    ([2, 1, 0, -2, 1], 56.03023),
]

levels_st = st.lists(st.integers(-2, 2), min_size=1, max_size=12)


def weighted_goals() -> st.SearchStrategy:
    return st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-2, 2), min_size=n, max_size=n),
            st.lists(st.integers(1, 10), min_size=n, max_size=n),
        )
    )


@pytest.mark.parametrize(("levels", "published"), PUBLISHED)
def test_it_matches_the_published_values(levels, published) -> None:
    assert t_score(levels) == pytest.approx(published, abs=1e-5)
    assert t_score(levels, [1] * len(levels)) == pytest.approx(published, abs=1e-5)


def test_goals_met_as_expected_score_fifty() -> None:
    assert t_score([0]) == 50
    assert t_score([0, 0, 0, 0], [3, 1, 2, 5]) == 50


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        # All at +2, equal weights: T = 50 + 10·2n / sqrt(0.7n + 0.3n²).
        (1, 70.0),  # 50 + 20 / sqrt(1)
        (2, 50 + 40 / math.sqrt(2.6)),  # sqrt(1.4 + 1.2) = 1.61245 → 74.80695
        (3, 50 + 60 / math.sqrt(4.8)),  # sqrt(2.1 + 2.7) = 2.19089 → 77.38613
        (4, 50 + 80 / math.sqrt(7.6)),  # sqrt(2.8 + 4.8) = 2.75681 → 79.01905
    ],
)
def test_all_goals_much_better_than_expected(n, expected) -> None:
    assert t_score([2] * n) == pytest.approx(expected)
    assert t_score([2] * n, [4] * n) == pytest.approx(expected)  # equal weights change nothing


def test_the_usual_baseline_of_three_goals() -> None:
    # −2, −2, −2: 50 − 60 / sqrt(4.8) = 50 − 27.38613
    assert t_score([-2, -2, -2]) == pytest.approx(22.61387, abs=1e-5)


def test_weights_count_a_goal_more() -> None:
    # Unweighted 1, 0, −1: Σx = 0 → 50.
    assert t_score([1, 0, -1]) == 50
    # Weights 2, 1, 1: Σwx = 2 + 0 − 1 = 1; Σw² = 6, (Σw)² = 16;
    # sqrt(0.7·6 + 0.3·16) = sqrt(9) = 3 → T = 50 + 10/3.
    assert t_score([1, 0, -1], [2, 1, 1]) == pytest.approx(53.33333, abs=1e-5)
    # Weights 1, 1, 2 favour the goal at −1: Σwx = 1 − 2 = −1 → T = 50 − 10/3.
    assert t_score([1, 0, -1], [1, 1, 2]) == pytest.approx(46.66667, abs=1e-5)


def test_one_goal_moves_ten_points_a_level_whatever_its_weight() -> None:
    for level in range(-2, 3):
        assert t_score([level], [7]) == pytest.approx(50 + 10 * level)


@pytest.mark.parametrize(
    ("levels", "weights", "message"),
    [
        ([], None, "at least one goal"),
        ([3], None, "whole number from -2"),
        ([-3, 0], None, "whole number from -2"),
        ([1.5], None, "whole number from -2"),
        ([True], None, "whole number from -2"),
        (["1"], None, "whole number from -2"),
        ([1, 0], [1], "one weight"),
        ([1], [1, 1], "one weight"),
        ([1], [0], "positive"),
        ([1], [-1], "positive"),
        ([1], [math.nan], "positive"),
        ([1], [None], "positive"),
    ],
)
def test_goals_that_cannot_be_scored_are_refused_with_a_reason(levels, weights, message) -> None:
    with pytest.raises(ValueError, match=message):
        t_score(levels, weights)


@given(weighted_goals(), st.data())
def test_raising_any_goal_one_level_raises_the_score(goals, data) -> None:
    levels, weights = goals
    i = data.draw(st.integers(0, len(levels) - 1))
    assume(levels[i] < 2)
    higher = [*levels[:i], levels[i] + 1, *levels[i + 1 :]]
    assert t_score(higher, weights) > t_score(levels, weights)


@given(weighted_goals())
def test_the_score_is_symmetric_around_fifty(goals) -> None:
    levels, weights = goals
    mirrored = [-x for x in levels]
    assert t_score(levels, weights) - 50 == pytest.approx(50 - t_score(mirrored, weights))


@given(weighted_goals(), st.integers(2, 9))
def test_scaling_every_weight_changes_nothing(goals, factor) -> None:
    levels, weights = goals
    scaled = [w * factor for w in weights]
    assert t_score(levels, scaled) == pytest.approx(t_score(levels, weights))


@given(levels_st)
def test_the_score_stays_within_its_bounds(levels) -> None:
    # At most all +2: 50 + 20n / sqrt(0.7n + 0.3n²) < 50 + 20 / sqrt(0.3) ≈ 86.5.
    assert 50 - 20 / math.sqrt(0.3) < t_score(levels) < 50 + 20 / math.sqrt(0.3)
