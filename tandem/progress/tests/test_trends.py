"""The trend rules of tandem.progress.trends on hand-worked series (no database).

Slopes are worked by hand with x in weeks: slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)².
For six weekly readings x = 0..5, x̄ = 2.5 and Σ(x − x̄)² = 17.5, so the slope is
Σ(x − 2.5)·y / 17.5.
"""

import datetime
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tandem.plans.models import Goal
from tandem.progress import analysis, trends
from tandem.progress.trends import assess, fit

START = datetime.date(2024, 1, 8)  # a Monday
PERCENT: dict[str, Any] = {"target": 80.0, "span": 100.0}


def weekly(
    values: list[float], *, start: datetime.date = START, every: int = 7
) -> list[tuple[datetime.date, float]]:
    return [(start + datetime.timedelta(days=every * i), v) for i, v in enumerate(values)]


def day(n: int) -> datetime.date:
    return START + datetime.timedelta(days=n)


# --- The slope ------------------------------------------------------------------


def test_a_perfect_line_gives_its_slope_and_projected_date() -> None:
    # 20, 30, 40, 50 a week apart: +10 a week. The line is at 50 on 29 Jan; 30 to go
    # at 10 a week is 3 weeks → 19 Feb.
    trend = assess(weekly([20, 30, 40, 50]), **PERCENT)
    assert trend.slope == pytest.approx(10.0)
    assert trend.direction == "improving"
    assert trend.projected_date == datetime.date(2024, 2, 19)
    assert trend.trend_line == ((START, pytest.approx(20.0)), (day(21), pytest.approx(50.0)))
    assert not (trend.mastered or trend.plateau or trend.regression)


def test_a_noisy_rise_is_fitted_by_least_squares() -> None:
    # 40, 50, 45, 60, 55, 70: Σ(x − 2.5)·y = −100 − 75 − 22.5 + 30 + 82.5 + 175 = 90,
    # slope = 90 / 17.5 = 5.142857 a week. ȳ = 320/6 = 53.3333, so the line is at
    # 53.3333 + 2.5·5.142857 = 66.1905 on the last day (12 Feb); 13.8095 to go takes
    # 13.8095 / 5.142857 = 2.685 weeks = 18.8 days → the 19th day, 2 Mar.
    trend = assess(weekly([40, 50, 45, 60, 55, 70]), **PERCENT)
    assert trend.slope == pytest.approx(90 / 17.5)
    assert trend.line is not None
    assert trend.line.value_on(day(35)) == pytest.approx(66.19048, abs=1e-5)
    assert trend.projected_date == datetime.date(2024, 3, 2)


def test_the_slope_is_per_week_whatever_the_spacing() -> None:
    # 10, 20, 30 two weeks apart: +10 per 2 weeks = +5 a week.
    assert assess(weekly([10, 20, 30], every=14)).slope == pytest.approx(5.0)


def test_same_day_readings_all_count() -> None:
    # x = 0, 0, 1 (weeks), y = 10, 20, 30: x̄ = 1/3, ȳ = 20;
    # Σ(x − x̄)² = 1/9 + 1/9 + 4/9 = 2/3; Σ(x − x̄)(y − ȳ) = (−1/3)(−10) + 0 + (2/3)(10) = 10;
    # slope = 10 / (2/3) = 15 a week.
    points = [(START, 10.0), (START, 20.0), (day(7), 30.0)]
    assert assess(points).slope == pytest.approx(15.0)


def test_the_order_readings_arrive_in_does_not_matter() -> None:
    points = weekly([40, 50, 45, 60, 55, 70])
    assert assess(list(reversed(points)), **PERCENT) == assess(points, **PERCENT)


# --- Edge cases -----------------------------------------------------------------


def test_no_readings_say_nothing() -> None:
    trend = assess([], **PERCENT)
    assert trend.slope is None and trend.direction is None and trend.trend_line is None
    assert not (trend.mastered or trend.plateau or trend.regression)
    assert trend.projected_date is None


def test_one_reading_has_no_trend_but_can_meet_a_one_session_criterion() -> None:
    trend = assess([(START, 90.0)], target=80.0, sessions=1, span=100.0)
    assert trend.slope is None and trend.direction is None and trend.projected_date is None
    assert trend.mastered
    assert not assess([(START, 90.0)], **PERCENT).mastered  # three sessions asked


