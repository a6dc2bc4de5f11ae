"""An evaluation's summary, shared by its page and its PDF (made by the worker)."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.children.models import Child
from tandem.exports.registry import register

from . import reading, reading_growth
from .access import (
    get_evaluation,
    growth_of,
    milestone_checks_of,
    responses_of,
    scores_of,
)
from .models import Evaluation
from .rules import EDIT, GROWTH_RECORD, SUMMARY, VIEW

KIND = "assessments.summary"


def may_change(membership: Membership, child: Child) -> dict[str, bool]:
    """Which buttons to show: the same rules the forms check."""
    return {
        "may_edit": allows(membership, EDIT, child=child),
        "may_record_growth": allows(membership, GROWTH_RECORD, child=child),
    }


def summary_data(membership: Membership, child: Child, evaluation: Evaluation) -> dict[str, Any]:
    """Everything the summary shows; families get the plain register."""
    clinical = allows(membership, VIEW, child=child)
    context: dict[str, Any] = {
        "child": child,
        "tab": "assessments",
        "evaluation": evaluation,
        "family": not clinical,
        "age": child.age_on(evaluation.evaluated_on),
        **may_change(membership, child),
    }
    if clinical:
        responses = list(responses_of(membership, child).filter(evaluation=evaluation))
        check = milestone_checks_of(membership, child).filter(evaluation=evaluation).first()
        growth = growth_of(membership, child).filter(evaluation=evaluation)
        context |= {
            "questionnaires": reading.questionnaire_rows(responses),
            "scores": scores_of(membership, child).filter(evaluation=evaluation),
            "milestone_check": check,
            "milestones": reading.milestone_summary(check) if check else None,
            "measurements": [reading_growth.describe_growth(m, child) for m in growth],
        }
    return context


def render_pdf_html(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    """The worker's renderer (tandem.exports): the PDF's HTML and its file name. The
    evaluation is read again as the member sees it now (a draft is 404 to a family)."""
    evaluation = get_evaluation(request.membership, child, params["evaluation_id"])
    context = summary_data(request.membership, child, evaluation) | {"pdf": True}
    html = render_to_string("assessments/summary_pdf.html", context, request=request)
    name = slugify(f"evaluation-{child.display_name}-{evaluation.evaluated_on}")
    return html, f"{name}.pdf"


register(KIND, action=SUMMARY, render=render_pdf_html)
