"""Changes to a child's school plans and their goals (each in one transaction; a save made
to an older version is refused with ``Conflict``)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.access import Conflict
from tandem.plans.models import Goal

from .models import SchoolGoal, SchoolGoalLink, SchoolPlan
from .reminders import default_review

PLAN_FIELDS = ("kind", "provider", "start_date", "review_due", "notes")
GOAL_FIELDS = ("statement", "area")


def plan_problems(plan: SchoolPlan) -> dict[str, str]:
    errors: dict[str, str] = {}
    if plan.start_date and plan.review_due and plan.review_due <= plan.start_date:
        errors["review_due"] = _("The next review must be after the plan's date.")
    if plan.ended_on and plan.start_date and plan.ended_on < plan.start_date:
        errors["ended_on"] = _("A plan cannot end before its date.")
    return errors


def _validate(obj: Any, problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)
    obj.full_clean(exclude=["organization", "child", "plan", "author", "clinic_goals"])


def _set(obj: Any, fields: Iterable[str], changes: dict[str, Any]) -> None:
    for name in fields:
        if name in changes:
            setattr(obj, name, changes[name])


@transaction.atomic
def create_plan(membership: Membership, child: Child, **changes: Any) -> SchoolPlan:
    plan = SchoolPlan(organization_id=child.organization_id, child=child, author=membership)
    _set(plan, PLAN_FIELDS, changes)
    if not plan.review_due and plan.kind and plan.start_date:
        plan.review_due = default_review(plan.kind, plan.start_date)
    _validate(plan, plan_problems(plan))
    plan.save()
    return plan


def _locked(model: Any, obj: Any, expected_version: int) -> Any:
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != expected_version:
        raise Conflict(current.version)
    return current


@transaction.atomic
def update_plan(plan: SchoolPlan, *, expected_version: int, **changes: Any) -> SchoolPlan:
    current = _locked(SchoolPlan, plan, expected_version)
    _set(current, PLAN_FIELDS, changes)
    if not current.review_due:
        current.review_due = default_review(current.kind, current.start_date)
    _validate(current, plan_problems(current))
    current.version += 1
    current.save()
    return current


@transaction.atomic
def end_plan(plan: SchoolPlan, *, expected_version: int, on: datetime.date) -> SchoolPlan:
    current = _locked(SchoolPlan, plan, expected_version)
    if current.ended_on is not None:
        raise ValidationError(_("This plan has already ended."))
    current.ended_on = on
    _validate(current, plan_problems(current))
    current.version += 1
    current.save()
    return current


def _check_links(child: Child, clinic_goals: Iterable[Goal]) -> list[Goal]:
    """The clinic goals to link: each must be this child's (the caller read them through
    the access layer; this guards the API and forged forms)."""
    goals = list(clinic_goals)
    if any(g.child_id != child.pk or g.organization_id != child.organization_id for g in goals):
        raise ValidationError({"clinic_goals": _("Link only this child's own clinic goals.")})
    return goals


def _link(goal: SchoolGoal, links: list[Goal]) -> None:
    """Make the goal's links exactly ``links`` (the current ones read from the link table,
    not through the clinic goals, which the caller already scoped)."""
    rows = SchoolGoalLink.objects.filter(organization_id=goal.organization_id, school_goal=goal)
    old = {row.goal_id: row for row in rows}
    new = {g.pk for g in links}
    for goal_id in set(old) - new:
        old[goal_id].delete()  # one by one: the history records each removal
    for goal_id in new - set(old):
        SchoolGoalLink.objects.create(
            organization_id=goal.organization_id,
            child_id=goal.child_id,
            school_goal=goal,
            goal_id=goal_id,
        )


@transaction.atomic
def add_goal(plan: SchoolPlan, *, clinic_goals: Iterable[Goal] = (), **changes: Any) -> SchoolGoal:
    if plan.ended_on is not None:
        raise ValidationError(_("This plan has ended: its goals can no longer change."))
    goal = SchoolGoal(organization_id=plan.organization_id, child_id=plan.child_id, plan=plan)
    _set(goal, GOAL_FIELDS, changes)
    goal.position = SchoolGoal.objects.filter(plan=plan).count()
    links = _check_links(plan.child, clinic_goals)
    _validate(goal, {})
    goal.save()
    _link(goal, links)
    return goal


@transaction.atomic
def update_goal(
    goal: SchoolGoal,
    *,
    expected_version: int,
    clinic_goals: Iterable[Goal] | None = None,
    **changes: Any,
) -> SchoolGoal:
    current = _locked(SchoolGoal, goal, expected_version)
    if goal.plan.ended_on is not None:
        raise ValidationError(_("This plan has ended: its goals can no longer change."))
    _set(current, GOAL_FIELDS, changes)
    _validate(current, {})
    current.version += 1
    current.save()
    if clinic_goals is not None:
        _link(current, _check_links(goal.plan.child, clinic_goals))
    return current
