"""The goal bank Tandem ships (plans/data/goal_bank.json): broad, well formed, ready to use.

Every entry must load into a GoalBankEntry that passes the model's own checks and the
bank's rules, and must prefill a Goal that the goal rules accept once the suggested
mastery value is filled in — so a therapist starting from the bank meets no errors.
"""

import datetime
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from tandem.accounts.models import Discipline, Organization
from tandem.children.models import Child
from tandem.plans import actions, goal_bank
from tandem.plans.models import Domain, Goal, GoalBankEntry, MeasurementType, Plan

if TYPE_CHECKING:
    from tandem.conftest import World

GOALS = goal_bank.shipped_goal_bank()
LEVEL_KEYS = {"-2", "-1", "0", "1", "2"}
MAIN_DISCIPLINES = {Discipline.OT, Discipline.PT, Discipline.SLP, Discipline.BEHAVIORAL}


def _named(item: dict) -> str:
    return item.get("title") or item["statement"][:60]


def test_the_bank_has_at_least_sixty_goals() -> None:
    assert len(GOALS) >= 60


def test_every_domain_is_covered() -> None:
    domains = Counter(item["domain"] for item in GOALS)
    assert set(domains) == set(Domain.values)
    assert min(domains.values()) >= 5


def test_the_four_main_disciplines_and_play_and_psychology_are_covered() -> None:
    disciplines = Counter(item["discipline"] for item in GOALS)
    for discipline in MAIN_DISCIPLINES:
        assert disciplines[discipline] >= 8, discipline
    assert disciplines[Discipline.PLAY] >= 2
    assert disciplines[Discipline.PSYCHOLOGY] >= 2


def test_titles_and_statements_are_unique() -> None:
    titles = [item["title"].casefold() for item in GOALS]
    statements = [" ".join(item["statement"].casefold().split()) for item in GOALS]
    assert len(set(titles)) == len(titles)
    assert len(set(statements)) == len(statements)


@pytest.mark.parametrize("item", GOALS, ids=_named)
def test_each_entry_passes_the_bank_entrys_checks(item: dict) -> None:
    entry = goal_bank._bank_entry(Organization(), item)
    entry.full_clean(exclude=["organization"], validate_unique=False, validate_constraints=False)
    assert goal_bank.bank_entry_problems(entry) == {}
    assert set(item["gas_levels"]) == LEVEL_KEYS
    assert "{child}" in item["statement"]
    assert item["statement"].strip().endswith(".")
    assert len(item["mastery_criterion"]) <= 200  # longer would be cut when copied
    assert isinstance(item["strategies"], list) and len(item["strategies"]) >= 2
    low, high = item["age_range_months"]
    assert 0 <= low < high <= 216


@pytest.mark.parametrize("item", GOALS, ids=_named)
def test_each_entry_prefills_a_goal_the_goal_rules_accept(item: dict) -> None:
    start = datetime.date(2024, 1, 8)
    plan = Plan(
        discipline=item["discipline"], start_date=start, review_date=start.replace(year=2025)
    )
    child = Child(first_name="Sam")
    initial = goal_bank.fill_from_bank(goal_bank._bank_entry(Organization(), item), child)
    del initial["bank_entry"]
    # The mastery value and type come from the bank entry itself: nothing to add.
    assert (initial["mastery_value"], initial["mastery_sessions"]) == (
        item["mastery_value"],
        item["mastery_sessions"],
    )
    assert initial["lower_is_better"] == item["lower_is_better"]
    goal = Goal(discipline=item["discipline"], target_date=plan.review_date, **initial)
    goal.full_clean(
        exclude=["organization", "child", "plan", "bank_entry"],
        validate_unique=False,
        validate_constraints=False,
    )
    assert actions.goal_problems(goal, plan) == {}
    assert "Sam" in goal.statement and "{child}" not in goal.statement


@pytest.mark.parametrize("item", GOALS, ids=_named)
def test_lower_is_better_only_for_counts_and_durations(item: dict) -> None:
    if item["lower_is_better"]:
        assert item["measurement_type"] in (MeasurementType.FREQUENCY, MeasurementType.DURATION)


def test_a_new_clinic_gets_every_shipped_goal(world: "World") -> None:
    clinic = world.admin.organization
    assert goal_bank.ensure_goal_bank(clinic) == len(GOALS)
    copied = GoalBankEntry.objects.filter(organization=clinic)
    assert set(copied.values_list("domain", flat=True)) == set(Domain.values)
