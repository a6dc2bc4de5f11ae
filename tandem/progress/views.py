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
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits
from tandem.assessments.access import evaluations_of
from tandem.assessments.models import EvaluationStatus
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core import clock
from tandem.plans.access import goals_of, plans_of, signatures_of
from tandem.plans.models import PlanSignature, PlanStatus

from . import charts, scores
from .forms import CLINICAL, FAMILY, ReportForm
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
    charts.draw(progress, family=membership.is_guardian)
    context = {
        "child": child,
        "tab": "progress",
        "progress": progress,
        "family": membership.is_guardian,
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
        "measure": charts.measure_label(goal, family=membership.is_guardian),
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
    context, status = _report_context(request, child_id)
    return render(request, "progress/report.html", context, status=status)


@require_GET
@permits("progress.report")
def report_pdf(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The same report as a PDF, printed by WeasyPrint from the same template."""
    from weasyprint import HTML  # imported here: heavy, and only this view needs it

    context, status = _report_context(request, child_id, action=AccessLog.Action.EXPORT)
    if status != 200:
        return render(request, "progress/report.html", context, status=status)
    html = render_to_string("progress/report_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    period = context["form"].cleaned_data
    response["Content-Disposition"] = (
        f'inline; filename="progress-report-{period["start"]}-{period["end"]}.pdf"'
    )
    return response


def _report_context(
    request: MemberRequest, child_id: uuid.UUID, *, action: str = AccessLog.Action.VIEW
) -> tuple[dict[str, Any], int]:
    membership = request.membership
    child = child_for(request, child_id, "progress.report")
    log_access(request, [child], action=action)
    form = ReportForm(request.GET)
    context: dict[str, Any] = {"child": child, "tab": "progress", "form": form}
    if not form.is_valid():
        return context, 400
    register = form.cleaned_data["register"] or (FAMILY if membership.is_guardian else CLINICAL)
    if membership.is_guardian:
        register = FAMILY
    progress = child_progress(
        membership, child, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
    )
    with_home_practice(membership, child, progress)
    charts.draw(progress, family=register == FAMILY)
    context.update(
        progress=progress,
        register=register,
        family=register == FAMILY,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        standardized_scores=(
            scores.standardized_scores(membership, child, progress.start, progress.end)
            if register == CLINICAL
            else []
        ),
        query=request.GET.urlencode(),
    )
    return context, 200
