"""The CDC milestone checklists: which one a child gets, corrected age, and the data itself."""

import re
from datetime import date, timedelta

import pytest
from django.utils.translation import override

from tandem.assessments import milestones, reading
from tandem.children.models import Child

BORN = date(2020, 1, 15)


def on_age(months: int, days: int = 0) -> date:
    """The day a child born on BORN is ``months`` old, plus ``days``."""
    year, month = divmod(BORN.month - 1 + months, 12)
    return date(BORN.year + year, month + 1, BORN.day) + timedelta(days=days)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (2, 2),
        (3, 2),
        (4, 4),
        (8, 6),
        (11, 9),
        (12, 12),
        (14, 12),
        (17, 15),
        (20, 18),
        (23, 18),
        (24, 24),
        (29, 24),
        (30, 30),
        (35, 30),
        (36, 36),
        (47, 36),
        (48, 48),
        (59, 48),
        (60, 60),
    ],
)
def test_child_gets_the_latest_checklist_whose_age_is_reached(age, expected):
    pick = milestones.checklist_for(BORN, on_age(age))
    assert (pick.months, pick.age_months, pick.corrected) == (expected, age, False)


def test_the_day_before_a_checklist_age_still_gets_the_previous_one():
    assert milestones.checklist_for(BORN, on_age(18, days=-1)).months == 15
    assert milestones.checklist_for(BORN, on_age(18)).months == 18


def test_child_older_than_five_keeps_the_five_year_checklist():
    pick = milestones.checklist_for(BORN, on_age(84))
    assert (pick.months, pick.age_months) == (60, 84)


def test_infant_younger_than_two_months_gets_the_first_checklist():
    pick = milestones.checklist_for(BORN, BORN + timedelta(days=20))
    assert (pick.months, pick.age_months) == (2, 0)
    assert {m["id"] for m in pick.milestones} == {m["id"] for m in milestones.checklist(2)}


def test_a_date_before_birth_is_refused():
    with pytest.raises(ValueError, match="before the child's birth"):
        milestones.checklist_for(BORN, BORN - timedelta(days=1))


def test_preterm_child_under_two_is_checked_at_corrected_age():
    # Born at 28 weeks: 12 weeks early, so at 6 months the corrected age is about 3 months.
    pick = milestones.checklist_for(BORN, on_age(6), gestational_age_weeks=28)
    assert pick.corrected is True
    assert pick.age_months == milestones.completed_months(BORN + timedelta(weeks=12), on_age(6))
    assert (pick.age_months, pick.months) == (3, 2)


def test_correction_can_move_a_child_back_one_checklist():
    # 19 months chronological, born at 32 weeks (8 weeks early): 17 months corrected.
    term = milestones.checklist_for(BORN, on_age(19))
    preterm = milestones.checklist_for(BORN, on_age(19), gestational_age_weeks=32)
    assert (term.months, preterm.months) == (18, 15)
    assert preterm.age_months == 17


def test_very_preterm_newborn_has_corrected_age_zero():
    pick = milestones.checklist_for(BORN, BORN + timedelta(weeks=6), gestational_age_weeks=26)
    assert (pick.corrected, pick.age_months, pick.months) == (True, 0, 2)


def test_born_at_37_weeks_or_later_is_not_corrected():
    for weeks in (37, 40, 42):
        pick = milestones.checklist_for(BORN, on_age(9), gestational_age_weeks=weeks)
        assert (pick.corrected, pick.months) == (False, 9)


def test_born_at_36_weeks_is_corrected():
    pick = milestones.checklist_for(BORN, on_age(9, days=10), gestational_age_weeks=36)
    assert pick.corrected is True and pick.age_months == 8 and pick.months == 6


def test_correction_stops_at_two_years_chronological():
    before = milestones.checklist_for(BORN, on_age(24, days=-1), gestational_age_weeks=30)
    after = milestones.checklist_for(BORN, on_age(24), gestational_age_weeks=30)
    assert (before.corrected, before.months) == (True, 18)
    assert (after.corrected, after.months, after.age_months) == (False, 24, 24)


