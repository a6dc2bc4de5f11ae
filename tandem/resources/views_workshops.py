"""Workshops and events: staff announce them and see who comes; families take a place,
or join the waitlist of a full one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, permits
from tandem.core.access import Conflict
from tandem.core.forms import show_errors

from . import actions
from .access import get_workshop, roster_of, turn_of, upcoming_workshops
from .forms import WorkshopForm, WorkshopPlaceForm
from .models import Workshop


@require_GET
@permits("resources.browse")
def workshops(request: MemberRequest) -> HttpResponse:
    """Upcoming workshops with the places left; families take or give up a place here,
    or join or leave the waitlist."""
    events = list(upcoming_workshops(request.membership))
    for event in events:
        taken: int = getattr(event, "places_taken", 0)  # annotated by workshops_for
        event.places_left = max(event.capacity - taken, 0)
    return render(request, "resources/workshops.html", {"workshops": events})


@permits("resources.host")
def workshop_edit(request: MemberRequest) -> HttpResponse:
    """Announce a workshop, or change one (``?id=``)."""
    membership = request.membership
    workshop_id = request.GET.get("id")
    workshop = get_workshop(membership, workshop_id) if workshop_id else None
    form = WorkshopForm(request.POST if request.method == "POST" else None, instance=workshop)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if workshop is None:
                workshop = actions.create_workshop(membership, **form.changes())
            else:
                version = form.cleaned_data.get("version") or 0
                actions.update_workshop(workshop, expected_version=version, **form.changes())
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("resources:workshops")
    context = {"form": form, "workshop": workshop, "conflict": conflict}
    return render(request, "resources/workshop_form.html", context, status=409 if conflict else 200)


@require_GET
@permits("resources.host")
def workshop_roster(request: MemberRequest) -> HttpResponse:
    """Who has a place at a workshop (``?id=``), and who is waiting for one, in turn."""
    workshop_id = request.GET.get("id")
    if not workshop_id:
        return redirect("resources:workshops")
    membership = request.membership
    workshop = get_workshop(membership, workshop_id)
    everyone = list(roster_of(membership, workshop))
    context = {
        "workshop": workshop,
        "places": [p for p in everyone if not p.is_waitlisted],
        "waiting": [p for p in everyone if p.is_waitlisted],
    }
    return render(request, "resources/workshop_roster.html", context)


@require_POST
@permits("resources.host")
def workshop_call_off(request: MemberRequest) -> HttpResponse:
    """Cancel a workshop (``?id=``); families see it marked as cancelled."""
    workshop_id = request.GET.get("id")
    if not workshop_id:
        return redirect("resources:workshops")
    workshop = get_workshop(request.membership, workshop_id)
    try:
        actions.cancel_workshop(workshop, expected_version=int(request.POST.get("version", "")))
    except (ValueError, Conflict):
        messages.error(request, _("The event changed meanwhile. Check it, then try again."))
    else:
        messages.success(request, _("The event was cancelled."))
    return redirect("resources:workshops")


def _place_request(request: MemberRequest) -> Workshop | None:
    form = WorkshopPlaceForm(request.POST)
    if not form.is_valid():
        return None
    return get_workshop(request.membership, form.cleaned_data["workshop"])


@require_POST
@permits("resources.register")
def register(request: MemberRequest) -> HttpResponse:
    """Take a place at a workshop, or a turn on the waitlist of a full one."""
    workshop = _place_request(request)
    back = redirect(reverse("resources:workshops"))
    if workshop is None:
        messages.error(request, _("Choose an event."))
        return back
    try:
        place = actions.register(request.membership, workshop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    if place.is_waitlisted:
        messages.info(
            request,
            _(
                "This event is full, so you are on the waitlist (number %(turn)s). "
                "If a place becomes free, it is yours and we will let you know."
            )
            % {"turn": turn_of(place)},
        )
    else:
        messages.success(request, _("You have a place. See you there!"))
    return back


@require_POST
@permits("resources.register")
def unregister(request: MemberRequest) -> HttpResponse:
    """Give up one's place so another family can have it, or leave the waitlist."""
    workshop = _place_request(request)
    back = redirect(reverse("resources:workshops"))
    if workshop is None:
        messages.error(request, _("Choose an event."))
        return back
    try:
        place = actions.cancel_registration(request.membership, workshop)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if place.is_waitlisted:
            messages.success(request, _("You left the waitlist."))
        else:
            messages.success(request, _("Your place was given up. Thank you for letting us know."))
    return back
