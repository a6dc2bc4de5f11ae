"""Billable units against the worked examples of the Medicare Claims Processing Manual
(CMS Pub. 100-04), chapter 5, §20.2 "Reporting of Service Units With HCPCS", C. "Counting
Minutes for Timed Codes in 15 Minute Units", examples 1–5."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.billing.units import Minutes, cms_units, per_code_units, units_for_minutes


@pytest.mark.parametrize(
    ("minutes", "expected"),
    # §20.2's chart: units by total timed minutes.
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
        (82, 5),
        (83, 6),
        (97, 6),
        (98, 7),
        (112, 7),
        (113, 8),
        (127, 8),
    ],
)
def test_the_cms_chart(minutes, expected):
    assert units_for_minutes(minutes) == expected


def _units(*lines):
    return dict(
        zip([code for code, _ in lines], cms_units([Minutes(c, m) for c, m in lines]), strict=True)
    )


def test_example_1_more_units_to_the_service_that_took_longest():
    # 24 min 97112 + 23 min 97110 = 47 min → 3 units: 2 × 97112, 1 × 97110.
    assert _units(("97112", 24), ("97110", 23)) == {"97112": 2, "97110": 1}


def test_example_2_equal_times_either_code_gets_the_second_unit():
    # 20 + 20 = 40 min → 3 units, never 3 of one code; the manual lets either take 2.
    got = _units(("97112", 20), ("97110", 20))
    assert sorted(got.values()) == [1, 2]
    assert sum(got.values()) == 3


def test_example_3_the_remaining_unit_goes_to_the_larger_remainder():
    # 33 min 97110 + 7 min 97140 = 40 min → 3 units: 2 × 97110 (first 30 min), 1 × 97140
    # (its 7 minutes beat 97110's remaining 3).
    assert _units(("97110", 33), ("97140", 7)) == {"97110": 2, "97140": 1}


def test_example_4_short_services_can_take_the_units():
    # 18 + 13 + 10 + 8 = 49 min → 3 units: one each of 97110, 97140 and 97116; 97035's
    # 8 minutes get none.
    got = _units(("97110", 18), ("97140", 13), ("97116", 10), ("97035", 8))
    assert got == {"97110": 1, "97140": 1, "97116": 1, "97035": 0}


def test_example_5_three_short_services_make_one_unit():
    # 7 + 7 + 7 = 21 min → 1 unit, for one of the codes.
    got = _units(("97112", 7), ("97110", 7), ("97140", 7))
    assert sum(got.values()) == 1


def test_untimed_codes_are_one_unit_and_do_not_count_towards_the_timed_total():
    lines = [Minutes("92507", 45, timed=False), Minutes("97530", 7)]
    assert cms_units(lines) == [1, 0]
    assert per_code_units(lines) == [1, 0]


def test_the_per_code_method_counts_each_code_on_its_own():
    # Example 3's minutes by the per-code method: 33 → 2, 7 → 0.
    assert per_code_units([Minutes("97110", 33), Minutes("97140", 7)]) == [2, 0]
    # Example 1's: 24 → 2, 23 → 2 (one more than the CMS method).
    assert per_code_units([Minutes("97112", 24), Minutes("97110", 23)]) == [2, 2]


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        cms_units([Minutes("97110", -1)])


@given(st.lists(st.integers(min_value=0, max_value=180), min_size=1, max_size=6))
def test_cms_units_always_add_up_to_the_chart_for_the_total(minutes):
    lines = [Minutes(f"9{i}", m) for i, m in enumerate(minutes)]
    got = cms_units(lines)
    assert sum(got) == units_for_minutes(sum(minutes))
    # Each code gets at least its whole 15-minute blocks, and never more than one beyond.
    for m, u in zip(minutes, got, strict=True):
        assert m // 15 <= u <= m // 15 + 1
