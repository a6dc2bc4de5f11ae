"""Pages of the Home program tab: activities, adherence, and where each skill is seen.

The family's practice logging and observations are in ``views_family.py``.
"""

import datetime
import uuid
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, not_found, permits
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors
from tandem.core.uploads import download_name

from . import actions, reading
from .access import (
    activities_of,
    activity_of,
    assignable_goals,
    get_goal,
    logs_of,
    observations_of,
    shared_goals,
)
from .forms import ActivityStatusForm, HomeActivityForm
from .models import HomeActivity, Independence, Setting
from .uploads import CONTENT_TYPES
from .views_family import card_choices

# The skill × setting view reads at most this many observations (the newest).
OBSERVATIONS_SHOWN = 500
VIEW = "homeprogram.view"
EDIT = "homeprogram.edit"
ADHERENCE = "homeprogram.adherence"


def _activity_for(
    request: MemberRequest, child_id: uuid.UUID, activity_id: uuid.UUID, action: str
) -> HomeActivity:
    """The activity a view acts on, its ``child`` checked for ``action`` (see ``child_for``)."""
    return activity_of(request.membership, child_for(request, child_id, action), activity_id)


@require_GET
@permits(VIEW)
def index(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The Home program tab: this week's activities, goals to review, where skills are seen."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    today = clock.today()
    activities = list(activities_of(membership, child))
    active = [a for a in activities if a.is_active]
    logs = list(
        logs_of(membership, child).filter(
            date__gte=today - datetime.timedelta(days=reading.REVIEW_DAYS), date__lte=today
        )
    )
    goals = list(shared_goals(membership, child))
    observations = list(observations_of(membership, child)[:OBSERVATIONS_SHOWN])
    results = reading.analyse_goals(goals, reading.session_series(membership, [child.id], goals))
    context = {
        "child": child,
        "tab": "home",
        "weeks": reading.practice_weeks(active, logs, today),
        "archived": [a for a in activities if not a.is_active],
        "reviews": reading.reviews(goals, results, activities, logs, observations, today),
        "skills": reading.skill_settings(goals, observations),
        "settings": Setting.choices,
        "can_edit": allows(membership, EDIT, child=child),
        "can_see_adherence": allows(membership, ADHERENCE, child=child),
        "can_log": allows(membership, "homeprogram.log_practice", child=child),
        "can_observe": allows(membership, "homeprogram.observe", child=child),
        "recent_logs": [entry for entry in logs if entry.logged_by_id == membership.id][:10],
        "activity_names": {a.id: a.title for a in activities},
        "choices": card_choices(),
    }
    return render(request, "homeprogram/index.html", context)


@require_GET
@permits(VIEW)
def goal(request: MemberRequest, child_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    """One goal at home and beyond: where the skill is seen, its practice, and what's next."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    the_goal = get_goal(membership, child, goal_id)
    log_access(request, [child])
    today = clock.today()
    activities = list(activities_of(membership, child).filter(goals=the_goal))
    logs = list(
        logs_of(membership, child).filter(
            activity_id__in=[a.id for a in activities],
            date__gte=reading.adherence_weeks(today)[0],
            date__lte=today,
        )
    )
    observations = list(observations_of(membership, child).filter(goal=the_goal)[:200])
    series = reading.session_series(membership, [child.id], [the_goal])
    result = reading.analyse_goals([the_goal], series).get(the_goal.id)
    review = reading.reviews(
        [the_goal], {the_goal.id: result}, activities, logs, observations, today
    )
    context = {
        "child": child,
        "tab": "home",
        "goal": the_goal,
        "result": result,
        "review": review[0] if review else None,
        "row": reading.skill_settings([the_goal], observations)[0],
        "observations": observations,
        "adherence": reading.adherence(child, activities, logs, today),
        "can_observe": allows(membership, "homeprogram.observe", child=child),
        "independence": Independence.choices,
    }
    return render(request, "homeprogram/goal.html", context)


@require_GET
@permits(ADHERENCE)
def adherence(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Practice logged against the plan, per activity per week, with what got in the way."""
    membership = request.membership
    child = child_for(request, child_id, ADHERENCE)
    log_access(request, [child])
    today = clock.today()
    activities = list(activities_of(membership, child))
    logs = list(reading.adherence_logs(membership, child, today))
    context = {
        "child": child,
        "tab": "home",
        "adherence": reading.adherence(child, activities, logs, today),
        "today": today,
    }
    return render(request, "homeprogram/adherence.html", context)


@permits(EDIT)
def activity_new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Assign a home activity (admins and lead/treating therapists)."""
    membership = request.membership
    child = child_for(request, child_id, EDIT)
    log_access(request, [child])
    goals = assignable_goals(membership, child)
    form = HomeActivityForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        goals=goals,
        initial={"goals": [g.pk for g in goals] if len(goals) == 1 else []},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_activity(membership, child, **form.changes())
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The activity was added to the home program."))
            return redirect("homeprogram:index", child_id=child.id)
    context = {"form": form, "child": child, "tab": "home", "creating": True}
    return render(request, "homeprogram/activity_form.html", context)


@permits(EDIT)
def activity_edit(
    request: MemberRequest, child_id: uuid.UUID, home_activity_id: uuid.UUID
) -> HttpResponse:
    """Edit an activity; a save based on an older version is refused with a conflict (409)."""
    membership = request.membership
    activity = _activity_for(request, child_id, home_activity_id, EDIT)
    child = activity.child
    log_access(request, [child])
    form = HomeActivityForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=activity,
        goals=assignable_goals(membership, child, keep=[g.pk for g in activity.goals.all()]),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(
                activity,
                expected_version=form.cleaned_data.get("version") or 0,
                remove_handout=form.cleaned_data.get("remove_handout", False),
                **form.changes(),
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("homeprogram:index", child_id=child.id)
    context = {
        "form": form,
        "child": child,
        "tab": "home",
        "activity": activity,
        "conflict": conflict,
    }
    status = 409 if conflict else 200
    return render(request, "homeprogram/activity_form.html", context, status=status)


@require_POST
@permits(EDIT)
def activity_status(
    request: MemberRequest, child_id: uuid.UUID, home_activity_id: uuid.UUID
) -> HttpResponse:
    """Archive an activity or bring it back."""
    activity = _activity_for(request, child_id, home_activity_id, EDIT)
    child = activity.child
    form = ActivityStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to archive the activity or bring it back."))
        return redirect("homeprogram:index", child_id=child.id)
    try:
        changed = actions.set_activity_status(
            activity,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except Conflict:
        messages.error(
            request, _("The activity changed while you were looking at it. Check it, then retry.")
        )
    else:
        if changed.is_active:
            messages.success(request, _("The activity is back in the home program."))
        else:
            messages.success(request, _("The activity was archived; its practice log is kept."))
    return redirect("homeprogram:index", child_id=child.id)


@require_GET
@permits(VIEW)
def handout(
    request: MemberRequest, child_id: uuid.UUID, home_activity_id: uuid.UUID
) -> HttpResponse:
    """Serve an activity's picture or handout through the access layer (never the web root)."""
    activity = _activity_for(request, child_id, home_activity_id, VIEW)
    child = activity.child
    if not activity.handout or activity.handout_type not in CONTENT_TYPES:
        raise not_found()
    log_access(request, [child])
    try:
        stream = activity.handout.open("rb")
    except FileNotFoundError as exc:
        raise not_found() from exc
    response = FileResponse(
        stream,
        content_type=CONTENT_TYPES[activity.handout_type],
        as_attachment=request.GET.get("download") == "1",
        filename=download_name(
            activity.handout_name, CONTENT_TYPES[activity.handout_type], fallback="handout"
        ),
    )
    response["Cache-Control"] = "private, max-age=300"
    # A PDF opens in the browser's viewer; it may not run scripts or reach this origin.
    response["Content-Security-Policy"] = "sandbox"
    # A streamed response; ``permits`` types the views it wraps as returning HttpResponse.
    return cast(HttpResponse, response)