def test_two_readings_give_a_slope_but_no_flags() -> None:
    # 50 → 20 in one week: −30 a week, but two readings are never a regression by slope
    # and never a plateau.
    trend = assess(weekly([50, 20]), **PERCENT)
    assert trend.slope == pytest.approx(-30.0)
    assert trend.direction == "worsening"
    assert not trend.regression and not trend.plateau and trend.projected_date is None


def test_readings_all_on_one_day_have_no_slope() -> None:
    trend = assess([(START, 10.0), (START, 40.0), (START, 90.0)], **PERCENT)
    assert trend.slope is None and trend.direction is None and trend.projected_date is None
    assert fit([(START, 1.0), (START, 2.0)]) is None


def test_readings_without_a_finite_value_are_left_out() -> None:
    points = [(START, 20.0), (day(3), float("nan")), (day(7), 30.0), (day(10), float("inf"))]
    assert assess(points).slope == pytest.approx(10.0)


# --- The window -----------------------------------------------------------------


def test_only_the_last_six_readings_make_the_trend() -> None:
    # The window is 40, 50, 60, 70, 80, 90 (weeks 2..7): +10 a week; the early 100s fall out.
    trend = assess(weekly([100, 100, 40, 50, 60, 70, 80, 90]))
    assert len(trend.window) == trends.WINDOW_POINTS
    assert trend.slope == pytest.approx(10.0)


def test_readings_more_than_90_days_before_the_latest_fall_out() -> None:
    # 100 on day 0, then 20, 30, 40 from day 120: only the last three are within 90 days.
    points = [(START, 100.0), *weekly([20, 30, 40], start=day(120))]
    trend = assess(points)
    assert [d for d, _v in trend.window] == [day(120), day(127), day(134)]
    assert trend.slope == pytest.approx(10.0)


# --- Mastery --------------------------------------------------------------------


def test_mastery_needs_the_value_held_for_the_sessions_asked() -> None:
    assert not assess(weekly([60, 70, 80, 85]), **PERCENT).mastered  # two in a row
    assert assess(weekly([60, 70, 80, 85, 90]), **PERCENT).mastered  # 80, 85, 90
    assert not assess(weekly([80, 85, 70, 90, 95]), **PERCENT).mastered  # 70 breaks it
    assert assess(weekly([80, 80, 80]), **PERCENT).mastered  # "at least" includes 80


def test_lower_is_better_counts_mastery_downwards() -> None:
    # 6, 4, 2, 1 with "at most 2 in 2 sessions": 2 and 1 meet it.
    # Slope: Σ(x − 1.5)·y = −9 − 2 + 1 + 1.5 = −8.5; Σ(x − 1.5)² = 5 → −1.7 a week.
    trend = assess(weekly([6, 4, 2, 1]), target=2.0, sessions=2, lower_is_better=True)
    assert trend.mastered
    assert trend.slope == pytest.approx(-1.7)
    assert trend.direction == "improving"


def test_mastery_clears_the_flags_and_the_projection() -> None:
    trend = assess(weekly([85] * 6), **PERCENT)
    assert trend.mastered and trend.direction == "steady"
    assert not trend.plateau and not trend.regression and trend.projected_date is None


def test_a_goal_without_a_mastery_value_is_never_mastered() -> None:
    assert not assess(weekly([100] * 6), target=None, span=100.0).mastered


# --- Plateau --------------------------------------------------------------------


def test_a_flat_series_is_a_plateau() -> None:
    trend = assess(weekly([50] * 10), **PERCENT)
    assert trend.slope == pytest.approx(0.0)
    assert trend.direction == "steady"
    assert trend.plateau and not trend.regression
    assert trend.projected_date is None


def test_a_small_wobble_far_from_the_target_is_a_plateau() -> None:
    # 50, 51, 50, 49, 50, 50: Σ(x − 2.5)·y = −125 − 76.5 − 25 + 24.5 + 75 + 125 = −2,
    # slope = −2 / 17.5 = −0.114 a week. About 30 points to go, so the flat limit is
    # 2 % of 30 = 0.6 a week: steady. Not a regression: last three 49.67 vs 50.33 before.
    trend = assess(weekly([50, 51, 50, 49, 50, 50]), **PERCENT)
    assert trend.slope == pytest.approx(-2 / 17.5)
    assert trend.plateau and not trend.regression


