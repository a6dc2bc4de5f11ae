"""Changes to plans, goals, signatures, COPM ratings and the goal bank.

Each runs in one transaction. Every change of a plan or of its goals bumps
``plan.version``, so a guardian's signature names exactly the version they read.
"""

import datetime
import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict

from .copm import MAX_ACTIVITIES
from .models import (
    CopmActivity,
    Goal,
    GoalBankEntry,
    GoalStatus,
    MeasurementType,
    Plan,
    PlanSignature,
    PlanStatus,
)

PLAN_FIELDS = ("discipline", "start_date", "review_date", "family_priorities", "summary")
GAS_FIELDS = ("gas_minus_2", "gas_minus_1", "gas_0", "gas_plus_1", "gas_plus_2")
GOAL_FIELDS = (
    "domain",
    "statement",
    "baseline",
    "target_date",
    "measurement_type",
    "mastery_value",
    "mastery_sessions",
    "mastery_criterion",
    "lower_is_better",
    *GAS_FIELDS,
    "gas_weight",
    "gas_baseline",
    "family_priority",
    "child_chosen",
    "child_words",
    "strategies",
    "position",
    "bank_entry",
)
COPM_FIELDS = (
    "activity",
    "importance",
    "initial_date",
    "initial_performance",
    "initial_satisfaction",
    "reassessed_on",
    "reassessed_performance",
    "reassessed_satisfaction",
)
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
    "min_age_months",
    "max_age_months",
    "is_active",
)
# The value that counts as mastery, on each measurement's own scale (None: no upper bound).
MASTERY_RANGES: dict[str, tuple[float, float | None]] = {
    MeasurementType.PERCENT_TRIALS: (0, 100),
    MeasurementType.TASK_ANALYSIS: (0, 100),
    MeasurementType.RATING: (1, 5),
    MeasurementType.FREQUENCY: (0, None),
    MeasurementType.DURATION: (0, None),
}
# Links to rows the caller already fetched through the access layer; not re-read to validate.
PARENTS = ("organization", "child", "plan", "author", "bank_entry")
GOAL_BANK_JSON = Path(__file__).parent / "data" / "goal_bank.json"


# --- Rules shared by forms and the API ------------------------------------------


def plan_problems(plan: Plan) -> dict[str, str]:
    """Return what is wrong with a plan, by field, in words a clinician can act on."""
    errors = {}
    if plan.start_date and plan.review_date and plan.review_date <= plan.start_date:
        errors["review_date"] = _("The review date must be after the start date.")
    return errors


def mastery_problem(measurement_type: str, mastery_value: float | None) -> str | None:
    """What is wrong with a goal's (or a bank entry's) mastery value for its measurement."""
    if not measurement_type or measurement_type == MeasurementType.GAS_ONLY:
        return None
    low, high = MASTERY_RANGES.get(measurement_type, (0, None))
    if mastery_value is None:
        return _("Give the value that counts as mastery (for example 80 for 80 % of trials).")
    if mastery_value < low or (high is not None and mastery_value > high):
        if high is None:
            return _("The mastery value cannot be negative.")
        return _("For this measurement the mastery value is between %(low)s and %(high)s.") % {
            "low": low,
            "high": high,
        }
    return None


def goal_problems(goal: Goal, plan: Plan) -> dict[str, str]:
    """Return what is wrong with a goal, by field."""
    errors: dict[str, str] = {}
    if goal.target_date and plan.start_date and goal.target_date <= plan.start_date:
        errors["target_date"] = _(
            "The target date must be after the plan's start date (%(start)s)."
        ) % {"start": plan.start_date.isoformat()}
    seen: set[str] = set()
    for name in GAS_FIELDS:
        text = " ".join((getattr(goal, name) or "").casefold().split())
        if not text:
            errors[name] = _("Describe this level: every goal needs all five GAS levels.")
        elif text in seen:
            errors[name] = _(
                "This level reads the same as another one: each level must describe a "
                "different outcome."
            )
        seen.add(text)
    if (problem := mastery_problem(goal.measurement_type, goal.mastery_value)) is not None:
        errors["mastery_value"] = problem
    if (goal.child_words or "").strip() and not goal.child_chosen:
        errors["child_words"] = _(
            "Only a goal the child chose has the child's own words: tick “chosen by the "
            "child” or leave this empty."
        )
    if goal.status == GoalStatus.DISCONTINUED and not (goal.status_reason or "").strip():
        errors["status_reason"] = _("Say why the goal was discontinued.")
    return errors


def copm_problems(activity: CopmActivity) -> dict[str, str]:
    errors = {}
    again = (activity.reassessed_performance, activity.reassessed_satisfaction)
    if any(v is not None for v in again) or activity.reassessed_on:
        if activity.reassessed_performance is None:
            errors["reassessed_performance"] = _("Give the new performance rating (1–10).")
        if activity.reassessed_satisfaction is None:
            errors["reassessed_satisfaction"] = _("Give the new satisfaction rating (1–10).")
        if not activity.reassessed_on:
            errors["reassessed_on"] = _("Give the date of the re-rating.")
        elif activity.initial_date and activity.reassessed_on < activity.initial_date:
            errors["reassessed_on"] = _("The re-rating cannot be before the first rating.")
    return errors


