"""The goal bank: the goals Tandem ships, copied into each organization on first use, the
organization's own entries, and a goal's starting values from an entry.

The shipped goals are in ``data/goal_bank.json``; a bank text may name the child as
``{child}``.
"""

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Organization
from tandem.children.models import Child

from .actions import GAS_FIELDS, mastery_problem, set_fields, validate
from .models import GoalBankEntry
from .wording import LANGS, WORDING_FIELDS, drafts

BANK_FIELDS = (
    "discipline",
    "domain",
    "statement",
    "baseline_example",
    "measurement_type",
    "mastery_value",
    "mastery_sessions",
    "mastery_criterion",
    "lower_is_better",
    "gas_levels",
    "strategies",
    *WORDING_FIELDS,
    "min_age_months",
    "max_age_months",
    "is_active",
)
GOAL_BANK_JSON = Path(__file__).parent / "data" / "goal_bank.json"


def shipped_goal_bank() -> list[dict[str, Any]]:
    """The goals Tandem ships, as written in data/goal_bank.json (none if it is missing)."""
    if not GOAL_BANK_JSON.exists():
        return []
    data = json.loads(GOAL_BANK_JSON.read_text(encoding="utf-8"))
    return data["goals"] if isinstance(data, dict) else data


def _age_range(item: dict[str, Any]) -> tuple[int, int]:
    ages = item.get("age_range_months") or (0, 216)
    if isinstance(ages, dict):
        return int(ages.get("min", 0)), int(ages.get("max", 216))
    return int(ages[0]), int(ages[1])


def _bank_entry(organization: Organization, item: dict[str, Any]) -> GoalBankEntry:
    low, high = _age_range(item)
    strategies = item.get("strategies") or []
    wordings = {
        f"{key}_{lang}": str((item.get(key) or {}).get(lang, ""))
        for key in ("family_wording", "child_wording")
        for lang in LANGS
    }
    return GoalBankEntry(
        organization=organization,
        discipline=item["discipline"],
        domain=item["domain"],
        statement=item["statement"],
        baseline_example=item.get("baseline_example", ""),
        measurement_type=item["measurement_type"],
        mastery_value=item.get("mastery_value"),
        mastery_sessions=item.get("mastery_sessions") or 3,
        mastery_criterion=item.get("mastery_criterion", "")[:200],
        lower_is_better=bool(item.get("lower_is_better")),
        gas_levels={str(k): v for k, v in item["gas_levels"].items()},
        strategies=[strategies] if isinstance(strategies, str) else list(strategies),
        min_age_months=low,
        max_age_months=high,
        **wordings,
    )


def ensure_goal_bank(organization: Organization) -> int:
    """Copy the shipped goal bank into the organization the first time; return rows added."""
    if GoalBankEntry.objects.filter(organization=organization).exists():
        return 0
    with transaction.atomic():
        # Two first visits at once: the second waits here, then finds the rows.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        if GoalBankEntry.objects.filter(organization=organization).exists():
            return 0
        entries = [_bank_entry(organization, item) for item in shipped_goal_bank()]
        if not entries:
            return 0
        GoalBankEntry.objects.bulk_create(entries)
        return len(entries)


def bank_entry_problems(entry: GoalBankEntry) -> dict[str, str]:
    errors = {}
    levels = entry.gas_levels if isinstance(entry.gas_levels, dict) else {}
    texts = [
        " ".join(str(levels.get(k, "")).casefold().split()) for k in ("-2", "-1", "0", "1", "2")
    ]
    if not all(texts):
        errors["gas_levels"] = _("Describe all five GAS levels.")
    elif len(set(texts)) < 5:
        errors["gas_levels"] = _("Each GAS level must describe a different outcome.")
    if entry.min_age_months > entry.max_age_months:
        errors["max_age_months"] = _("The oldest age must not be below the youngest.")
    if (problem := mastery_problem(entry.measurement_type, entry.mastery_value)) is not None:
        errors["mastery_value"] = problem
    return errors


@transaction.atomic
def save_bank_entry(entry: GoalBankEntry, **fields: Any) -> GoalBankEntry:
    """Add or change an entry of the organization's goal bank."""
    set_fields(entry, BANK_FIELDS, fields)
    validate(entry, bank_entry_problems(entry), exclude=("organization",))
    entry.save()
    return entry


def with_child_name(text: str, child: Child) -> str:
    """A bank text with its ``{child}`` placeholders filled with the child's name."""
    return str(text).replace("{child}", child.preferred_name or child.first_name)


def fill_from_bank(entry: GoalBankEntry, child: Child) -> dict[str, Any]:
    """The goal form's starting values from a bank entry, with the child's name filled in."""

    def fill(text: str) -> str:
        return with_child_name(text, child)

    levels = entry.gas_levels or {}
    initial = {
        "domain": entry.domain,
        "statement": fill(entry.statement),
        "baseline": fill(entry.baseline_example),
        "measurement_type": entry.measurement_type,
        "mastery_value": entry.mastery_value,
        "mastery_sessions": entry.mastery_sessions,
        "mastery_criterion": fill(entry.mastery_criterion),
        "lower_is_better": entry.lower_is_better,
        "strategies": "\n".join(fill(s) for s in entry.strategies or []),
        "bank_entry": entry.id,
        **drafts(child, entry.domain, entry),
    }
    for key, field in zip(("-2", "-1", "0", "1", "2"), GAS_FIELDS, strict=True):
        initial[field] = fill(levels.get(key, ""))
    return initial