def test_four_flat_readings_are_too_few_for_a_plateau() -> None:
    trend = assess(weekly([50] * 4), **PERCENT)
    assert trend.direction == "steady" and not trend.plateau


def test_slow_but_real_progress_is_not_a_plateau() -> None:
    # +1 a week with 30 to go (limit 0.6 a week): improving; 30 weeks away, projected.
    trend = assess(weekly([45, 46, 47, 48, 49, 50]), **PERCENT)
    assert trend.direction == "improving" and not trend.plateau
    assert trend.projected_date == day(35 + 30 * 7)


def test_flat_at_the_target_without_mastery_is_not_a_plateau() -> None:
    # Around 80 but never three in a row; the line ends at 80.86, past the target.
    trend = assess(weekly([78, 82, 78, 82, 78, 82]), **PERCENT)
    assert not trend.mastered and not trend.plateau


def test_a_flat_series_without_a_target_is_steady_but_not_a_plateau() -> None:
    trend = assess(weekly([50] * 6), target=None, span=100.0)
    assert trend.direction == "steady" and not trend.plateau


# --- Regression -----------------------------------------------------------------


def test_a_steady_fall_is_a_regression() -> None:
    # Window 70, 60, 50, 40, 30, 20: exactly −10 a week, so t is infinite.
    trend = assess(weekly([70, 75, 70, 60, 50, 40, 30, 20]), **PERCENT)
    assert trend.slope == pytest.approx(-10.0)
    assert trend.regression and not trend.plateau and trend.projected_date is None


def test_a_significant_noisy_fall_is_a_regression() -> None:
    # 70, 60, 66, 52, 55, 44: Σ(x − 2.5)·y = −175 − 90 − 33 + 26 + 82.5 + 110 = −79.5,
    # slope = −4.543 a week; residuals give t = −3.97 < −2.132 (4 degrees of freedom).
    trend = assess(weekly([70, 60, 66, 52, 55, 44]), **PERCENT)
    assert trend.slope == pytest.approx(-79.5 / 17.5)
    assert trend.line is not None
    assert trends.slope_t(trend.window, trend.line) == pytest.approx(-3.9696, abs=1e-4)
    assert trend.regression


def test_a_noisy_dip_is_not_a_regression() -> None:
    # 60, 40, 62, 45, 58, 47: Σ(x − 2.5)·y = −150 − 60 − 31 + 22.5 + 87 + 117.5 = −14,
    # slope = −0.8 a week (worsening, past the 0.6 flat limit) but t = −0.33; and the
    # last three (50) are 4 points below the three before (54), under the 10-point margin.
    trend = assess(weekly([60, 40, 62, 45, 58, 47]), **PERCENT)
    assert trend.slope == pytest.approx(-0.8)
    assert trend.direction == "worsening"
    assert not trend.regression and not trend.plateau


def test_a_drop_of_the_last_three_is_a_regression_even_when_the_slope_is_unsure() -> None:
    # 45, 80, 75, 50, 60, 45: t = −0.62 only, but the last three average 51.7 against
    # 66.7 for the three before: 15 points worse, over the 10-point margin.
    trend = assess(weekly([45, 80, 75, 50, 60, 45]), **PERCENT)
    assert trend.line is not None
    assert trends.slope_t(trend.window, trend.line) > -1
    assert trend.regression


def test_falling_below_the_baseline_is_a_regression() -> None:
    # First three 60, 60, 60; after a break the window is 30 → 40, improving, but the
    # last three (38 on average) are 22 points below the baseline (60).
    points = [*weekly([60, 60, 60]), *weekly([30, 32, 34, 36, 38, 40], start=day(210))]
    trend = assess(points, **PERCENT)
    assert trend.direction == "improving"
    assert trend.regression and trend.projected_date is None


def test_lower_is_better_regresses_upwards() -> None:
    # Meltdowns per session 2, 4, ..., 12: +2 a week is worse.
    trend = assess(weekly([2, 4, 6, 8, 10, 12]), target=1.0, lower_is_better=True)
    assert trend.direction == "worsening" and trend.regression
    falling = assess(weekly([12, 10, 8, 6, 4, 3]), target=1.0, lower_is_better=True)
    assert falling.direction == "improving" and not falling.regression


