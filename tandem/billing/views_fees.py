"""The fee pages: the clinic's fee schedule, sliding scale and billing numbers (admins and
billing), a family's household and who pays (admins and billing), and the family's own
fees page (their tier and why, their statement, their documents)."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, allows, child_for, permits
from tandem.access.views import check
from tandem.appointments.access import schedulable_therapists
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors

from . import fees as actions
from . import fees_profile, poverty
from .access import agreement_of, billing_profile, fee_schedule, provider_numbers, sliding_tiers
from .documents_family import family_context, money
from .forms_fees import FeeForm, HouseholdForm, ProfileForm, ProviderForm, TierForm

# --- The clinic's fees ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
def fees(request: MemberRequest) -> HttpResponse:
    """The fee per unit of each code in force today, with its history; add a fee."""
    membership = request.membership
    today = clock.today_for(membership.organization)
    form = FeeForm(request.POST or None, initial={"effective_from": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = actions.add_fee(
                membership,
                code=data["code"],
                amount=data["amount"],
                effective_from=data["effective_from"],
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s costs %(amount)s a unit from %(day)s.")
                % {
                    "code": entry.code,
                    "amount": money(entry.amount),
                    "day": entry.effective_from.isoformat(),
                },
            )
            return redirect("billing:fees")
    return render(
        request,
        "billing/fees.html",
        {
            "form": form,
            "rows": actions.schedule_rows(list(fee_schedule(membership)), today),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
def sliding_scale(request: MemberRequest) -> HttpResponse:
    """The sliding-scale tiers: add one, remove one, or start from the suggested set."""
    membership = request.membership
    today = clock.today_for(membership.organization)
    form = TierForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        try:
            if action == "remove":
                actions.remove_tier(membership, request.POST.get("tier", ""))
                messages.success(request, _("The tier is removed."))
                return redirect("billing:sliding_scale")
            if action == "suggested":
                if sliding_tiers(membership.organization_id):
                    raise ValidationError(
                        _("Remove the tiers first to start from the suggested ones.")
                    )
                actions.replace_tiers(membership, actions.DEFAULT_TIERS)
                messages.success(request, _("The suggested tiers are in place."))
                return redirect("billing:sliding_scale")
            if form.is_valid():
                actions.add_tier(membership, **form.cleaned_data)
                messages.success(request, _("The tier is added."))
                return redirect("billing:sliding_scale")
        except ValidationError as exc:
            show_errors(form, exc)
    tiers = sliding_tiers(membership.organization_id)
    profile = billing_profile(membership)
    region = profile.region if profile else poverty.Region.CONTIGUOUS
    rule = poverty.guideline(today.year, region, 4)
    return render(
        request,
        "billing/fees_sliding_scale.html",
        {
            "form": form,
            "tiers": [(t, rule.amount * t.up_to_percent // 100) for t in tiers],
            "suggested": actions.DEFAULT_TIERS,
            "rule": rule,
        },
    )


@require_http_methods(["GET", "POST"])
@permits("billing.manage")
def profile(request: MemberRequest) -> HttpResponse:
    """The clinic's numbers on claims and superbills, and each therapist's."""
    membership = request.membership
    current = billing_profile(membership)
    therapists = list(schedulable_therapists(membership))
    choices = [(str(t.pk), t.display_name) for t in therapists]
    which = request.POST.get("which", "profile") if request.method == "POST" else ""
    initial = (
        {name: getattr(current, name) for name in fees_profile.PROFILE_FIELDS} if current else {}
    )
    initial["version"] = current.version if current else 0
    form = ProfileForm(request.POST if which == "profile" else None, initial=initial)
    provider_form = ProviderForm(request.POST if which == "provider" else None, therapists=choices)
    conflict = False
    status = 200
    if which == "profile" and form.is_valid():
        try:
            fees_profile.save_profile(
                membership, form.cleaned_data, expected_version=form.cleaned_data["version"] or 0
            )
        except ValidationError as exc:
            show_errors(form, exc)
        except Conflict:
            conflict, status = True, 409
        else:
            messages.success(request, _("The clinic's billing details are saved."))
            return redirect("billing:profile")
    if which == "provider" and provider_form.is_valid():
        data = provider_form.cleaned_data
        therapist = next(t for t in therapists if str(t.pk) == data["membership"])
        try:
            fees_profile.save_provider_number(
                membership,
                therapist,
                npi=data["npi"],
                taxonomy=data["taxonomy"],
                credentials=data["credentials"],
            )
        except ValidationError as exc:
            show_errors(provider_form, exc)
        else:
            messages.success(
                request, _("%(name)s's numbers are saved.") % {"name": therapist.display_name}
            )
            return redirect("billing:profile")
    numbers = provider_numbers(membership)
    return render(
        request,
        "billing/fees_profile.html",
        {
            "form": form,
            "provider_form": provider_form,
            "profile": current,
            "therapists": [(t, numbers.get(t.pk)) for t in therapists],
            "conflict": conflict,
        },
        status=status,
    )


# --- A family's household -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permits("billing.household")
def household(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who pays for the child's sessions and the household; saving assesses it."""
    child = child_for(request, child_id, "billing.household")
    membership = request.membership
    today = clock.today_for(membership.organization)
    agreement = agreement_of(child)
    initial: dict[str, Any] = {"funding": "insurance", "region": "contiguous", "version": 0}
    if agreement is not None:
        initial = {
            "funding": agreement.funding,
            "grant_name": agreement.grant_name,
            "household_size": agreement.household_size,
            "annual_income": (
                "" if agreement.annual_income is None else str(agreement.annual_income)
            ),
            "region": agreement.region,
            "version": agreement.version,
        }
    form = HouseholdForm(request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST":
        check(request, "billing.household", child=child, hide=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.save_household(
                    membership,
                    child,
                    funding=data["funding"],
                    household_size=data["household_size"],
                    annual_income=data["annual_income"],
                    region=data["region"],
                    grant_name=data["grant_name"],
                    expected_version=data["version"] or 0,
                    today=today,
                )
            except ValidationError as exc:
                show_errors(form, exc)
            except Conflict:
                conflict = True
                agreement = agreement_of(child)
            else:
                messages.success(request, _("Saved: the household is assessed."))
                return redirect("billing:household", child_id=child.id)
    log_access(request, [child])
    context = {
        "child": child,
        "form": form,
        "conflict": conflict,
        "current_version": agreement.version if agreement else 0,
        # The version the form is based on: the one read, or after a conflict the new one.
        "form_version": (
            request.POST.get("version", "0")
            if request.method == "POST" and not conflict
            else (agreement.version if agreement else 0)
        ),
        "tiers": sliding_tiers(membership.organization_id),
        "tab": "billing",
        **family_context(child, agreement, today),
    }
    return render(request, "billing/household.html", context, status=409 if conflict else 200)


# --- The family's fees page ------------------------------------------------------------------


@require_http_methods(["GET"])
@permits("billing.family")
def family(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """What the family pays and why, their statement, and their documents."""
    child = child_for(request, child_id, "billing.family")
    membership = request.membership
    today = clock.today_for(membership.organization)
    log_access(request, [child])
    context = {
        "child": child,
        "tab": "fees",
        "may_household": allows(membership, "billing.household", child=child),
        "month": today.strftime("%Y-%m"),
        **family_context(child, agreement_of(child), today),
    }
    return render(request, "billing/family.html", context)
