"""The insurance pages: the clinic's payers (admins and billing), a child's policies and
authorizations (admins, billing and the front desk, who take the card at intake), and
how much of each authorization is used (also the child's team)."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, allows, child_for, permits
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors
from tandem.core.idempotency import idempotent

from . import insurance
from .access import (
    authorizations_of,
    get_authorization,
    get_payer,
    get_policy,
    payers_of,
    policies_of,
)
from .forms_insurance import AuthorizationForm, PayerForm, PolicyForm
from .models import Authorization, Policy
from .reading import authorization_uses


def _posted(request: MemberRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _tab(request: MemberRequest, child: Child) -> str:
    """The child's tab these pages sit under: billing for those who see it."""
    return (
        "billing" if allows(request.membership, "billing.view", child=child) else "authorizations"
    )


def _back(request: MemberRequest, child: Child) -> HttpResponse:
    """After a change: the child's billing page, or their authorizations (the front desk)."""
    if allows(request.membership, "billing.view", child=child):
        return redirect("billing:child", child_id=child.id)
    return redirect("billing:authorizations", child_id=child.id)


# --- The clinic's payers ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
@idempotent("billing.payer")
def payers(request: MemberRequest) -> HttpResponse:
    """The payers the clinic bills, and adding one."""
    membership = request.membership
    form = PayerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        done = _("%(payer)s is added.") % {"payer": form.cleaned_data["name"]}
        saved = _saved(
            request,
            form,
            lambda: insurance.add_payer(membership, **form.fields_to_save()),
            done,
        )
        if saved is True:
            return redirect("billing:payers")
    return render(
        request, "billing/payers.html", {"payers": list(payers_of(membership)), "form": form}
    )


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
def payer(request: MemberRequest, payer_id: uuid.UUID) -> HttpResponse:
    """Change a payer; a save based on an older version is refused (409)."""
    membership = request.membership
    record = get_payer(membership, payer_id)
    form = PayerForm.of(record, _posted(request))
    conflict = None
    if request.method == "POST" and form.is_valid():
        outcome = _saved(
            request,
            form,
            lambda: insurance.change_payer(
                membership,
                record,
                expected_version=form.cleaned_data["version"],
                **form.fields_to_save(),
            ),
            _("%(payer)s is saved.") % {"payer": form.cleaned_data["name"]},
        )
        if outcome is True:
            return redirect("billing:payers")
        conflict = outcome or None
    context = {"payer": record, "form": form, "conflict": conflict}
    return render(request, "billing/payers_edit.html", context, status=409 if conflict else 200)


# --- A child's policies -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permits("billing.insurance")
@idempotent("billing.policy")
def policy_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Add a policy from the child's insurance card."""
    membership = request.membership
    child = child_for(request, child_id, "billing.insurance")
    payers_in_use = [p for p in payers_of(membership) if p.is_active]
    form = PolicyForm(_posted(request), payers=payers_in_use)
    if request.method == "POST" and form.is_valid():
        saved = _saved(
            request,
            form,
            lambda: insurance.add_policy(membership, child, **form.fields_to_save()),
            _("The policy is added."),
        )
        if saved is True:
            return _back(request, child)
    log_access(request, [child])
    context = {"child": child, "form": form, "policy": None, "tab": _tab(request, child)}
    return render(request, "billing/insurance_policy.html", context)


