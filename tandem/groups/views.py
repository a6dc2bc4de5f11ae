"""The groups pages: the clinic's groups, starting one, a group's page (its children,
suggestions, sessions), the group session note, and a child's groups for the family."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, allows, child_for, permits, rule_for
from tandem.access.views import check, deny
from tandem.appointments.access import clinic_rooms, schedulable_therapists
from tandem.appointments.models import AppointmentStatus
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.core.access import Conflict, not_found
from tandem.core.forms import show_errors
from tandem.core.idempotency import idempotent
from tandem.notes.models import GoalData, SessionNote
from tandem.plans.models import GAS_LEVELS, Domain

from . import actions
from .access import (
    enrolments_of_child,
    enrolments_seen,
    get_enrolment,
    get_program,
    get_session,
    goal_data_of,
    next_sessions,
    programs_listed,
    session_notes,
    sessions_with_attendance,
)
from .candidates import candidates
from .forms import PROMPTS, ProgramForm, goal_data_from
from .models import TAKING_A_PLACE, Enrolment, EnrolmentStatus

PAGE_SIZE = 25
ENGAGEMENT = {"1", "2", "3", "4", "5"}
# The form's names for the group's fields, for the action's errors.
FORM_NAMES = {
    "starts_at": "first_day",
    "min_age_months": "min_age_years",
    "max_age_months": "max_age_years",
}


@require_http_methods(["GET"])
@permits("groups.view")
def index(request: MemberRequest) -> HttpResponse:
    """The clinic's groups, the next session and the places taken of each."""
    rows = programs_listed(request.membership, timezone.now())
    return render(
        request,
        "groups/index.html",
        {
            "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
            "may_create": allows(request.membership, "groups.create"),
        },
    )


