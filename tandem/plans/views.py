"""Pages of the Plan tab: plans, goals with GAS, signatures and COPM (the goal bank's
pages: ``views_goal_bank.py``).

Every page of a child's plans opens to the roles that read them (``plans.view``: the
front desk, billing and collaborators find none); each then asks ``child_for`` about its
own action: a reader finds no form they may not use (404) and is refused a write (403).
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, not_found, permits
from tandem.access.views import check
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors

from . import actions, signatures
from .access import copm_of, goal_bank_for, goals_of, plans_of
from .copm import MAX_ACTIVITIES, summarize
from .family import for_family
from .forms import CopmForm, GoalForm, GoalStatusForm, PlanForm, PlanStatusForm, SignForm
from .goal_bank import fill_from_bank
from .models import CopmActivity, Goal, GoalBankEntry, GoalStatus, Plan, PlanStatus
from .reading import describe, plans_with_goals
from .rules import EDIT, SIGN_AS_GUARDIAN, VIEW
from .wording import readability_warnings


def _posted(request: HttpRequest) -> Any:
    """The submitted data of a POST (even an empty one), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _plan(request: MemberRequest, child: Child, plan_id: uuid.UUID) -> Plan:
    """A plan of the child (found through ``child_for``) the member reads, else 404."""
    try:
        plan = plans_of(request.membership, child).get(pk=plan_id)
    except Plan.DoesNotExist as exc:
        raise not_found() from exc
    plan.child = child
    return plan


def _goal(request: MemberRequest, child: Child, goal_id: uuid.UUID) -> Goal:
    try:
        goal = goals_of(request.membership, child).select_related("plan").get(pk=goal_id)
    except Goal.DoesNotExist as exc:
        raise not_found() from exc
    goal.child = child
    return goal


def _described_plan(request: MemberRequest, child: Child, plan_id: uuid.UUID) -> Plan:
    membership = request.membership
    try:
        plan = plans_with_goals(membership, child).get(pk=plan_id)
    except Plan.DoesNotExist as exc:
        raise not_found() from exc
    plan.child = child
    return describe(plan, membership, clock.today())


@require_GET
@permits(VIEW)
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The Plan tab: current plans by discipline, drafts and past plans."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    today = clock.today()
    plans = [describe(p, membership, today) for p in plans_with_goals(membership, child)]
    if membership.is_guardian:
        for plan in plans:
            plan.family_goals = for_family(plan.goal_list)
    context = {
        "child": child,
        "tab": "plan",
        "active_plans": sorted(
            (p for p in plans if p.status == PlanStatus.ACTIVE), key=lambda p: p.discipline
        ),
        "draft_plans": [p for p in plans if p.status == PlanStatus.DRAFT],
        "past_plans": [p for p in plans if p.status == PlanStatus.CLOSED],
        "can_sign": allows(membership, SIGN_AS_GUARDIAN, child=child),
        "can_edit": allows(membership, EDIT, child=child),
    }
    return render(request, "plans/index.html", context)


@permits(VIEW)
def plan_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Start a draft plan (editors)."""
    membership = request.membership
    child = child_for(request, child_id, EDIT)
    log_access(request, [child])
    initial = {"discipline": membership.discipline, "start_date": clock.today()}
    form = PlanForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(membership, child, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The plan was started. Add its goals next."))
            return redirect(plan.get_absolute_url())
    return render(request, "plans/plan_form.html", {"form": form, "child": child, "tab": "plan"})


@require_GET
@permits(VIEW)
def detail(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """One plan with its goals; families read it in plain language and sign it here."""
    child = child_for(request, child_id, VIEW)
    plan = _described_plan(request, child, plan_id)
    log_access(request, [child])
    return _render_detail(request, plan)


def _render_detail(
    request: MemberRequest,
    plan: Plan,
    *,
    sign_form: SignForm | None = None,
    status: int = 200,
    conflict: bool = False,
) -> HttpResponse:
    membership = request.membership
    child = plan.child
    can_sign = allows(membership, SIGN_AS_GUARDIAN, child=child)
    if membership.is_guardian:
        plan.family_goals = for_family(plan.goal_list)
    if can_sign and sign_form is None:
        sign_form = SignForm(
            initial={"version": plan.version}, expected_name=signatures.signing_name(membership)
        )
    context = {
        "child": child,
        "tab": "plan",
        "plan": plan,
        "can_sign": can_sign,
        "can_edit": allows(membership, EDIT, child=child),
        "sign_form": sign_form,
        "sign_conflict": conflict,
        "signing_name": signatures.signing_name(membership),
        "copm": summarize(plan.copm_activities.all()),
        "copm_full": len(plan.copm_activities.all()) >= MAX_ACTIVITIES,
        "goal_statuses": GoalStatus.choices,
    }
    return render(request, "plans/detail.html", context, status=status)


@permits(VIEW)
def plan_edit(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Edit a plan; a save based on an older version is refused with a conflict (409)."""
    plan = _plan(request, child_for(request, child_id, EDIT), plan_id)
    log_access(request, [plan.child])
    form = PlanForm(_posted(request), instance=plan)
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
            messages.success(request, _("The plan was saved."))
            return redirect(plan.get_absolute_url())
    context = {"form": form, "child": plan.child, "tab": "plan", "plan": plan, "conflict": conflict}
    return render(request, "plans/plan_form.html", context, status=409 if conflict else 200)