@require_http_methods(["GET", "POST"])
@permits("billing.insurance")
def policy(request: MemberRequest, child_id: uuid.UUID, policy_id: uuid.UUID) -> HttpResponse:
    """Change a policy, or end it on a day; a save based on an older version is a 409."""
    membership = request.membership
    child = child_for(request, child_id, "billing.insurance")
    record = get_policy(child, policy_id)
    record.child = child
    choices = [p for p in payers_of(membership) if p.is_active or p.pk == record.payer_id]
    ending = request.method == "POST" and request.POST.get("action") == "end"
    form = PolicyForm.of(record, choices, None if ending else _posted(request))
    conflict: Conflict | None = None
    end_errors: list[str] = []
    if ending:
        try:
            insurance.end_policy(
                membership,
                record,
                expected_version=_number(request.POST.get("version")),
                ends_on=_date(request.POST.get("ends_on")),
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            end_errors = exc.messages
        else:
            messages.success(request, _("The policy is ended."))
            return _back(request, child)
    elif request.method == "POST" and form.is_valid():
        outcome = _saved(
            request,
            form,
            lambda: insurance.change_policy(
                membership,
                record,
                expected_version=form.cleaned_data["version"],
                **form.fields_to_save(),
            ),
            _("The policy is saved."),
        )
        if outcome is True:
            return _back(request, child)
        conflict = outcome or None
    log_access(request, [child])
    context = {
        "child": child,
        "form": form,
        "policy": record,
        "conflict": conflict,
        "end_errors": end_errors,
        "today": clock.today_for(membership.organization),
        "tab": _tab(request, child),
    }
    return render(
        request, "billing/insurance_policy.html", context, status=409 if conflict else 200
    )


def _number(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _saved(
    request: MemberRequest, form: Any, write: Callable[[], Any], done: str
) -> bool | Conflict:
    """Run the action of a valid form: True when it saved (``done`` is said); the
    ``Conflict`` of a stale form; False with the action's errors shown on the form."""
    try:
        write()
    except Conflict as exc:
        return exc
    except ValidationError as exc:
        show_errors(form, exc)
        return False
    messages.success(request, done)
    return True


# --- A child's authorizations -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permits("billing.insurance")
@idempotent("billing.authorization")
def authorization_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Record an authorization the payer gave for one of the child's policies."""
    membership = request.membership
    child = child_for(request, child_id, "billing.insurance")
    policies = list(policies_of(child))
    initial = {"policy": request.GET.get("policy", "")}
    form = AuthorizationForm(_posted(request), policies=policies, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.fields_to_save()
        done = _("Authorization %(number)s is added.") % {"number": fields["number"]}
        saved = _saved(
            request,
            form,
            lambda: insurance.add_authorization(membership, child, **fields),
            done,
        )
        if saved is True:
            return _back(request, child)
    log_access(request, [child])
    context = {
        "child": child,
        "form": form,
        "authorization": None,
        "policies": policies,
        "tab": _tab(request, child),
    }
    return render(request, "billing/insurance_authorization.html", context)


@require_http_methods(["GET", "POST"])
@permits("billing.insurance")
def authorization(
    request: MemberRequest, child_id: uuid.UUID, authorization_id: uuid.UUID
) -> HttpResponse:
    """Change an authorization (its number, codes, what it allows, its dates)."""
    membership = request.membership
    child = child_for(request, child_id, "billing.insurance")
    record = get_authorization(child, authorization_id)
    record.child = child
    form = AuthorizationForm(_posted(request), initial=_initial(record))
    conflict = None
    if request.method == "POST" and form.is_valid():
        outcome = _saved(
            request,
            form,
            lambda: insurance.change_authorization(
                membership,
                record,
                expected_version=form.cleaned_data["version"],
                **form.fields_to_save(),
            ),
            _("Authorization %(number)s is saved.")
            % {"number": form.cleaned_data.get("number", record.number)},
        )
        if outcome is True:
            return _back(request, child)
        conflict = outcome or None
    log_access(request, [child])
    today = clock.today_for(membership.organization)
    [use] = authorization_uses(authorizations_of(child).filter(pk=record.pk), today)
    context = {
        "child": child,
        "form": form,
        "authorization": record,
        "use": use,
        "conflict": conflict,
        "tab": _tab(request, child),
    }
    return render(
        request, "billing/insurance_authorization.html", context, status=409 if conflict else 200
    )


def _initial(authorization: Authorization) -> dict[str, Any]:
    names = ("number", "codes", "counts", "allowed", "starts_on", "ends_on", "version")
    return {name: getattr(authorization, name) for name in names}


@require_http_methods(["GET"])
@permits("billing.authorizations")
def authorizations(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """How much of each of the child's authorizations is used, and until when it runs:
    a warning at 80 % used and in its last 30 days (the time to ask for a renewal)."""
    membership = request.membership
    child = child_for(request, child_id, "billing.authorizations")
    today = clock.today_for(membership.organization)
    may_insure = allows(membership, "billing.insurance", child=child)
    policies: list[Policy] = list(policies_of(child)) if may_insure else []
    log_access(request, [child])
    context = {
        "child": child,
        "authorizations": authorization_uses(authorizations_of(child), today),
        "policies": policies,
        "may_insure": may_insure,
        "today": today,
        "tab": _tab(request, child),
    }
    return render(request, "billing/insurance_authorizations.html", context)
