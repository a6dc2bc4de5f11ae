"""The discharge summary of a plan: when it closes, what was reached, attendance over the
plan, the final GAS T-score and what comes next, as a page and a PDF.

A plan still open gets the same document as an interim summary (so the link is never a
dead end). The period runs from the plan's start to the day it closed, read from the
plan's history (a plan may close before or after its review date).
"""

import datetime
import uuid
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.accounts.request import MemberRequest
from tandem.children.models import Child
from tandem.core import clock
from tandem.exports.registry import register
from tandem.plans.access import plans_of
from tandem.plans.models import GoalStatus, Plan, PlanStatus

from . import charts, clinical
from .services import GoalProgress, child_progress

KIND = "progress.discharge"


def plan_of(membership: Membership, child: Child, plan_id: uuid.UUID | str) -> Plan:
    """One plan of the child the member may see (guardians: not a draft), or 404."""
    plans = plans_of(membership, child)
    if membership.is_guardian:
        plans = plans.exclude(status=PlanStatus.DRAFT)
    plan = plans.filter(pk=plan_id).first()
    if plan is None:
        raise not_found()
    return plan


def plan_period(child: Child, plan: Plan) -> tuple[datetime.date, datetime.date]:
    """From the plan's start to the day it closed (the first version of it closed, in the
    clinic's time zone), or to its review date or today while it is open."""
    today = clock.today()
    end = min(plan.review_date, today)
    if plan.status == PlanStatus.CLOSED:
        closed = (
            Plan.history.filter(
                organization_id=plan.organization_id, id=plan.pk, status=PlanStatus.CLOSED
            )
            .order_by("history_date", "history_id")
            .values_list("history_date", flat=True)
            .first()
        )
        end = min(today, clock.today_for(child.organization, closed or plan.updated_at))
    return plan.start_date, max(end, plan.start_date)


def family_status(gp: GoalProgress) -> str:
    """Where a goal stands, in the family's words."""
    if reached(gp):
        return _("Reached")
    if not gp.values:
        return _("No results in this period")
    if gp.analysis.direction == "improving":
        return _("Getting better")
    return _("Still working on it")


def reached(gp: GoalProgress) -> bool:
    return gp.analysis.mastered or gp.goal.status == GoalStatus.MET


def discharge_data(membership: Membership, child: Child, plan: Plan) -> dict[str, Any]:
    """What the summary shows, in a fixed number of queries."""
    start, end = plan_period(child, plan)
    progress = child_progress(membership, child, start=start, end=end)
    progress.plans = [p for p in progress.plans if p.plan.id == plan.id]
    family = membership.is_guardian
    charts.draw(progress, family=family)
    for goal in progress.goals:
        goal.status_word = family_status(goal) if family else clinical.goal_status(goal)
    goals = progress.goals
    return {
        "plan": plan,
        "progress": progress,
        "family": family,
        "closed": plan.status == PlanStatus.CLOSED,
        "start": start,
        "end": end,
        "met": [g for g in goals if reached(g)],
        "open_goals": [g for g in goals if not reached(g)],
        "facts": clinical.clinical_facts(membership, child, progress, start, end),
    }


def render_pdf_html(
    request: MemberRequest, child: Child, params: dict[str, Any]
) -> tuple[str, str]:
    """The worker's renderer (tandem.exports): the PDF's HTML and its file name."""
    plan = plan_of(request.membership, child, params["plan"])
    context = {"child": child} | discharge_data(request.membership, child, plan)
    html = render_to_string("progress/discharge_pdf.html", context, request=request)
    return html, f"discharge-summary-{plan.discipline}-{context['end']}.pdf"


register(KIND, action="progress.report", render=render_pdf_html)
