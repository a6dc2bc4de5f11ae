"""Pages of the goal bank: the organization's bank (staff browse it; admins add, edit or
switch off entries) and the picker that starts a plan's new goal from an entry.

The bank is copied from the goals Tandem ships on first use (``goal_bank.py``). The picker
is a page of the Plan tab: it opens to the plan's editors, as ``views.goal_new`` does.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, not_found, permits
from tandem.access.views import check
from tandem.accounts.models import Membership
from tandem.audit.actions import log_access
from tandem.core.forms import show_errors

from .access import goal_bank_for, goals_of
from .forms import GoalBankEntryForm, GoalBankFilterForm
from .goal_bank import ensure_goal_bank, save_bank_entry, with_child_name
from .models import GoalBankEntry, Plan
from .rules import EDIT, GOAL_BANK, GOAL_BANK_EDIT, VIEW
from .views import _plan, _posted

BANK_PAGE_SIZE = 60


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@require_GET
@permits(VIEW)
def goal_bank_pick(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """Browse the goal bank to start a goal for this plan; filters update by htmx."""
    membership = request.membership
    plan = _plan(request, child_for(request, child_id, EDIT), plan_id)
    log_access(request, [plan.child])
    ensure_goal_bank(membership.organization)
    years, months = plan.child.age_years_months
    data = (
        request.GET
        if request.GET
        else {"discipline": plan.discipline, "age_months": years * 12 + months}
    )
    filters = GoalBankFilterForm(data)
    del filters.fields["show_inactive"]  # switched-off entries are never offered
    entries = _filtered_bank(goal_bank_for(membership).filter(is_active=True), filters)
    _mark_in_plan(membership, plan, entries)
    context = {
        "child": plan.child,
        "tab": "plan",
        "plan": plan,
        "filters": filters,
        "entries": entries,
        "picking": True,
    }
    if _is_htmx(request):
        return render(request, "plans/goal_bank.html#results", context)
    return render(request, "plans/goal_bank.html", context)


def _mark_in_plan(membership: Membership, plan: Plan, entries: list[GoalBankEntry]) -> None:
    """Give each entry the child's name and say whether the plan already has its goal
    (started from it, or with the same statement)."""
    in_plan = goals_of(membership, plan.child).filter(plan=plan)
    used: set[uuid.UUID | None] = set()
    statements: set[str] = set()
    for bank_entry_id, statement in in_plan.values_list("bank_entry_id", "statement"):
        used.add(bank_entry_id)
        statements.add(" ".join(statement.casefold().split()))
    for entry in entries:
        entry.filled_statement = with_child_name(entry.statement, plan.child)
        entry.in_plan = entry.id in used or (
            " ".join(entry.filled_statement.casefold().split()) in statements
        )


def _filtered_bank(
    bank: QuerySet[GoalBankEntry], filters: GoalBankFilterForm
) -> list[GoalBankEntry]:
    if not filters.is_valid():
        return list(bank[:BANK_PAGE_SIZE])
    data = filters.cleaned_data
    if data.get("discipline"):
        bank = bank.filter(discipline=data["discipline"])
    if data.get("domain"):
        bank = bank.filter(domain=data["domain"])
    if data.get("age_months") is not None:
        bank = bank.filter(
            min_age_months__lte=data["age_months"], max_age_months__gte=data["age_months"]
        )
    if data.get("q"):
        bank = bank.filter(Q(statement__icontains=data["q"]) | Q(strategies__icontains=data["q"]))
    if not data.get("show_inactive"):
        bank = bank.filter(is_active=True)
    return list(bank[:BANK_PAGE_SIZE])


@require_GET
@permits(GOAL_BANK)
def goal_bank(request: MemberRequest) -> HttpResponse:
    """The organization's goal bank: browse, and open an entry to edit or switch it off."""
    check(request, GOAL_BANK)
    membership = request.membership
    ensure_goal_bank(membership.organization)
    filters = GoalBankFilterForm(request.GET)
    entries = _filtered_bank(goal_bank_for(membership), filters)
    context = {"filters": filters, "entries": entries, "picking": False}
    if _is_htmx(request):
        return render(request, "plans/goal_bank.html#results", context)
    return render(request, "plans/goal_bank.html", context)


@permits(GOAL_BANK_EDIT)
def goal_bank_entry(request: MemberRequest) -> HttpResponse:
    """Add an entry to the goal bank, or edit one (``?id=<entry>``)."""
    check(request, GOAL_BANK_EDIT)
    membership = request.membership
    entry_id = request.GET.get("id")
    entry = GoalBankEntry(organization=membership.organization)
    if entry_id:
        try:
            entry = goal_bank_for(membership).get(pk=entry_id)
        except (GoalBankEntry.DoesNotExist, ValidationError, ValueError) as exc:
            raise not_found() from exc
    form = GoalBankEntryForm(_posted(request), instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            save_bank_entry(entry, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The goal bank was updated."))
            return redirect("plans:goal_bank")
    return render(request, "plans/goal_bank_entry.html", {"form": form, "entry": entry})
