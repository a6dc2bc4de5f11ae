"""The progress report's content, shared by its page and its PDF (made by the worker)."""

from typing import Any

from django.template.loader import render_to_string

from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.children.models import Child
from tandem.exports.registry import register

from . import charts, clinical
from .forms import CLINICAL, FAMILY, ReportForm
from .services import child_progress, with_home_practice

KIND = "progress.report"


def report_data(membership: Membership, child: Child, period: dict[str, Any]) -> dict[str, Any]:
    """What the report shows over the period; a guardian always gets the family register."""
    register = period["register"] or (FAMILY if membership.is_guardian else CLINICAL)
    if membership.is_guardian:
        register = FAMILY
    progress = child_progress(membership, child, start=period["start"], end=period["end"])
    with_home_practice(membership, child, progress)
    charts.draw(progress, family=register == FAMILY)
    if register == CLINICAL:
        for goal in progress.goals:
            goal.status_word = clinical.goal_status(goal)
    return {
        "progress": progress,
        "register": register,
        "family": register == FAMILY,
        "start": period["start"],
        "end": period["end"],
        "facts": (
            clinical.clinical_facts(membership, child, progress, period["start"], period["end"])
            if register == CLINICAL
            else None
        ),
    }


def render_pdf_html(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    """The worker's renderer (tandem.exports): the PDF's HTML and its file name."""
    form = ReportForm(params)
    if not form.is_valid():  # validated when asked; the dates cannot have changed since
        raise ValueError(f"invalid report parameters: {form.errors.as_json()}")
    period = form.cleaned_data
    context = {"child": child, "tab": "progress", "form": form}
    context |= report_data(request.membership, child, period)
    html = render_to_string("progress/report_pdf.html", context, request=request)
    return html, f"progress-report-{period['start']}-{period['end']}.pdf"


register(KIND, action="progress.report", render=render_pdf_html)