@require_POST
@permits(VIEW)
def plan_status(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Make a draft the active plan (closing the previous one) or close a plan."""
    plan = _plan(request, child_for(request, child_id, EDIT), plan_id)
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to make the plan active or close it."))
        return redirect(plan.get_absolute_url())
    try:
        actions.set_plan_status(
            plan, expected_version=form.cleaned_data["version"], status=form.cleaned_data["status"]
        )
    except Conflict:
        messages.error(
            request, _("The plan changed while you were looking at it. Check it, then try again.")
        )
        return redirect(plan.get_absolute_url())
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        if form.cleaned_data["status"] == PlanStatus.ACTIVE:
            messages.success(request, _("This is now the active plan."))
        else:
            messages.success(request, _("The plan was closed."))
    return redirect(plan.get_absolute_url())


@permits(VIEW)
def goal_new(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Add a goal, from scratch or starting from a goal-bank entry (``?bank=<id>``)."""
    membership = request.membership
    plan = _plan(request, child_for(request, child_id, EDIT), plan_id)
    log_access(request, [plan.child])
    bank = goal_bank_for(membership).filter(is_active=True)
    initial: dict[str, Any] = {"target_date": plan.review_date}
    entry = _bank_entry(bank, request.GET.get("bank"))
    if entry is not None:
        initial |= fill_from_bank(entry, plan.child)
    form = GoalForm(_posted(request), plan=plan, bank=bank, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.add_goal(plan, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The goal was added."))
            _warn_readability(request, added)
            return redirect(plan.get_absolute_url())
    context = {"form": form, "child": plan.child, "tab": "plan", "plan": plan, "entry": entry}
    return render(request, "plans/goal_form.html", context)


def _bank_entry(bank: QuerySet[GoalBankEntry], entry_id: str | None) -> GoalBankEntry | None:
    if not entry_id:
        return None
    try:
        return bank.get(pk=entry_id)
    except (GoalBankEntry.DoesNotExist, ValidationError, ValueError):
        return None


@permits(VIEW)
def goal_edit(request: MemberRequest, child_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """Edit a goal; a stale version is refused with a conflict (409)."""
    membership = request.membership
    goal = _goal(request, child_for(request, child_id, EDIT), goal_id)
    log_access(request, [goal.child])
    form = GoalForm(_posted(request), instance=goal, plan=goal.plan, bank=goal_bank_for(membership))
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        changes.pop("bank_entry", None)
        try:
            saved = actions.update_goal(
                goal, expected_version=form.cleaned_data.get("version") or 0, **changes
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The goal was saved."))
            _warn_readability(request, saved)
            return redirect(goal.plan.get_absolute_url())
    context = {
        "form": form,
        "child": goal.child,
        "tab": "plan",
        "plan": goal.plan,
        "goal": goal,
        "conflict": conflict,
    }
    return render(request, "plans/goal_form.html", context, status=409 if conflict else 200)


@require_POST
@permits(VIEW)
def goal_status(request: MemberRequest, child_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """Mark a goal met, on hold, discontinued (with a reason) or active again."""
    goal = _goal(request, child_for(request, child_id, EDIT), goal_id)
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(goal.plan.get_absolute_url())
    try:
        actions.set_goal_status(
            goal,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except Conflict:
        messages.error(
            request, _("The goal changed while you were looking at it. Check it, then try again.")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The goal's status was updated."))
    return redirect(goal.plan.get_absolute_url())


@require_POST
@permits(VIEW)
def sign(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """A guardian with legal authority signs the version of the plan they read."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    plan = _described_plan(request, child, plan_id)
    if membership.is_admin:
        # Admins run the plan but never sign for a family: they are told so, not refused.
        messages.error(request, _("Only a parent or guardian with legal authority signs the plan."))
        return redirect(plan.get_absolute_url())
    check(request, SIGN_AS_GUARDIAN, child=child)
    log_access(request, [child])
    form = SignForm(request.POST, expected_name=signatures.signing_name(membership))
    if form.is_valid():
        try:
            signatures.sign_plan(
                plan,
                membership,
                form.cleaned_data["typed_name"],
                expected_version=form.cleaned_data["version"],
            )
        except Conflict:
            fresh = SignForm(
                initial={"version": plan.version}, expected_name=signatures.signing_name(membership)
            )
            return _render_detail(request, plan, sign_form=fresh, status=409, conflict=True)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Thank you. You signed the plan."))
            return redirect(plan.get_absolute_url())
    return _render_detail(request, plan, sign_form=form)


@permits(VIEW)
def copm_new(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Add a family-chosen COPM activity with its first ratings (up to five per plan)."""
    plan = _plan(request, child_for(request, child_id, EDIT), plan_id)
    log_access(request, [plan.child])
    form = CopmForm(_posted(request), initial={"initial_date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_copm_activity(plan, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The activity was added."))
            return redirect(plan.get_absolute_url() + "#copm")
    context = {"form": form, "child": plan.child, "tab": "plan", "plan": plan}
    return render(request, "plans/copm_form.html", context)


@permits(VIEW)
def copm_edit(request: MemberRequest, child_id: uuid.UUID, activity_id: uuid.UUID) -> HttpResponse:
    """Change an activity or record its re-assessment."""
    child = child_for(request, child_id, EDIT)
    try:
        activity = copm_of(request.membership, child).select_related("plan").get(pk=activity_id)
    except (CopmActivity.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    log_access(request, [child])
    form = CopmForm(_posted(request), instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_copm_activity(activity, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The ratings were saved."))
            return redirect(activity.plan.get_absolute_url() + "#copm")
    context = {
        "form": form,
        "child": child,
        "tab": "plan",
        "plan": activity.plan,
        "activity": activity,
    }
    return render(request, "plans/copm_form.html", context)


def _warn_readability(request: MemberRequest, goal: Goal) -> None:
    for warning in readability_warnings(goal):
        messages.warning(request, warning)