def test_counts_must_drop_by_a_fifth_of_the_earlier_mean() -> None:
    # Unbounded counts: the margin is 20 % of the earlier mean. The three before average
    # (9 + 12 + 9) / 3 = 10, so the last three must average 8 or less (t is about −1).
    assert not assess(weekly([9, 12, 9, 9, 7.5, 9.3]), target=15.0).regression  # 8.6
    assert assess(weekly([9, 12, 9, 8, 6, 9.5]), target=15.0).regression  # 7.83


# --- Projection -----------------------------------------------------------------


def test_lower_is_better_projects_downwards() -> None:
    # 10, 8, 6, 4: −2 a week, the line at 4 on 29 Jan; 2 to go → 1 week → 5 Feb.
    trend = assess(weekly([10, 8, 6, 4]), target=2.0, sessions=2, lower_is_better=True)
    assert trend.projected_date == datetime.date(2024, 2, 5)


def test_no_projection_beyond_two_years() -> None:
    # +0.5 a week with 69.5 to go: 139 weeks, more than 2 years.
    assert assess(weekly([10, 10.5]), **PERCENT).projected_date is None
    # +1 a week with 60 to go: 60 weeks (420 days), within 2 years.
    assert assess(weekly([19, 20]), **PERCENT).projected_date == day(7 + 420)


def test_no_projection_when_the_line_points_away_from_the_target() -> None:
    assert assess(weekly([60, 58]), **PERCENT).projected_date is None


def test_no_projection_without_a_target() -> None:
    assert assess(weekly([20, 30, 40]), target=None).projected_date is None


# --- Properties -----------------------------------------------------------------

series_st = st.lists(
    st.tuples(st.integers(0, 200), st.floats(-1000, 1000, allow_nan=False)),
    min_size=2,
    max_size=15,
)


@given(series_st, st.floats(-1000, 1000, allow_nan=False))
def test_adding_a_constant_does_not_change_the_slope(series, constant) -> None:
    points = [(day(n), value) for n, value in series]
    assume(fit(trends.recent_window(trends.clean(points))) is not None)
    shifted = [(d, v + constant) for d, v in points]
    assert assess(shifted).slope == pytest.approx(assess(points).slope, rel=1e-6, abs=1e-6)


@given(
    st.floats(-50, 50, allow_nan=False),
    st.floats(-100, 100, allow_nan=False),
    st.lists(st.integers(0, 89), min_size=2, max_size=6, unique=True),
)
def test_points_on_a_line_give_back_its_slope(slope, level, days) -> None:
    points = [(day(n), level + slope * n / 7) for n in sorted(days)]
    assert assess(points).slope == pytest.approx(slope, rel=1e-6, abs=1e-6)


@given(series_st)
def test_mirroring_the_values_mirrors_the_slope(series) -> None:
    points = [(day(n), value) for n, value in series]
    trend = assess(points)
    assume(trend.slope is not None)
    assert trend.slope is not None
    assert assess([(d, -v) for d, v in points]).slope == pytest.approx(
        -trend.slope, rel=1e-6, abs=1e-6
    )


# --- The adapter over a Goal ------------------------------------------------------


def test_analysis_applies_the_goals_own_criterion() -> None:
    goal = Goal(
        measurement_type="frequency", mastery_value=2.0, mastery_sessions=2, lower_is_better=True
    )
    result = analysis.analyse(goal, weekly([6, 4, 2, 1]))
    assert result.mastered and result.direction == "improving"
    assert result.slope == pytest.approx(-1.7)
    assert result.last_value == 1
    assert result.trend_line == ((START, pytest.approx(5.8)), (day(21), pytest.approx(0.7)))


def test_analysis_uses_the_scale_of_the_measurement_for_the_margin() -> None:
    # 4, 4, 4 then 3.5, 3.5, 3.5: a fall of 0.5 — nothing on a 0–100 percentage (margin
    # 10 points), a regression on a 1–5 rating (margin 0.4).
    values = weekly([4, 4, 4, 3.5, 3.5, 3.5])
    percent = Goal(measurement_type="percent_trials", mastery_value=80.0)
    rating = Goal(measurement_type="rating", mastery_value=5.0)
    assert analysis.analyse(percent, values).regression is False
    assert analysis.analyse(rating, values).regression is True


def test_analysis_scores_gas_with_the_plans_module() -> None:
    assert analysis.tscore([2, 2, 2], [1, 1, 1]) == pytest.approx(77.38613, abs=1e-5)