def _validate(obj: Any, problems: dict[str, str], exclude: tuple[str, ...] = ()) -> None:
    """Run the model's own field checks and the rules above; raise one error with all."""
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    for name, message in problems.items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _set(obj: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        setattr(obj, name, value)


def _locked_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk, organization_id=plan.organization_id)


def _bump(plan: Plan, at: datetime.datetime | None = None) -> None:
    plan.version += 1
    plan.save(at=at)


# --- Plans ---------------------------------------------------------------------


@transaction.atomic
def create_plan(
    by: Membership, child: Child, *, at: datetime.datetime | None = None, **fields: Any
) -> Plan:
    """Start a draft plan for a child."""
    plan = Plan(organization_id=child.organization_id, child=child, author=by)
    _set(plan, PLAN_FIELDS, fields)
    _validate(plan, plan_problems(plan), exclude=PARENTS)
    plan.save(at=at)
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, expected_version: int, **changes: Any) -> Plan:
    """Save changes made to ``expected_version`` of the plan, or raise Conflict."""
    current = _locked_plan(plan)
    if current.version != expected_version:
        raise Conflict(current.version)
    _set(current, PLAN_FIELDS, changes)
    _validate(current, plan_problems(current), exclude=PARENTS)
    if current.status == PlanStatus.ACTIVE and "discipline" in changes:
        _refuse_second_active(current)
    _bump(current)
    return current


def _refuse_second_active(plan: Plan) -> None:
    if _active_plans(plan).exists():
        raise ValidationError(
            {"discipline": _("This child already has an active plan for that discipline.")}
        )


def _active_plans(plan: Plan) -> QuerySet[Plan]:
    return Plan.objects.filter(
        organization_id=plan.organization_id,
        child_id=plan.child_id,
        discipline=plan.discipline,
        status=PlanStatus.ACTIVE,
    ).exclude(pk=plan.pk)


@transaction.atomic
def set_plan_status(
    plan: Plan, *, expected_version: int, status: str, at: datetime.datetime | None = None
) -> Plan:
    """Make a plan active (closing the discipline's previous active plan) or close it."""
    current = _locked_plan(plan)
    if current.version != expected_version:
        raise Conflict(current.version)
    if status == current.status:
        return current
    if status == PlanStatus.ACTIVE:
        if current.status == PlanStatus.CLOSED:
            raise ValidationError(
                {"status": _("A closed plan stays closed; start a new plan instead.")}
            )
        for old in _active_plans(current).select_for_update():
            old.status = PlanStatus.CLOSED
            _bump(old, at)
    elif status != PlanStatus.CLOSED:
        raise ValidationError({"status": _("A plan can be made active or closed.")})
    current.status = status
    _bump(current, at)
    return current


# --- Goals ---------------------------------------------------------------------


@transaction.atomic
def add_goal(plan: Plan, *, at: datetime.datetime | None = None, **fields: Any) -> Goal:
    """Add a goal to a draft or active plan."""
    current = _locked_plan(plan)
    if current.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is closed; add goals to a current plan."))
    goal = Goal(
        organization_id=current.organization_id,
        child_id=current.child_id,
        plan=current,
        discipline=current.discipline,
    )
    if "position" not in fields:
        goal.position = Goal.objects.filter(
            organization_id=current.organization_id, plan=current
        ).count()
    _set(goal, GOAL_FIELDS, fields)
    _validate(goal, goal_problems(goal, current), exclude=PARENTS)
    goal.save(at=at)
    _bump(current, at)
    return goal


def _locked_goal(goal: Goal, expected_version: int) -> tuple[Plan, Goal]:
    # Lock the plan first, then the goal, always in that order (no deadlocks).
    plan = Plan.objects.select_for_update().get(
        pk=goal.plan_id, organization_id=goal.organization_id
    )
    current = Goal.objects.select_for_update().get(pk=goal.pk, organization_id=goal.organization_id)
    if current.version != expected_version:
        raise Conflict(current.version)
    return plan, current


@transaction.atomic
def update_goal(goal: Goal, *, expected_version: int, **changes: Any) -> Goal:
    """Save changes made to ``expected_version`` of the goal, or raise Conflict."""
    plan, current = _locked_goal(goal, expected_version)
    status = changes.pop("status", None)
    reason = changes.pop("status_reason", None)
    _set(current, GOAL_FIELDS, changes)
    if status is not None:
        current.status = status
    if reason is not None:
        current.status_reason = reason
    _validate(current, goal_problems(current, plan), exclude=PARENTS)
    current.version += 1
    current.save()
    _bump(plan)
    return current


