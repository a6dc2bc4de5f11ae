"""The CDC developmental milestone checklists and which one fits a child's age.

Source: the CDC "Learn the Signs. Act Early." checklists, 2022 revision
(Zubler JM et al. Evidence-Informed Milestones for Developmental Surveillance Tools.
Pediatrics 2022;149(3):e2021052138), shipped in ``data/cdc_milestones_2022.json``.
They are US government work in the public domain. Each milestone is something
most children (75% or more) do by the checklist age.

Which checklist: the latest one whose age the child has reached, in completed
months (a child of 20 months gets the 18-month list, of 24 months the 2-year
list). Age is corrected for prematurity (chronological age minus 40 - weeks of
gestation, in weeks) when the child was born before 37 weeks and is younger than
24 months. Younger than 2 months (after correction) gets the 2-month list, the
first there is; older than 5 years keeps the 5-year list, the last there is. A
date before birth is a ValueError.
"""

import copy
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "cdc_milestones_2022.json"

DOMAINS = ("social_emotional", "language_communication", "cognitive", "movement_physical")
CHECKLIST_MONTHS = (2, 4, 6, 9, 12, 15, 18, 24, 30, 36, 48, 60)

PRETERM_BELOW_WEEKS = 37  # born before 37 completed weeks
TERM_WEEKS = 40
CORRECT_UNTIL_MONTHS = 24  # corrected age is used until two years (chronological)


@dataclass(frozen=True)
class ChecklistForAge:
    """The checklist chosen for a child on a day, and the age it was chosen by."""

    months: int  # the checklist's age
    corrected: bool  # chosen by corrected age
    age_months: int  # the age used for the choice, in completed months
    milestones: tuple[dict[str, Any], ...]


def checklist(months: int) -> list[dict[str, Any]] | None:
    """Return the milestones of the ``months`` checklist (id, domain, text), or None if none."""
    items = _checklists().get(months)
    return None if items is None else copy.deepcopy(list(items))


def checklist_for(
    date_of_birth: date, on: date, gestational_age_weeks: int | None = None
) -> ChecklistForAge:
    """Choose the checklist for a child's (corrected) age on a day; see the module rules."""
    if on < date_of_birth:
        raise ValueError("The date is before the child's birth.")
    age = completed_months(date_of_birth, on)
    corrected = is_corrected(age, gestational_age_weeks)
    if corrected and gestational_age_weeks is not None:
        due = date_of_birth + timedelta(weeks=TERM_WEEKS - gestational_age_weeks)
        age = completed_months(due, on) if on >= due else 0
    months = max((m for m in CHECKLIST_MONTHS if m <= age), default=CHECKLIST_MONTHS[0])
    return ChecklistForAge(
        months=months,
        corrected=corrected,
        age_months=age,
        milestones=tuple(checklist(months) or ()),
    )


def is_corrected(chronological_months: int, gestational_age_weeks: int | None) -> bool:
    """Say whether age is corrected: born before 37 weeks and not yet two years old."""
    return (
        gestational_age_weeks is not None
        and 0 < gestational_age_weeks < PRETERM_BELOW_WEEKS
        and chronological_months < CORRECT_UNTIL_MONTHS
    )


def completed_months(start: date, on: date) -> int:
    """Whole months from ``start`` to ``on`` (a month is complete on the same day of month)."""
    months = (on.year - start.year) * 12 + on.month - start.month
    if on.day < start.day:
        months -= 1
    return max(months, 0)


def metadata() -> dict[str, Any]:
    """The source, citation and licence of the shipped checklists."""
    return copy.deepcopy(_data()["metadata"])


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


@cache
def _checklists() -> dict[int, tuple[dict[str, Any], ...]]:
    return {int(entry["months"]): tuple(entry["milestones"]) for entry in _data()["checklists"]}
