"""Pages of the appointments app: the family's list, a child's list, booking, the schedule."""

import uuid
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, permits, visible_children
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.core.forms import show_errors
from tandem.core.redirects import local_next

from . import actions, clinic_settings, series
from .access import (
    all_rooms,
    appointments_of,
    bookable_therapists,
    clinic_rooms,
    get_appointment,
    get_room,
    open_time_offers,
    own_appointments,
    schedulable_therapists,
)
from .forms import LENGTHS, AppointmentForm, StatusForm
from .models import Appointment, AppointmentQuerySet, AppointmentStatus, Encounter
from .reading import (
    DAY,
    WEEK,
    Day,
    Period,
    days,
    empty_days,
    mark_join_links,
    split_by_now,
)

UPCOMING_LIMIT = 50
PAST_STEP, PAST_MAX = 20, 200
# The years the schedule opens on: any clinic's, with a period before and after each
# (date.min or date.max would have none).
SCHEDULE_YEARS = range(1900, 2200)
# The whole clinic's week or day, unfiltered, lists at most this many sessions (cancelled
# ones included: the schedule shows them); above it the page asks for a therapist or a
# room (a 300-therapist clinic books ~10,000 sessions a week: a 3.9 MB page in 2 s).
CLINIC_SCHEDULE_MAX = 400
# What the schedule reads of each appointment, and no more (its template shows the time,
# the child's name, the service, place and room, the status, and on the clinic's
# schedule the therapist): fewer columns and joins to compile and rows to build (issue 16).
SCHEDULE_JOINS = ("child", "encounter__room")
SCHEDULE_FIELDS = (
    *("id", "organization_id", "status", "child", "encounter"),
    *("child__organization_id", "child__first_name", "child__last_name"),
    "child__preferred_name",
    *("encounter__starts_at", "encounter__duration_minutes", "encounter__service_type"),
    *("encounter__location", "encounter__room", "encounter__room__name"),
)
THERAPIST_JOIN = "encounter__therapist__user"
THERAPIST_FIELDS = (
    *("encounter__therapist", "encounter__therapist__invited_name"),
    *("encounter__therapist__user__first_name", "encounter__therapist__user__last_name"),
    "encounter__therapist__user__email",
)


def _past_limit(request: HttpRequest) -> int:
    """How many past appointments to show: 20, and 20 more each time the family asks."""
    try:
        wanted = int(request.GET.get("past", PAST_STEP))
    except ValueError:
        wanted = PAST_STEP
    return max(PAST_STEP, min(wanted, PAST_MAX))


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_GET
@permits("appointments.family")
def family(request: MemberRequest) -> HttpResponse:
    """A family's appointments: what is coming up, and what has been, for all their children."""
    membership = request.membership
    children = list(visible_children(membership).active())
    appointments = own_appointments(membership)
    chosen = next((c for c in children if str(c.id) == request.GET.get("child")), None)
    if chosen is not None:
        appointments = appointments.filter(child=chosen)
    past_limit = _past_limit(request)
    upcoming, past, more_past = split_by_now(
        appointments, past_limit=past_limit, upcoming_limit=UPCOMING_LIMIT
    )
    mark_join_links(membership, upcoming, family=True)
    log_access(request, [chosen] if chosen else children)
    by_id = {c.pk: c for c in children}
    offered = list(open_time_offers(membership, [chosen] if chosen else children))
    for offer in offered:
        offer.child = by_id[offer.child_id]
    context = {
        "offered": offered,
        "children": children,
        "chosen": chosen,
        "upcoming": upcoming,
        "past": past,
        "more_past": more_past,
        "next_past": past_limit + PAST_STEP,
        "several_children": len(children) > 1 and chosen is None,
        "zone": timezone.get_current_timezone_name(),
        **_day_names(),
    }
    return render(request, "appointments/family.html", context)


