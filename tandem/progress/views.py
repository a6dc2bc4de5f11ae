"""The Progress tab and the progress report (HTML and PDF), in a family or clinical register.

Guardians always get the family register: asking for ``register=clinical`` quietly
gives them the family report (the clinical tables are written for schools and payers,
and a family following a shared link should still get a useful page, not an error).
"""

import uuid
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits
from tandem.accounts.models import Role
from tandem.assessments.access import evaluations_of
from tandem.assessments.models import EvaluationStatus
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.consent.access import grant_for
from tandem.core import clock
from tandem.core.dbrouters import reading_from_replica
from tandem.exports.pages import pdf_export
from tandem.plans.access import goals_of, plans_of, signatures_of
from tandem.plans.models import PlanSignature, PlanStatus

from . import charts, discharge, fragments, report_document, school_summary
from .forms import ReportForm
from .services import (
    Reading,
    child_progress,
    readings_newest_first,
    report_periods,
    with_home_practice,
)

SESSIONS_PAGE = 50


@require_GET
@permits("progress.view")
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """One chart per goal, the plan's GAS T-score over time, and what to look at next."""
    membership = request.membership
    child = child_for(request, child_id, "progress.view")
    log_access(request, [child])
    progress = child_progress(membership, child)
    with_home_practice(membership, child, progress)
    family = membership.is_guardian
    # The charts and goal cards come rendered, from the cache when nothing they show changed.
    summary = fragments.attach(membership, child, progress, family=family)
    context = {
        "child": child,
        "tab": "progress",
        "progress": progress,
        "summary": summary,
        "family": family,
        "report_form": ReportForm(),
    }
    return render(request, "progress/index.html", context)


@require_GET
@permits("progress.view")
def goal_sessions(request: MemberRequest, child_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """Every signed session of one goal, newest first, a page at a time (the Progress
    tab shows the latest few)."""
    membership = request.membership
    child = child_for(request, child_id, "progress.view")
    goal = get_object_or_404(goals_of(membership, child).select_related("plan"), pk=goal_id)
    log_access(request, [child])
    page = Paginator(readings_newest_first(membership, child, goal), SESSIONS_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "child": child,
        "tab": "progress",
        "goal": goal,
        "page": page,
        "readings": [Reading(*row) for row in page.object_list],
        "measure": charts.measure_label(
            goal, family=membership.is_guardian, name=child.preferred_name or child.first_name
        ),
        "family": membership.is_guardian,
    }
    return render(request, "progress/goal_sessions.html", context)


@require_GET
@permits("progress.view")
def reports(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Reports to download: progress over each plan's period, final evaluation summaries,
    and the plans a guardian signed. What a family keeps, or shares with a school."""
    membership = request.membership
    child = child_for(request, child_id, "progress.view")
    log_access(request, [child])
    today = clock.today()
    plans = list(
        plans_of(membership, child).exclude(status=PlanStatus.DRAFT).order_by("-start_date")
    )
    evaluations = (
        evaluations_of(membership, child)
        .filter(status=EvaluationStatus.FINAL)
        .select_related("therapist__user")
    )
    signatures = signatures_of(membership, child).order_by("-signed_at")
    signed: dict[uuid.UUID, PlanSignature] = {}
    for signature in signatures:
        signed.setdefault(signature.plan_id, signature)
    context = {
        "child": child,
        "tab": "progress",
        "periods": report_periods(plans, today),
        "evaluations": list(evaluations),
        "signed_plans": [(p, signed[p.id]) for p in plans if p.id in signed],
    }
    return render(request, "progress/reports.html", context)


@require_GET
@permits("progress.report")
def report(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The progress report over a chosen period, as a page."""
    child, form, refused = _asked_period(request, child_id)
    if refused:
        return refused
    log_access(request, [child])
    context: dict[str, Any] = {"child": child, "tab": "progress", "form": form}
    context["query"] = request.GET.urlencode()
    # A report's reads may use a replica (docs/scaling.md); its access check did not.
    with reading_from_replica():
        context |= report_document.report_data(request.membership, child, form.cleaned_data)
        return render(request, "progress/report.html", context)


@require_GET
@permits("progress.report")
def report_pdf(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The same report as a PDF, printed by the task worker from the same template (see
    tandem/exports/pages.py: this page says it is being made, then hands it over)."""
    child, form, refused = _asked_period(request, child_id)
    if refused:
        return refused
    params = {name: request.GET.get(name, "") for name in form.fields}
    return pdf_export(request, child, report_document.KIND, params, title=_("Progress report"))


@require_GET
@permits("progress.school_summary")
def school(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The school summary for an IEP/504 team: the family's, and a teacher's when a
    guardian's consent shares the goals and progress summary with them."""
    child = child_for(request, child_id, school_summary.KIND, hide=True)
    log_access(request, [child])
    shared = request.membership.role == Role.COLLABORATOR
    context: dict[str, Any] = {"child": child, "tab": "progress", "shared": shared}
    if shared:  # the teacher's own header: who shared the child with them, and until when
        context |= {"consent": grant_for(request.membership, child), "part": "summary"}
    context |= school_summary.school_data(request.membership, child)
    return render(request, "progress/school_summary.html", context)


@require_GET
@permits("progress.school_summary")
def school_pdf(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The school summary as a PDF, printed by the task worker."""
    child = child_for(request, child_id, school_summary.KIND, hide=True)
    return pdf_export(request, child, school_summary.KIND, {}, title=_("School summary"))


@require_GET
@permits("progress.report")
def discharge_summary(
    request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID
) -> HttpResponse:
    """A plan's discharge summary (an interim summary while the plan is open)."""
    child = child_for(request, child_id, "progress.report")
    plan = discharge.plan_of(request.membership, child, plan_id)
    log_access(request, [child])
    context: dict[str, Any] = {"child": child, "tab": "progress"}
    context |= discharge.discharge_data(request.membership, child, plan)
    return render(request, "progress/discharge.html", context)


@require_GET
@permits("progress.report")
def discharge_pdf(request: MemberRequest, child_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """The discharge summary as a PDF, printed by the task worker."""
    child = child_for(request, child_id, "progress.report")
    plan = discharge.plan_of(request.membership, child, plan_id)
    params = {"plan": str(plan.pk)}
    return pdf_export(request, child, discharge.KIND, params, title=_("Discharge summary"))


def _asked_period(
    request: MemberRequest, child_id: uuid.UUID
) -> tuple[Child, ReportForm, HttpResponse | None]:
    """The child and the period asked for; if the period is not valid, the report page
    again with the form's messages (400) to answer instead."""
    child = child_for(request, child_id, "progress.report")
    form = ReportForm(request.GET)
    if form.is_valid():
        return child, form, None
    log_access(request, [child])
    context = {"child": child, "tab": "progress", "form": form}
    return child, form, render(request, "progress/report.html", context, status=400)