@transaction.atomic
def set_goal_status(goal: Goal, *, expected_version: int, status: str, reason: str = "") -> Goal:
    """Mark a goal met, on hold, discontinued (with a reason) or active again."""
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose met, on hold, discontinued or active.")})
    return update_goal(goal, expected_version=expected_version, status=status, status_reason=reason)


# --- Signatures ----------------------------------------------------------------


def plan_content(plan: Plan, goals: list[Goal]) -> dict[str, Any]:
    """The plan and its goals as a guardian reads them, in a stable shape."""
    fields = ("discipline", "start_date", "review_date", "family_priorities", "summary")
    goal_fields = ("id", "status", "status_reason", *GOAL_FIELDS)
    ordered = sorted(goals, key=lambda g: (g.position, g.created_at, str(g.id)))
    return {
        "plan": {"id": str(plan.id), "version": plan.version}
        | {name: getattr(plan, name) for name in fields},
        "goals": [
            {
                name: getattr(g, name + "_id" if name == "bank_entry" else name)
                for name in goal_fields
            }
            for g in ordered
        ],
    }


def content_hash(plan: Plan, goals: list[Goal]) -> str:
    """SHA-256 of the plan and goals as signed; any later change gives another hash."""
    text = json.dumps(plan_content(plan, goals), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _normalized(name: str) -> str:
    name = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(name.replace(".", " ").replace(",", " ").split())


def signing_name(membership: Membership) -> str:
    """The name a guardian types to sign: their name as the account has it."""
    return membership.user.get_full_name().strip()


def name_matches(typed: str, membership: Membership) -> bool:
    """Loosely: same letters and words as the account name, ignoring case and dots."""
    typed_n = _normalized(typed)
    expected = _normalized(signing_name(membership))
    if len(typed_n) < 2:
        return False
    return not expected or typed_n == expected


@transaction.atomic
def sign_plan(
    plan: Plan,
    guardian: Membership,
    typed_name: str,
    *,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> PlanSignature:
    """Record a guardian's typed-name signature of the plan's current version (the entry
    points check that the guardian may sign it: ``plans.sign_as_guardian``)."""
    current = _locked_plan(plan)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(current.version)
    if current.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Only the current plan can be signed."))
    if not name_matches(typed_name, guardian):
        expected = signing_name(guardian)
        message = (
            _("Type your full name exactly as: %(name)s") % {"name": expected}
            if expected
            else _("Type your full name (at least two letters).")
        )
        raise ValidationError({"typed_name": [message]})
    existing = PlanSignature.objects.filter(
        organization_id=current.organization_id,
        plan=current,
        plan_version=current.version,
        guardian=guardian,
    ).first()
    if existing:
        return existing
    goals = list(Goal.objects.filter(organization_id=current.organization_id, plan=current))
    signature = PlanSignature(
        organization_id=current.organization_id,
        child_id=current.child_id,
        plan=current,
        plan_version=current.version,
        guardian=guardian,
        typed_name=" ".join(typed_name.split()),
        signed_at=at or clock.now(),
        content_hash=content_hash(current, goals),
    )
    signature.save(at=at)
    return signature


# --- COPM ----------------------------------------------------------------------


@transaction.atomic
def add_copm_activity(
    plan: Plan, /, *, at: datetime.datetime | None = None, **fields: Any
) -> CopmActivity:
    """Add one of up to five family-chosen activities with its first ratings."""
    current = _locked_plan(plan)
    taken = CopmActivity.objects.filter(organization_id=current.organization_id, plan=current)
    if taken.count() >= MAX_ACTIVITIES:
        raise ValidationError(
            _("A plan has at most five COPM activities; re-rate or replace one instead.")
        )
    activity = CopmActivity(
        organization_id=current.organization_id, child_id=current.child_id, plan=current
    )
    _set(activity, COPM_FIELDS, fields)
    _validate(activity, copm_problems(activity), exclude=PARENTS)
    activity.save(at=at)
    return activity


@transaction.atomic
def update_copm_activity(
    record: CopmActivity, /, *, at: datetime.datetime | None = None, **changes: Any
) -> CopmActivity:
    """Change an activity's wording or ratings, or record its re-assessment."""
    current = CopmActivity.objects.select_for_update().get(
        pk=record.pk, organization_id=record.organization_id
    )
    _set(current, COPM_FIELDS, changes)
    _validate(current, copm_problems(current), exclude=PARENTS)
    current.save(at=at)
    return current


# --- Goal bank -----------------------------------------------------------------


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
    _set(entry, BANK_FIELDS, fields)
    _validate(entry, bank_entry_problems(entry), exclude=("organization",))
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
    }
    for key, field in zip(("-2", "-1", "0", "1", "2"), GAS_FIELDS, strict=True):
        initial[field] = fill(levels.get(key, ""))
    return initial