@require_GET
@permits("appointments.clinic_view")
def child(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """A child's appointments for the team and the office: coming up, and past ones to record."""
    membership = request.membership
    child = child_for(request, child_id, "appointments.clinic_view")
    log_access(request, [child])
    past_limit = _past_limit(request)
    upcoming, past, more_past = split_by_now(
        appointments_of(membership, child), past_limit=past_limit, upcoming_limit=UPCOMING_LIMIT
    )
    mark_join_links(membership, upcoming)
    context = {
        "child": child,
        "tab": "appointments",
        "upcoming": upcoming,
        "past": past,
        "more_past": more_past,
        "next_past": past_limit + PAST_STEP,
        "zone": timezone.get_current_timezone_name(),
        "now": timezone.now(),
        # A note is written from a session that starts today or has passed.
        "notes_until": clock.start_of(clock.today() + timedelta(days=1)),
        **_permissions(request, child),
        **_day_names(),
    }
    return render(request, "appointments/child.html", context)


@permits("appointments.book", gate="appointments.view")
def new(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Book an appointment for a child (admins, lead/treating therapists, the front desk)."""
    membership = request.membership
    child = child_for(request, child_id, "appointments.book")
    log_access(request, [child])
    therapists = bookable_therapists(membership, child)
    initial: dict[str, Any] = {"date": _date_param(request) or clock.today()}
    if membership.is_therapist:
        initial["therapist"] = membership.id
    form = AppointmentForm(
        _posted(request), therapists=therapists, rooms=clinic_rooms(membership), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if rule := form.rule():
                booked = series.book_series(membership, child, rule=rule, **form.changes())
            else:
                booked = [actions.book(membership, child, **form.changes())]
        except ValidationError as exc:
            show_errors(form, exc, {"starts_at": "time", "repeat": "sessions"})
        else:
            if len(booked) > 1:
                messages.success(
                    request,
                    _("%(n)d sessions were booked, one for each week.") % {"n": len(booked)}
                    if form.cleaned_data["repeat"] == 1
                    else _("%(n)d sessions were booked.") % {"n": len(booked)},
                )
            else:
                messages.success(request, _("The appointment was booked."))
            return redirect("appointments:child", child_id=child.id)
    context = {"form": form, "child": child, "tab": "appointments", "lengths": LENGTHS}
    return render(request, "appointments/form.html", context)


@permits("appointments.edit", gate="appointments.view")
def edit(request: MemberRequest, child_id: uuid.UUID, appointment_id: uuid.UUID) -> HttpResponse:
    """Change an appointment; a save based on an older version is refused (409)."""
    membership = request.membership
    child = child_for(request, child_id, "appointments.edit")
    appointment = get_appointment(membership, child, appointment_id)
    log_access(request, [child])
    form = AppointmentForm(
        _posted(request),
        therapists=bookable_therapists(membership, child),
        rooms=clinic_rooms(membership),
        appointment=appointment,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            scope = form.cleaned_data.get("scope") or "this"
            series.change_series(
                appointment,
                expected_version=form.cleaned_data.get("version") or 0,
                scope=scope,
                by=membership,
                **(form.changes() if scope == "this" else form.changed_fields()),
            )
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc, {"starts_at": "time"})
        else:
            messages.success(request, _("The appointment was saved."))
            return redirect("appointments:child", child_id=child.id)
    context = {
        "form": form,
        "child": child,
        "tab": "appointments",
        "appointment": appointment,
        "conflict": conflict,
        "lengths": LENGTHS,
    }
    return render(request, "appointments/form.html", context, status=409 if conflict else 200)


@require_POST
@permits("appointments.set_status", gate="appointments.view")
def status(request: MemberRequest, child_id: uuid.UUID, appointment_id: uuid.UUID) -> HttpResponse:
    """Cancel an appointment (with a reason for the family), or record attended / missed."""
    child = child_for(request, child_id, "appointments.set_status")
    appointment = get_appointment(request.membership, child, appointment_id)
    form = StatusForm(request.POST)
    back = _next_url(request, appointment.child)
    if not form.is_valid():
        messages.error(request, _("Choose what happened to the appointment."))
        return redirect(back)
    try:
        actions.set_status(
            appointment,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=request.membership,
        )
    except Conflict:
        messages.error(
            request,
            _("The appointment changed while you were looking at it. Check it, then try again."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = {
            AppointmentStatus.CANCELLED: _("The appointment was cancelled."),
            AppointmentStatus.ATTENDED: _("Recorded as attended."),
            AppointmentStatus.MISSED: _("Recorded as missed."),
            AppointmentStatus.SCHEDULED: _("The appointment is booked again."),
        }
        messages.success(request, done[form.cleaned_data["status"]])
    return redirect(back)


@require_GET
@permits("appointments.schedule")
def schedule(request: MemberRequest) -> HttpResponse:
    """A week or a day of appointments: a therapist's own; the whole clinic's (or one
    therapist's, one room's) for admins, the front desk and billing. Times, places and
    services: nothing clinical. Its links and filter swap only the calendar (htmx)."""
    membership = request.membership
    kind = DAY if request.GET.get("view") == DAY else WEEK
    asked = _date_param(request, "date" if kind == DAY else "week")
    if asked is None or asked.year not in SCHEDULE_YEARS:
        asked = clock.today()
    period = Period.of(kind, asked)
    appointments = own_appointments(membership)
    choices: dict[str, Any] = {"therapists": None, "rooms": None}
    filters: dict[str, str] = {}
    if allows(membership, "appointments.clinic_schedule"):
        appointments, choices, filters = _clinic_filters(request, appointments)
    rows = appointments.select_related(None).select_related(*SCHEDULE_JOINS)
    if choices["therapists"] is None:  # one's own schedule: no therapist's name shown
        rows = rows.only(*SCHEDULE_FIELDS)
    else:
        rows = rows.select_related(THERAPIST_JOIN).only(*SCHEDULE_FIELDS, *THERAPIST_FIELDS)
    whole_clinic = choices["therapists"] is not None and not filters
    listed = days(rows, period, most=CLINIC_SCHEDULE_MAX if whole_clinic else None)
    too_many = listed is None
    shown = empty_days(period) if listed is None else listed
    _label_rows(shown)
    log_access(request, {a.child_id: a.child for d in shown for a in d.appointments}.values())
    context = {
        "period": period,
        "days": [(d, _schedule_url(Period(DAY, d.day), filters)) for d in shown],
        **_schedule_links(period, filters),
        **choices,
        "too_many": CLINIC_SCHEDULE_MAX if too_many else 0,
        "count": sum(
            1 for d in shown for a in d.appointments if a.status != AppointmentStatus.CANCELLED
        ),
        "zone": timezone.get_current_timezone_name(),
        # A history restore asks with htmx's header too, but wants the whole page.
        "swapping": bool(request.htmx) and not request.htmx.history_restore_request,
    }
    template = "appointments/schedule.html"
    response = render(request, f"{template}#calendar" if context["swapping"] else template, context)
    patch_vary_headers(response, ["HX-Request"])  # the page and its partial share an address
    return response


def _labels(model: type[Any], name: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _label_rows(shown: list[Day]) -> None:
    """Each appointment's service, place and status in words, translated once per page:
    Django's ``get_FOO_display`` hashes every lazy label of the choices on each call
    (about twenty translations a row; issue 16); and the child's link, reversed once."""
    service, place = _labels(Encounter, "service_type"), _labels(Encounter, "location")
    status = _labels(Appointment, "status")
    blank = uuid.UUID(int=0)
    link = reverse("appointments:child", args=[blank])
    for a in (a for d in shown for a in d.appointments):
        found = vars(a)
        found["child_url"] = link.replace(str(blank), str(a.child_id))
        found["service_label"] = service.get(a.encounter.service_type, a.encounter.service_type)
        found["location_label"] = place.get(a.encounter.location, a.encounter.location)
        found["status_label"] = status.get(a.status, a.status)


def _clinic_filters(
    request: MemberRequest, appointments: AppointmentQuerySet
) -> tuple[AppointmentQuerySet, dict[str, Any], dict[str, str]]:
    """The clinic's appointments narrowed to the therapist and the room asked for (an id
    that is none of the clinic's narrows nothing), the choices the filter offers, and
    the ids chosen (for the links)."""
    membership = request.membership
    therapists = list(schedulable_therapists(membership))
    rooms = list(all_rooms(membership))
    therapist = next((t for t in therapists if str(t.pk) == request.GET.get("therapist")), None)
    room = next((r for r in rooms if str(r.pk) == request.GET.get("room")), None)
    filters = {}
    if therapist is not None:
        appointments = appointments.filter(
            Q(encounter__therapist=therapist) | Q(encounter__co_therapist=therapist),
            encounter__organization_id=membership.organization_id,  # its indexes lead with it
        )
        filters["therapist"] = str(therapist.pk)
    if room is not None:
        appointments = appointments.filter(encounter__room=room)
        filters["room"] = str(room.pk)
    choices = {
        "therapists": therapists,
        "chosen_therapist": therapist,
        "rooms": rooms,
        "chosen_room": room,
    }
    return appointments, choices, filters


def _schedule_url(period: Period, filters: dict[str, str]) -> str:
    """The schedule's address for a period, keeping the therapist and room chosen."""
    if period.kind == DAY:
        params = {"view": DAY, "date": period.first.isoformat()}
    else:
        params = {"week": period.first.isoformat()}
    return f"{reverse('appointments:schedule')}?{urlencode(params | filters)}"


def _schedule_links(period: Period, filters: dict[str, str]) -> dict[str, Any]:
    """Where the schedule's navigation goes: the period before and after, today's, and
    the other view (the period's week; today if the week holds it, else its Monday)."""
    today = clock.today()
    current = Period.of(period.kind, today)
    one_day = today if period.first <= today <= period.last else period.first
    return {
        "previous_url": _schedule_url(period.shifted(-1), filters),
        "current_url": _schedule_url(current, filters),
        "next_url": _schedule_url(period.shifted(1), filters),
        "week_url": _schedule_url(Period.of(WEEK, period.first), filters),
        "day_url": _schedule_url(Period(DAY, one_day), filters),
        "is_current": period == current,
    }


def _permissions(request: MemberRequest, child: Child) -> dict[str, bool]:
    """What the list offers the member: booking, changing, the status buttons, the note."""
    membership = request.membership
    return {
        "can_book": allows(membership, "appointments.book", child=child),
        "can_change": allows(membership, "appointments.edit", child=child),
        "can_set_status": allows(membership, "appointments.set_status", child=child),
        "can_write_note": allows(membership, "notes.write", child=child),
        "shows_family_note": allows(membership, "appointments.read_family_note", child=child),
    }


def _day_names() -> dict[str, str]:
    """Today's and tomorrow's dates (clinic time), to say "Today" rather than a date."""
    today = clock.today()
    return {"today_iso": today.isoformat(), "tomorrow_iso": (today + timedelta(days=1)).isoformat()}


def _date_param(request: HttpRequest, name: str = "date") -> date | None:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def _next_url(request: HttpRequest, child: Child) -> str:
    """Where a quick action returns: a local page it came from, else the child's list."""
    return local_next(request, reverse("appointments:child", args=[child.id]))


@permits("appointments.settings")
def rooms(request: MemberRequest) -> HttpResponse:
    """The clinic's rooms and its video service (admins)."""
    membership = request.membership
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add_room":
                room = clinic_settings.add_room(membership, request.POST.get("name", ""))
                messages.success(request, _("%s was added.") % room.name)
            elif action in ("retire", "restore"):
                room = get_room(membership, request.POST.get("room", ""))
                clinic_settings.set_room_in_use(room, action == "restore")
                done = (
                    _("%s is offered again.")
                    if action == "restore"
                    else _("%s is no longer offered.")
                )
                messages.success(request, done % room.name)
            elif action == "late_cancel":
                clinic_settings.set_late_cancel_hours(
                    membership, request.POST.get("late_cancel_hours", "")
                )
                messages.success(request, _("The cancellation window was saved."))
            elif action == "video":
                clinic_settings.set_video_service(
                    membership, request.POST.get("video_url_template", "")
                )
                messages.success(request, _("The video service was saved."))
            else:
                errors["action"] = [_("Choose what to change.")]
        except ValidationError as exc:
            errors = exc.message_dict
        if not errors:
            return redirect("appointments:rooms")
    context = {
        "rooms": list(all_rooms(membership)),
        "errors": errors,
        "posted": request.POST if errors else {},
        "video_url_template": membership.organization.video_url_template,
        "late_cancel_hours": membership.organization.late_cancel_hours,
    }
    return render(request, "appointments/settings.html", context)