def test_unknown_gestation_is_not_corrected():
    pick = milestones.checklist_for(BORN, on_age(6), gestational_age_weeks=None)
    assert (pick.corrected, pick.months) == (False, 6)


def test_completed_months_count_a_month_on_the_same_day_of_month():
    assert milestones.completed_months(date(2024, 1, 31), date(2024, 2, 29)) == 0
    assert milestones.completed_months(date(2024, 1, 31), date(2024, 3, 1)) == 1
    assert milestones.completed_months(date(2024, 1, 15), date(2025, 1, 15)) == 12
    assert milestones.completed_months(date(2024, 1, 15), date(2025, 1, 14)) == 11


def test_there_is_a_checklist_for_each_cdc_age_and_none_for_others():
    for months in milestones.CHECKLIST_MONTHS:
        assert milestones.checklist(months), months
    for months in (0, 1, 3, 13, 21, 42, 72):
        assert milestones.checklist(months) is None
    assert milestones.CHECKLIST_MONTHS == (2, 4, 6, 9, 12, 15, 18, 24, 30, 36, 48, 60)


def test_each_checklist_covers_all_four_domains():
    for months in milestones.CHECKLIST_MONTHS:
        domains = {item["domain"] for item in milestones.checklist(months)}
        assert domains == set(milestones.DOMAINS) == set(reading.DOMAIN_LABELS), months


def test_milestone_ids_are_unique_and_name_their_checklist_and_domain():
    short = {
        "social_emotional": "se",
        "language_communication": "lc",
        "cognitive": "cg",
        "movement_physical": "mp",
    }
    seen = set()
    for months in milestones.CHECKLIST_MONTHS:
        for item in milestones.checklist(months):
            assert item["id"] not in seen
            seen.add(item["id"])
            assert re.fullmatch(rf"m{months}-{short[item['domain']]}-\d+", item["id"])
            assert item["text"].strip() == item["text"] and len(item["text"]) > 3
    assert len(seen) == 159


def test_checklists_hold_the_cdc_wording():
    texts = {item["id"]: item["text"] for item in milestones.checklist(18)}
    assert texts["m18-lc-1"] == "Tries to say three or more words besides “mama” or “dada”"
    assert milestones.checklist(60)[-1]["text"] == "Hops on one foot"
    assert "2022;149(3):e2021052138" in milestones.metadata()["citation"]
    assert "public domain" in milestones.metadata()["licence"]


def test_changing_a_returned_checklist_does_not_change_the_shipped_one():
    items = milestones.checklist(12)
    items[0]["text"] = "changed"
    items.append({"id": "x"})
    assert milestones.checklist(12)[0]["text"] != "changed"
    assert len(milestones.checklist(12)) == len(items) - 1


def test_reading_adapts_the_pick_for_a_child_and_its_summary():
    child = Child(date_of_birth=BORN, gestational_age_weeks=30)
    pick = reading.checklist_for(child, on_age(10))
    assert pick.corrected is True and pick.months == 6
    answers = {pick.items[0]["id"]: "not_yet", pick.items[1]["id"]: "yes"}
    summary = reading.not_yet_summary(pick, answers)
    assert summary["total_not_yet"] == 1
    assert summary["unanswered"] == len(pick.items) - 2
    assert reading.milestone_ids(60) == {i["id"] for i in milestones.checklist(60)}
    assert reading.milestone_ids(7) is None


def test_the_domains_are_named_in_the_readers_language():
    pick = reading.checklist_for(Child(date_of_birth=BORN), on_age(12))
    for language, first in (("es", "Social / emocional"), ("en", "Social / emotional")):
        with override(language):
            assert str(reading.checklist_domains(pick, {}, {})[0]["label"]) == first