@require_http_methods(["GET", "POST"])
@permits("groups.create")
@idempotent("groups.create")
def new(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = ProgramForm(
        request.POST or None,
        therapists=schedulable_therapists(membership),
        rooms=clinic_rooms(membership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = actions.create_program(membership, **form.program_fields())
        except ValidationError as exc:
            show_errors(form, exc, FORM_NAMES)
        else:
            messages.success(request, _("The group is ready: its sessions are booked."))
            return redirect("groups:detail", program_id=program.id)
    return render(request, "groups/new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permits("groups.view")
def detail(request: MemberRequest, program_id: uuid.UUID) -> HttpResponse:
    """A group: its children (those the member sees), who it would suit, its sessions."""
    membership = request.membership
    program = get_program(membership, program_id)
    if request.method == "POST":
        _act_on_group(request, program)
        return redirect("groups:detail", program_id=program.id)
    now = timezone.now()
    enrolments = enrolments_seen(membership, program)
    sessions = list(sessions_with_attendance(membership, program))
    upcoming = [s for s in sessions if s.encounter.ends_at >= now]
    next_session = upcoming[0].encounter if upcoming else None
    on = clock.today_for(membership.organization, next_session.starts_at if next_session else None)
    may_invite = membership.role in rule_for("groups.invite").roles
    open_group = program.closed_at is None
    suggestions = (
        candidates(membership, program, on) if upcoming and may_invite and open_group else []
    )
    suggestions = [c for c in suggestions if allows(membership, "groups.invite", child=c.child)]
    log_access(request, [e.child for e in enrolments] + [c.child for c in suggestions])
    taken = actions.places_taken(program)
    return render(
        request,
        "groups/detail.html",
        {
            "program": program,
            "enrolments": enrolments,
            "may_leave": {
                e.pk for e in enrolments if allows(membership, "groups.leave", child=e.child)
            },
            "candidates": suggestions if taken < program.max_size else [],
            "full": taken >= program.max_size,
            "taken": taken,
            "hidden": taken - sum(1 for e in enrolments if e.status in TAKING_A_PLACE),
            "sessions": sessions,
            "next_session": next_session,
            "domains": [Domain(d).label for d in program.target_domains if d in Domain.values],
            "may_document": membership.role in rule_for("groups.document").roles,
            "may_close": open_group and allows(membership, "groups.change", obj=program),
            "now": now,
        },
    )


def _act_on_group(request: MemberRequest, program: Any) -> None:
    membership = request.membership
    action = request.POST.get("action", "")
    if action == "invite":
        child = child_for(request, request.POST.get("child", ""), "groups.invite", hide=False)
        _attempt(
            request,
            lambda: actions.invite(membership, program, child),
            _("%(child)s's family is asked to consent.") % {"child": child.display_name},
        )
    elif action == "leave":
        enrolment = _enrolment(request, request.POST.get("enrolment", ""), program=program)
        _leave(request, enrolment)
    elif action == "close":
        check(request, "groups.change", obj=program, hide=False)
        _attempt(
            request,
            lambda: actions.close_program(membership, program, expected_version=_version(request)),
            _("The group is closed: its sessions to come are off the calendar."),
            stale=_("Someone changed this group meanwhile: look again."),
        )


def _enrolment(request: MemberRequest, enrolment_id: str, **where: Any) -> Enrolment:
    enrolment = get_enrolment(request.membership, enrolment_id, **where)
    child_for(request, enrolment.child_id, "groups.family", hide=True)
    return enrolment


def _version(request: MemberRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _attempt(request: MemberRequest, do: Callable[[], Any], done: str, stale: str = "") -> None:
    """Run an action of the page; say what happened, or why it did not."""
    try:
        do()
    except Conflict:
        messages.error(request, stale or _("Someone changed this place meanwhile: look again."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


def _leave(request: MemberRequest, enrolment: Enrolment) -> None:
    check(request, "groups.leave", child=enrolment.child, hide=False)
    _attempt(
        request,
        lambda: actions.leave(request.membership, enrolment, expected_version=_version(request)),
        _("%(child)s is out of “%(group)s”: their sessions to come are cancelled.")
        % {"child": enrolment.child.display_name, "group": enrolment.program.name},
    )


@require_http_methods(["GET", "POST"])
@permits("groups.document")
def session(request: MemberRequest, encounter_id: uuid.UUID) -> HttpResponse:
    """The group session note: attendance, then each child's note and goal data."""
    membership = request.membership
    group_session = get_session(membership, encounter_id)
    places = actions.documentable(membership, group_session)
    if not places:
        # Who sees one of its children is told they may not write here (403 on a write).
        raise deny(request) if actions.sees_a_child(membership, group_session) else not_found()
    children = [p.child for p in places]
    log_access(request, children)
    program = group_session.program
    goals = actions.linked_goals(membership.organization_id, program.target_domains, children)
    notes = session_notes(membership, group_session, [c.pk for c in children])
    data = goal_data_of(membership, list(notes.values()))
    errors: dict[str, list[str]] = {}
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        parts, form_errors = _parts_from(posted, places, goals)
        errors.update(form_errors)
        what_we_did = posted.get("what_we_did", "").strip()
        activities = posted.get("activities", "").strip()
        if not errors:
            try:
                actions.record(
                    membership,
                    group_session,
                    what_we_did=what_we_did,
                    activities=activities,
                    children=parts,
                    sign=posted.get("sign") == "1",
                )
            except Conflict:
                errors[""] = [_("Someone changed this session meanwhile: look again.")]
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors.update(exc.message_dict)
                else:
                    errors[""] = list(exc.messages)
            else:
                messages.success(
                    request,
                    _("Signed: each child's note is in their record.")
                    if posted.get("sign") == "1"
                    else _("Saved. Each child's draft is in their record."),
                )
                return redirect("groups:session", encounter_id=group_session.encounter_id)
    first = next(iter(notes.values()), None)
    rows = []
    for place in places:
        note = notes.get(place.child_id)
        key = str(place.child_id)
        rows.append(
            {
                "place": place,
                "child": place.child,
                "note": note,
                "locked": note is not None and note.is_locked,
                "attendance": (posted.get(f"{key}-attendance") if posted else None)
                or _attendance_of(place.status, note),
                "text": (posted.get(f"{key}-note") if posted else None)
                or (note.assessment if note else ""),
                "engagement": (posted.get(f"{key}-engagement") if posted else None)
                or (note.engagement if note and note.engagement else ""),
                "goals": [
                    _goal_row(goal, data.get((note.pk, goal.pk)) if note else None, key, posted)
                    for goal in goals.get(place.child_id, [])
                ],
                "errors": errors.get(key, []),
            }
        )
    return render(
        request,
        "groups/session.html",
        {
            "session": group_session,
            "program": program,
            "encounter": group_session.encounter,
            "rows": rows,
            "errors": errors.get("", []),
            "what_we_did": (posted.get("what_we_did") if posted else None)
            or (first.objective if first else ""),
            "activities": (posted.get("activities") if posted else None)
            or (first.activities if first else ""),
            "prompts": PROMPTS,
            "gas_levels": GAS_LEVELS,
            "all_signed": bool(rows) and all(r["locked"] for r in rows),
            "started": group_session.encounter.starts_at <= timezone.now(),
        },
        status=400 if errors else 200,
    )


def _attendance_of(status: str, note: SessionNote | None) -> str:
    if status == AppointmentStatus.ATTENDED or note is not None:
        return "present"
    if status == AppointmentStatus.MISSED:
        return "absent"
    if status == AppointmentStatus.CANCELLED:
        return "excused"
    return ""


def _goal_row(goal: Any, entry: GoalData | None, key: str, posted: Any) -> dict[str, Any]:
    prefix = f"{key}-{goal.pk}-"
    stored: dict[str, Any] = {}
    if entry is not None:
        trials = entry.trials or []
        stored = {
            "correct": sum(1 for t in trials if t["correct"]) if trials else "",
            "trials": len(trials) or "",
            "prompt": trials[0]["prompt"] if trials else "",
            "count": entry.count if entry.count is not None else "",
            "seconds": entry.duration_seconds if entry.duration_seconds is not None else "",
            "rating": entry.rating or "",
            "steps_done": entry.steps_done if entry.steps_done is not None else "",
            "steps_total": entry.steps_total or "",
            "gas": entry.gas_level if entry.gas_level is not None else "",
        }
    names = ("correct", "trials", "prompt", "count", "seconds", "rating", "steps_done")
    values = {
        name: (posted.get(prefix + name, "") if posted is not None else stored.get(name, ""))
        for name in (*names, "steps_total", "gas")
    }
    return {"goal": goal, "prefix": prefix, "values": values, "kind": goal.measurement_type}


def _parts_from(
    posted: Any, places: list[Any], goals: dict[Any, list[Any]]
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    parts: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for place in places:
        key = str(place.child_id)
        attendance = posted.get(f"{key}-attendance", "")
        if not attendance:
            continue  # not recorded yet: left as it is
        problems: list[str] = []
        part: dict[str, Any] = {"attendance": attendance}
        version = posted.get(f"{key}-version", "")
        if version.isdigit():
            part["version"] = int(version)
        if attendance == "present":
            part["note"] = posted.get(f"{key}-note", "")
            engagement = posted.get(f"{key}-engagement", "")
            if engagement and engagement not in ENGAGEMENT:
                problems.append(_("Engagement is from 1 to 5."))
            part["engagement"] = int(engagement) if engagement in ENGAGEMENT else None
            part["goal_data"] = {
                str(goal.pk): goal_data_from(posted, key, goal, problems)
                for goal in goals.get(place.child_id, [])
            }
        if problems:
            name = place.child.display_name
            errors[key] = [f"{name}: {p}" for p in problems]
        parts[key] = part
    return parts, errors


@require_http_methods(["GET", "POST"])
@permits("groups.family")
def family(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """A child's groups: an invitation to answer, the groups they are in."""
    membership = request.membership
    child = child_for(request, child_id, "groups.family")
    if request.method == "POST":
        may_answer = allows(membership, "groups.answer", child=child)
        if not (may_answer or allows(membership, "groups.leave", child=child)):
            raise deny(request, hide=False)
        action = request.POST.get("action", "")
        if action in ("yes", "no"):
            check(request, "groups.answer", child=child, hide=False)
            enrolment = _enrolment(request, request.POST.get("enrolment", ""), child=child)
            _attempt(
                request,
                lambda: actions.answer(
                    membership,
                    enrolment,
                    expected_version=_version(request),
                    consent=action == "yes",
                ),
                _("Thank you. %(child)s is in the group: the sessions are in your appointments.")
                % {"child": child.display_name}
                if action == "yes"
                else _("Thank you. We told the team."),
                stale=_("This invitation changed meanwhile: look again."),
            )
        elif action == "leave":
            _leave(request, _enrolment(request, request.POST.get("enrolment", ""), child=child))
        return redirect("groups:family", child_id=child.id)
    log_access(request, [child])
    enrolments = [
        e
        for e in enrolments_of_child(membership, child)
        if e.status != EnrolmentStatus.DECLINED or not membership.is_guardian
    ]
    now = timezone.now()
    upcoming = next_sessions(membership, [e.program_id for e in enrolments], now)
    return render(
        request,
        "groups/family.html",
        {
            "child": child,
            "tab": "groups",
            "enrolments": [(e, upcoming.get(e.program_id)) for e in enrolments],
            "may_answer": allows(membership, "groups.answer", child=child),
            "may_leave": allows(membership, "groups.leave", child=child),
        },
    )
