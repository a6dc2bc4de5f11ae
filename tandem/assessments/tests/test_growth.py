"""Growth z-scores and centiles: WHO 2006 under two, CDC 2000 from two, corrected age, curves."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from tandem.assessments import growth

BIRTH = date(2020, 1, 1)
P95_Z = float(norm.ppf(0.95))

# Sex, age in days, length (cm, already corrected for recumbent/standing position), weight
# (kg), length-for-age z, weight-for-age z: six children of WHO's igrowup sample output.
WHO_IGROWUP_SAMPLE = (
    ("F", 683, 84.8, 10.4, -0.07, -0.57),
    ("F", 653, 83.5, 11.7, -0.19, 0.53),
    ("F", 234, 67.0, 7.2, -0.55, -0.72),
    ("F", 518, 80.6, 11.0, 0.32, 0.74),
    ("F", 496, 75.1, 8.6, -1.36, -1.14),
    ("M", 566, 75.9, 8.8, -2.54, -2.05),
)


def on_day(days: int) -> date:
    return BIRTH + timedelta(days=days)


@pytest.mark.parametrize(
    ("sex", "days", "length", "weight", "z_length", "z_weight"), WHO_IGROWUP_SAMPLE
)
def test_it_matches_who_igrowup_sample_output(
    sex: str, days: int, length: float, weight: float, z_length: float, z_weight: float
) -> None:
    """Length- and weight-for-age z agree to 2 decimals with WHO's published values.

    Source: WHO Anthro igrowup sample output MySurvey_z_st.csv (WHO Child Growth
    Standards 2006), via /work/shared/reference/who_growth_sample.json.
    """
    height = growth.measure(sex, BIRTH, on_day(days), "height", length, None)
    mass = growth.measure(sex, BIRTH, on_day(days), "weight", weight, None)

    assert round(height.z, 2) == z_length
    assert round(mass.z, 2) == z_weight
    assert height.reference == mass.reference == "WHO 2006"


def test_centile_is_the_normal_cdf_of_z() -> None:
    result = growth.measure("F", BIRTH, on_day(234), "weight", 7.2, None)

    assert result.centile == pytest.approx(norm.cdf(result.z) * 100)
    assert 0 < result.centile < 100


def test_it_accepts_decimals_as_stored_by_the_model() -> None:
    as_decimal = growth.measure("F", BIRTH, on_day(683), "height", Decimal("84.8"), None)

    assert round(as_decimal.z, 2) == -0.07


def test_it_switches_from_who_to_cdc_2000_at_two_years() -> None:
    """CDC 2000 statage.csv, boys at 24.0 months: M = 86.45220101 cm (L 0.9415, S 0.0403)."""
    before = growth.measure("M", BIRTH, on_day(730), "height", 86.45220101, None)
    after = growth.measure("M", BIRTH, on_day(731), "height", 86.45220101, None)

    assert before.reference == "WHO 2006"
    assert after.reference == "CDC 2000"
    # One day past CDC's 24-month row, its median is still within 0.01 SD of that value.
    assert after.z == pytest.approx(0, abs=0.01)
    # WHO's 2-year median (87.8 cm) is taller, so the same child sits lower on WHO.
    assert before.z < -0.3


def test_cdc_covers_head_circumference_to_three_years_only() -> None:
    at_two_and_a_half = growth.measure("F", BIRTH, on_day(913), "ofc", 48.0, None)

    assert at_two_and_a_half.reference == "CDC 2000"
    with pytest.raises(ValueError, match="head circumference reference after 3 years"):
        growth.measure("F", BIRTH, on_day(4 * 365), "ofc", 50.0, None)


def test_bmi_under_two_uses_who() -> None:
    result = growth.measure("M", BIRTH, on_day(180), "bmi", 17.0, None)

    assert result.reference == "WHO 2006"


class TestExtendedBmi:
    """CDC 2022 extended BMI-for-age: above the 95th centile, 90 + 10 * Phi((BMI - P95) / sigma)."""

    age = 10 * 365

    def bmi(self, value: float) -> growth.GrowthResult:
        return growth.measure("M", BIRTH, on_day(self.age), "bmi", value, None)

    def p95(self) -> float:
        value = growth.value_for_z("M", "bmi", self.age / 365.25, P95_Z)
        assert value is not None
        return value

    def test_it_joins_the_lms_centiles_at_the_95th(self) -> None:
        below, above = self.bmi(self.p95() - 0.05), self.bmi(self.p95() + 0.05)

        assert below.reference == "CDC 2000"
        assert above.reference == "CDC 2022 extended BMI"
        assert 94.9 < below.centile < 95 < above.centile < 95.1

    def test_it_keeps_telling_severe_obesity_apart(self) -> None:
        results = [self.bmi(value) for value in (25, 30, 40, 45, 50)]
        zs = [r.z for r in results]

        assert all(r.reference == "CDC 2022 extended BMI" for r in results)
        assert all(high - low > 0.5 for low, high in itertools.pairwise(zs))

    def test_it_stays_finite_for_extreme_values(self) -> None:
        extreme = self.bmi(120)

        assert extreme.z == pytest.approx(growth.MAX_Z)
        assert extreme.centile <= 100


class TestCorrectedAge:
    """Born before 37 weeks: the age is corrected until the corrected age reaches two years."""

    def test_it_raises_the_z_score_of_a_preterm_baby(self) -> None:
        term = growth.measure("F", BIRTH, on_day(182), "weight", 6.0, None)
        preterm = growth.measure("F", BIRTH, on_day(182), "weight", 6.0, 28)

        assert preterm.corrected and not term.corrected
        assert preterm.age_years == pytest.approx((182 - 12 * 7) / 365.25)
        assert preterm.z > term.z + 1

    def test_it_does_not_correct_from_37_weeks(self) -> None:
        term = growth.measure("F", BIRTH, on_day(182), "weight", 6.0, None)
        early_term = growth.measure("F", BIRTH, on_day(182), "weight", 6.0, 37)

        assert early_term.z == term.z
        assert not early_term.corrected

    def test_it_stops_once_the_corrected_age_is_two(self) -> None:
        term = growth.measure("M", BIRTH, on_day(3 * 365), "height", 95.0, None)
        preterm = growth.measure("M", BIRTH, on_day(3 * 365), "height", 95.0, 28)

        assert preterm.z == term.z
        assert not preterm.corrected

    def test_it_refuses_a_baby_not_yet_at_term(self) -> None:
        with pytest.raises(ValueError, match="before term"):
            growth.measure("M", BIRTH, on_day(30), "weight", 1.8, 28)


@pytest.mark.parametrize(
    ("args", "side"),
    [
        (("M", BIRTH, on_day(1500), "height", 300, None), 1),
        (("F", BIRTH, on_day(1826), "weight", 3, None), -1),
    ],
)
def test_a_value_far_from_the_median_is_marked_implausible(args: tuple, side: int) -> None:
    """Beyond WHO's flag limits the result says so; the caller refuses or asks to confirm."""
    result = growth.measure(*args)

    assert result.implausible
    assert result.z * side > 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("M", BIRTH, on_day(21 * 365), "height", 170, None), r"after 20 years"),
        (("M", on_day(10), BIRTH, "height", 50, None), r"before the date of birth"),
        (("M", BIRTH, on_day(100), "weight", -1, None), r"must be a positive number"),
        (("M", BIRTH, on_day(100), "length", 60, None), r"Unknown growth measure 'length'"),
        (("X", BIRTH, on_day(100), "height", 60, None), r"Unknown sex 'X'"),
        (("M", BIRTH, on_day(100), "weight", 6, 50), r"gestational age of 50 weeks"),
    ],
)
def test_out_of_range_raises_value_error_with_a_message(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        growth.measure(*args)


CENTILES = (3, 15, 50, 85, 97)


@pytest.mark.parametrize("sex", ["F", "M"])
@pytest.mark.parametrize("name", growth.MEASURES)
@pytest.mark.parametrize(("x_min", "x_max"), [(0.0, 2.0), (2.0, 18.0), (0.0, 6.0)])
def test_centile_lines_are_ordered(sex: str, name: str, x_min: float, x_max: float) -> None:
    curves = growth.centile_curves(sex, name, x_min, x_max, centiles=CENTILES)
    lines = [curves[c] for c in CENTILES]

    assert lines[0], "no points"
    assert len({len(line) for line in lines}) == 1
    for points in zip(*lines, strict=True):
        ages = {age for age, _value in points}
        values = [value for _age, value in points]
        assert len(ages) == 1 and x_min <= ages.pop() <= x_max
        assert values == sorted(values) and len(set(values)) == len(values)
    assert [age for age, _v in lines[0]] == sorted(age for age, _v in lines[0])


def test_length_curves_rise_with_age_under_two() -> None:
    median = [value for _age, value in growth.centile_curves("F", "height", 0, 2)[50]]

    assert median == sorted(median)
    assert median[0] == pytest.approx(49.1477)  # WHO girls' median length at birth


def test_preterm_curves_shift_by_the_correction() -> None:
    term = {
        round(age * 365.25): value
        for age, value in growth.centile_curves("M", "weight", 0, 2, centiles=(50,))[50]
    }
    preterm = growth.centile_curves("M", "weight", 0, 2, centiles=(50,), gestation_weeks=28)[50]

    shift = 12 * 7 / 365.25
    assert preterm[0][0] == pytest.approx(shift)
    for age, value in preterm[:10]:
        assert value == term[round(age * 365.25) - 12 * 7]


def test_a_point_on_the_97th_curve_measures_at_the_97th_centile() -> None:
    age, value = growth.centile_curves("F", "weight", 0, 2, gestation_weeks=30)[97][20]
    days = round(age * 365.25)

    result = growth.measure("F", BIRTH, on_day(days), "weight", value, 30)

    assert result.centile == pytest.approx(97, abs=0.01)


@settings(max_examples=150, deadline=None)
@given(
    sex=st.sampled_from(["F", "M"]),
    name=st.sampled_from(growth.MEASURES),
    days=st.integers(min_value=0, max_value=20 * 365),
    z=st.floats(min_value=-3, max_value=3),
)
def test_measuring_the_value_for_a_z_score_gives_it_back(
    sex: str, name: str, days: int, z: float
) -> None:
    assume(days <= growth.LAST_AGE[name] * 365.25)
    value = growth.value_for_z(sex, name, days / 365.25, z)
    assume(value is not None)
    assert value is not None  # (assume skipped the example otherwise)

    result = growth.measure(sex, BIRTH, on_day(days), name, value, None)

    assert result.z == pytest.approx(z, abs=1e-3)
