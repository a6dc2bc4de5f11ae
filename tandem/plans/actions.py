"""Changes to plans, goals and COPM ratings, and the rules forms and the API share
(a guardian's signature: ``signatures.py``; the goal bank: ``goal_bank.py``).

Each runs in one transaction. Every change of a plan or of its goals bumps
``plan.version``, so a guardian's signature names exactly the version they read.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.access import Conflict

from .copm import MAX_ACTIVITIES
from .models import (
    MAX_TASK_STEPS,
    CopmActivity,
    Goal,
    GoalStatus,
    MeasurementType,
    Plan,
    PlanStatus,
)
from .wording import WORDING_FIELDS, drafts, wording_problems

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
    "task_steps",
    "chaining",
    *GAS_FIELDS,
    "gas_weight",
    "gas_baseline",
    "family_priority",
    "child_chosen",
    "child_words",
    "strategies",
    *WORDING_FIELDS,
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
# The value that counts as mastery, on each measurement's own scale (None: no upper bound).
MASTERY_RANGES: dict[str, tuple[float, float | None]] = {
    MeasurementType.PERCENT_TRIALS: (0, 100),
    MeasurementType.TASK_ANALYSIS: (0, 100),
    MeasurementType.RATING: (1, 5),
    MeasurementType.FREQUENCY: (0, None),
    MeasurementType.DURATION: (0, None),
    MeasurementType.RATE: (0, None),
    MeasurementType.LATENCY: (0, None),
    MeasurementType.PARTIAL_INTERVAL: (0, 100),
    MeasurementType.WHOLE_INTERVAL: (0, 100),
    MeasurementType.MOMENTARY_SAMPLING: (0, 100),
}
# Links to rows the caller already fetched through the access layer; not re-read to validate.
PARENTS = ("organization", "child", "plan", "author", "bank_entry")


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
    if len(goal.step_list) > MAX_TASK_STEPS:
        errors["task_steps"] = _("At most %(n)s steps in a task.") % {"n": MAX_TASK_STEPS}
    if (goal.child_words or "").strip() and not goal.child_chosen:
        errors["child_words"] = _(
            "Only a goal the child chose has the child's own words: tick “chosen by the "
            "child” or leave this empty."
        )
    if goal.status == GoalStatus.DISCONTINUED and not (goal.status_reason or "").strip():
        errors["status_reason"] = _("Say why the goal was discontinued.")
    errors.update(wording_problems(goal))
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


def validate(obj: Any, problems: dict[str, str], exclude: tuple[str, ...] = ()) -> None:
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


def set_fields(obj: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> None:
    """Set the changed fields; a field not in ``allowed`` is a programming error."""
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        setattr(obj, name, value)


def locked_plan(plan: Plan) -> Plan:
    """The plan, row-locked until the transaction ends."""
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
    set_fields(plan, PLAN_FIELDS, fields)
    validate(plan, plan_problems(plan), exclude=PARENTS)
    plan.save(at=at)
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, expected_version: int, **changes: Any) -> Plan:
    """Save changes made to ``expected_version`` of the plan, or raise Conflict."""
    current = locked_plan(plan)
    if current.version != expected_version:
        raise Conflict(current.version)
    set_fields(current, PLAN_FIELDS, changes)
    validate(current, plan_problems(current), exclude=PARENTS)
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
    current = locked_plan(plan)
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
    current = locked_plan(plan)
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
    set_fields(goal, GOAL_FIELDS, fields)
    # Every goal has family and child wordings: a wording not given is the draft.
    for name, text in drafts(current.child, goal.domain, goal.bank_entry).items():
        if not (getattr(goal, name) or "").strip():
            setattr(goal, name, text)
    validate(goal, goal_problems(goal, current), exclude=PARENTS)
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
    set_fields(current, GOAL_FIELDS, changes)
    if status is not None:
        current.status = status
    if reason is not None:
        current.status_reason = reason
    validate(current, goal_problems(current, plan), exclude=PARENTS)
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


# --- COPM ----------------------------------------------------------------------


@transaction.atomic
def add_copm_activity(
    plan: Plan, /, *, at: datetime.datetime | None = None, **fields: Any
) -> CopmActivity:
    """Add one of up to five family-chosen activities with its first ratings."""
    current = locked_plan(plan)
    taken = CopmActivity.objects.filter(organization_id=current.organization_id, plan=current)
    if taken.count() >= MAX_ACTIVITIES:
        raise ValidationError(
            _("A plan has at most five COPM activities; re-rate or replace one instead.")
        )
    activity = CopmActivity(
        organization_id=current.organization_id, child_id=current.child_id, plan=current
    )
    set_fields(activity, COPM_FIELDS, fields)
    validate(activity, copm_problems(activity), exclude=PARENTS)
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
    set_fields(current, COPM_FIELDS, changes)
    validate(current, copm_problems(current), exclude=PARENTS)
    current.save(at=at)
    return current
