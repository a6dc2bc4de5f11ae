"""The school summary: for a child's IEP or 504 team, the goals in everyday words, what
helps and what to watch for in class, in the reader's language.

The family keeps it with their reports, and shares it by consent: a teacher whose consent
from a guardian shares the goals and progress summary (``Scope.SUMMARY``) may open it and
its PDF; nobody else outside the care team may. No diagnosis, score or clinical statement
is in it: only what the family already reads, with the team's strategies.
"""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.children.models import Child
from tandem.core import clock
from tandem.exports.registry import register
from tandem.plans.models import GoalStatus, PlanStatus

from .services import GoalProgress, child_progress

KIND = "progress.school_summary"  # the export kind and the action (rules.py)


@dataclass
class SchoolGoal:
    wording: str
    area: str
    how_it_is_going: str
    strategies: list[str]
    watch_for: str


def _how_it_is_going(gp: GoalProgress, name: str) -> str:
    a = gp.analysis
    if a.mastered or gp.goal.status == GoalStatus.MET:
        return _("%(name)s has reached this goal.") % {"name": name}
    if not gp.values:
        return _("There are no session results for this goal yet.")
    if a.regression or a.plateau:
        return _(
            "Progress on this goal has slowed lately. That is a normal part of learning; "
            "the team is looking at it closely."
        )
    if a.direction == "improving":
        return _("%(name)s is moving in the right direction on this goal.") % {"name": name}
    return _("%(name)s is still working on this goal.") % {"name": name}


def _strategies(text: str) -> list[str]:
    """The goal's strategies as a list, one a line (a semicolon inside a line is the
    therapist's punctuation, kept as written)."""
    lines = [line.strip(" -•\t") for line in text.splitlines()]
    return [line for line in lines if line]


def school_data(membership: Membership, child: Child) -> dict[str, Any]:
    """The goals of the plans in force (three queries), in everyday words."""
    name = child.preferred_name or child.first_name
    progress = child_progress(membership, child)
    goals = [
        SchoolGoal(
            wording=gp.goal.family_wording,
            area=gp.goal.get_domain_display(),
            how_it_is_going=_how_it_is_going(gp, name),
            strategies=_strategies(gp.goal.strategies),
            watch_for=gp.goal.gas_0,
        )
        for plan in progress.plans
        if plan.plan.status == PlanStatus.ACTIVE
        for gp in plan.goals
        if gp.goal.status != GoalStatus.DISCONTINUED
    ]
    return {"name": name, "goals": goals, "today": clock.today()}


def render_pdf_html(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    """The worker's renderer (tandem.exports): the PDF's HTML and its file name."""
    context = {"child": child} | school_data(request.membership, child)
    html = render_to_string("progress/school_summary_pdf.html", context, request=request)
    return html, f"school-summary-{context['today']}.pdf"


register(KIND, action=KIND, render=render_pdf_html)
