"""The family's side of the home program: the guardian's home, one-tap practice logging
and observations.

Logging buttons post with htmx and get back the activity's card; without JavaScript
the same forms post normally and come back to the page they were on.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from tandem.access import MemberRequest, child_for, permits, visible_children
from tandem.access.views import check
from tandem.audit.actions import log_access
from tandem.children.access import care_team_in
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.forms import show_errors
from tandem.core.idempotency import idempotent
from tandem.core.redirects import local_next

from . import actions, family, reading
from .access import activity_of, log_of, logs_of, shared_goals
from .forms import LogDetailsForm, LogForm, ObservationForm
from .models import Barrier, HomeActivity, HowItWent, Outcome

LOG_PRACTICE = "homeprogram.log_practice"
CHANGE_LOG = "homeprogram.change_log"


class FamilyRequest(MemberRequest):
    """A member's request with django-htmx's details (``HtmxMiddleware`` sets them)."""

    htmx: HtmxDetails


def _back(request: HttpRequest, child: Child) -> str:
    """Where a plain (non-htmx) post returns: the page it came from, if it is ours."""
    return local_next(request, reverse("homeprogram:index", args=[child.id]))


def _card(
    request: MemberRequest, child: Child, activity: HomeActivity, **extra: Any
) -> HttpResponse:
    """The activity's practice card with this week's count (one query for the logs)."""
    today = clock.today()
    logs = logs_of(request.membership, child).filter(
        activity=activity, date__gte=reading.adherence_weeks(today, 1)[0], date__lte=today
    )
    week = reading.practice_weeks([activity], logs, today)[0]
    context = {
        "child": child,
        "week": week,
        "can_log": True,
        "choices": card_choices(),
        "back": _back(request, child),
        "hlevel": 4 if request.POST.get("hlevel") == "4" else 3,
        **extra,
    }
    return render(request, "homeprogram/_practice_card.html", context)


@require_GET
@permits("homeprogram.family_home")
def family_home(request: MemberRequest) -> HttpResponse:
    """A guardian's home: each child's week at home, next appointment, messages, progress."""
    membership = request.membership
    children = list(
        visible_children(membership)
        .active()
        .prefetch_related(Prefetch("care_team", queryset=care_team_in(membership)))
    )
    log_access(request, children)
    found = family.family_home(membership, children, clock.today())
    context = {
        "children": children,
        "family": found,
        "for_you": any(item.for_you for item in found),
        "choices": card_choices(),
    }
    return render(request, "homeprogram/family_home.html", context)


def card_choices() -> dict[str, Any]:
    """The buttons of a practice card."""
    return {"outcomes": Outcome.choices, "barriers": Barrier.choices, "how": HowItWent.choices}


@require_POST
@permits(LOG_PRACTICE)
@idempotent("homeprogram.practice_log")
def log_new(
    request: FamilyRequest, child_id: uuid.UUID, home_activity_id: uuid.UUID
) -> HttpResponse:
    """Log one practice of an activity: done, partly or not today (the one tap)."""
    membership = request.membership
    child = child_for(request, child_id, LOG_PRACTICE)
    activity = activity_of(membership, child, home_activity_id)
    form = LogForm(request.POST)
    error = None
    if form.is_valid():
        try:
            actions.log_practice(
                membership,
                activity,
                outcome=form.cleaned_data["outcome"],
                date=form.cleaned_data["date"] or clock.today(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose done, partly or not today.")
    if request.htmx:
        # Refused: 422, so that an entry sent again from the device's queue (offline.js)
        # is kept there with the message, not taken for saved; htmx swaps it all the same.
        card = _card(request, child, activity, error=error, just_logged=error is None)
        card.status_code = 422 if error else 200
        return card
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you — that's logged."))
    return redirect(_back(request, child))


@require_POST
@permits(CHANGE_LOG)
def log_update(request: FamilyRequest, child_id: uuid.UUID, log_id: uuid.UUID) -> HttpResponse:
    """The optional second tap: how it went, what got in the way, minutes or a note."""
    child = child_for(request, child_id, LOG_PRACTICE)
    log = log_of(request.membership, child, log_id)
    check(request, CHANGE_LOG, obj=log)
    form = LogDetailsForm(request.POST)
    error = None
    if form.is_valid():
        try:
            actions.update_log(log, **form.changes())
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        return _card(request, child, log.activity, error=error, saved=error is None)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you — that's saved."))
    return redirect(_back(request, child))


@require_POST
@permits(CHANGE_LOG)
def log_undo(request: FamilyRequest, child_id: uuid.UUID, log_id: uuid.UUID) -> HttpResponse:
    """Take back a log entered by mistake (only the guardian who entered it)."""
    child = child_for(request, child_id, LOG_PRACTICE)
    log = log_of(request.membership, child, log_id)
    check(request, CHANGE_LOG, obj=log)
    activity = log.activity
    actions.undo_log(log)
    if request.htmx:
        return _card(request, child, activity, undone=True)
    messages.success(request, _("The entry was removed."))
    return redirect(_back(request, child))


@permits("homeprogram.view")  # the tab's page: collaborators observe on the consent pages
@idempotent("homeprogram.observation")
def observation_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """A guardian tells the team where they saw a skill (home, school, out and about); an
    editor records an observation the family or school reported, or their own."""
    membership = request.membership
    child = child_for(request, child_id, "homeprogram.observe")
    family = membership.is_guardian  # the form's words
    log_access(request, [child])
    goals = shared_goals(membership, child)
    initial: dict[str, Any] = {}
    if request.GET.get("goal"):
        initial["goal"] = request.GET["goal"]
    elif len(only := list(goals[:2])) == 1:
        initial["goal"] = only[0].pk  # one goal: nothing to choose
    form = ObservationForm(
        request.POST if request.method == "POST" else None,
        goals=goals,
        family=family,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        goal = form.cleaned_data["goal"]
        try:
            actions.record_observation(membership, child, goal, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            if family:
                messages.success(request, _("Thank you — the team will see what you noticed."))
            else:
                messages.success(request, _("The observation was recorded."))
            return redirect("homeprogram:goal", child_id=child.id, goal_id=goal.id)
    context = {"form": form, "child": child, "tab": "home", "family": family, "goals": goals}
    return render(request, "homeprogram/observation_form.html", context)
