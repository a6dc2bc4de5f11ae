"""Pages of a child's school plans (IEP, IFSP, 504): the list with the clinic goals each
school goal is linked to and the dates they raise, and the editors' forms."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, not_found, permits
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors
from tandem.core.idempotency import idempotent
from tandem.plans.access import goals_of
from tandem.plans.models import GoalStatus
from tandem.plans.rules import VIEW as PLANS_VIEW

from . import actions
from .access import get_school_plan, school_goals_of, school_plans_of
from .forms import SchoolGoalForm, SchoolPlanForm
from .models import SchoolGoal, SchoolPlan
from .reminders import reminders_for, transition_window
from .rules import EDIT, VIEW


def _posted(request: MemberRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _index_url(child: Child) -> str:
    return reverse("schoolplans:index", args=[child.pk])


def _plan(request: MemberRequest, child: Child, plan_id: uuid.UUID) -> SchoolPlan:
    return get_school_plan(request.membership, child, plan_id)


def _goal(request: MemberRequest, child: Child, goal_id: uuid.UUID) -> SchoolGoal:
    try:
        goal = school_goals_of(request.membership, child).select_related("plan").get(pk=goal_id)
    except SchoolGoal.DoesNotExist as exc:
        raise not_found() from exc
    goal.plan.child = child
    return goal


def _linkable(request: MemberRequest, child: Child) -> Any:
    return (
        goals_of(request.membership, child)
        .exclude(status=GoalStatus.DISCONTINUED)
        .select_related("plan")
    )


@require_GET
@permits(VIEW)
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The child's school plans, newest first, with their goals and linked clinic goals."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    plans = list(school_plans_of(membership, child))
    today = clock.today()
    opens, closes = transition_window(child)
    context = {
        "child": child,
        "tab": "school",
        "active_plans": [p for p in plans if p.is_active],
        "past_plans": [p for p in plans if not p.is_active],
        "reminders": reminders_for(child, plans, today),
        "transition_opens": opens,
        "transition_closes": closes,
        "can_edit": allows(membership, EDIT, child=child),
        "staff_words": membership.is_staff_member,
    }
    return render(request, "schoolplans/index.html", context)


@permits(EDIT, gate=PLANS_VIEW)
@idempotent("schoolplans.new")
def plan_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_for(request, child_id, EDIT)
    log_access(request, [child])
    form = SchoolPlanForm(_posted(request), initial={"start_date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(request.membership, child, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The school plan was added. Add its goals next."))
            return redirect(plan.get_absolute_url())
    context = {"form": form, "child": child, "tab": "school"}
    return render(
        request,
        "schoolplans/plan_form.html",
        context,
    )


@permits(EDIT, gate=PLANS_VIEW)
def plan_edit(
    request: MemberRequest, child_id: uuid.UUID, school_plan_id: uuid.UUID
) -> HttpResponse:
    child = child_for(request, child_id, EDIT)
    plan = _plan(request, child, school_plan_id)
    log_access(request, [child])
    form = SchoolPlanForm(_posted(request), instance=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan(
                plan, expected_version=form.cleaned_data.get("version") or 0, **form.changes()
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The school plan was saved."))
            return redirect(plan.get_absolute_url())
    status = 409 if conflict else 200
    context = {"form": form, "child": child, "tab": "school", "plan": plan, "conflict": conflict}
    return render(request, "schoolplans/plan_form.html", context, status=status)


@require_POST
@permits(EDIT, gate=PLANS_VIEW)
def plan_end(
    request: MemberRequest, child_id: uuid.UUID, school_plan_id: uuid.UUID
) -> HttpResponse:
    """Mark a school plan as ended today (the school replaced or closed it)."""
    child = child_for(request, child_id, EDIT)
    plan = _plan(request, child, school_plan_id)
    log_access(request, [child])
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        actions.end_plan(plan, expected_version=version, on=clock.today())
    except Conflict:
        messages.error(
            request, _("The plan changed while you were looking at it. Check it, then try again.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The school plan was marked as ended."))
    return redirect(_index_url(child))


@permits(EDIT, gate=PLANS_VIEW)
@idempotent("schoolplans.goal_new")
def goal_new(
    request: MemberRequest, child_id: uuid.UUID, school_plan_id: uuid.UUID
) -> HttpResponse:
    child = child_for(request, child_id, EDIT)
    plan = _plan(request, child, school_plan_id)
    log_access(request, [child])
    form = SchoolGoalForm(_posted(request), clinic_goals=_linkable(request, child))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_goal(plan, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The school goal was added."))
            return redirect(plan.get_absolute_url())
    context = {"form": form, "child": child, "tab": "school", "plan": plan}
    return render(
        request,
        "schoolplans/goal_form.html",
        context,
    )


@permits(EDIT, gate=PLANS_VIEW)
def goal_edit(
    request: MemberRequest, child_id: uuid.UUID, school_goal_id: uuid.UUID
) -> HttpResponse:
    child = child_for(request, child_id, EDIT)
    goal = _goal(request, child, school_goal_id)
    log_access(request, [child])
    form = SchoolGoalForm(_posted(request), instance=goal, clinic_goals=_linkable(request, child))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_goal(
                goal, expected_version=form.cleaned_data.get("version") or 0, **form.changes()
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The school goal was saved."))
            return redirect(goal.plan.get_absolute_url())
    status = 409 if conflict else 200
    context = {
        "form": form,
        "child": child,
        "tab": "school",
        "plan": goal.plan,
        "goal": goal,
        "conflict": conflict,
    }
    return render(request, "schoolplans/goal_form.html", context, status=status)
