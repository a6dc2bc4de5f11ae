"""The therapist's "Today / needs you" page and the admins' clinic numbers."""

import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, allows, permits
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core import clock

from .needs import needs
from .numbers import DEFAULT_PERIOD, PERIODS, clinic_numbers


@require_GET
@permits("today.view")
def home(request: MemberRequest) -> HttpResponse:
    """Today's sessions and what the caseload asks of the member, each one click away."""
    membership = request.membership
    found = needs(membership)
    shown = {a.child_id: a.child for a in found.sessions}
    for section in found.sections:
        shown.update({child.id: child for child in _children_of(section.rows)})
    # The children named on the page were seen (a list: one row naming them all).
    log_access(request, shown.values(), action=AccessLog.Action.LIST)
    context = {
        "needs": found,
        "now": timezone.now(),
        "notes_until": clock.start_of(found.today + datetime.timedelta(days=1)),
        "may_see_numbers": allows(membership, "today.clinic"),
        "zone": timezone.get_current_timezone_name(),
    }
    return render(request, "today/home.html", context)


def _children_of(rows: list) -> list:
    """Each row's child (a plan's row names it through its plan)."""
    return [getattr(row, "child", None) or row.plan.child for row in rows]


@require_GET
@permits("today.clinic")
def clinic(request: MemberRequest) -> HttpResponse:
    """The clinic's numbers over the last 7, 30 or 90 days (admins)."""
    try:
        days = int(request.GET.get("days", DEFAULT_PERIOD))
    except ValueError:
        days = DEFAULT_PERIOD
    if days not in PERIODS:
        days = DEFAULT_PERIOD
    context = {"numbers": clinic_numbers(request.membership, days), "periods": PERIODS}
    return render(request, "today/clinic.html", context)
