"""Calendars: a person's feed at a secret address, and one appointment as a file.

The feed's address is shown once, when it is made; making a new one or stopping the
feed makes the old address answer 404. See ``calendar.py`` for what an event holds.
"""

import uuid
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits
from tandem.audit.actions import log_access

from . import calendar
from .access import get_appointment, own_appointments

ICS = "text/calendar; charset=utf-8"


@never_cache
@permits("appointments.calendar")
def feed_settings(request: MemberRequest) -> HttpResponse:
    """Make, replace or stop the member's calendar feed."""
    membership = request.membership
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            calendar.revoke_feed(membership)
            messages.success(
                request, _("The calendar feed was stopped. Its address no longer works.")
            )
            return redirect("appointments:calendar")
        token = calendar.new_feed(membership)
        address = request.build_absolute_uri(reverse("appointments:feed", args=[token]))
    context = {"feed": calendar.live_feed(membership), "address": address}
    return render(request, "appointments/calendar.html", context)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed at a secret address (no sign-in: calendar apps fetch it)."""
    found = calendar.feed_for_token(token)
    if found is None:
        raise Http404
    membership = found.membership
    since, until = calendar.feed_window()
    appointments = (
        own_appointments(membership)
        .filter(encounter__starts_at__gte=since, encounter__starts_at__lt=until)
        .select_related("encounter__series")
        .order_by("encounter__starts_at")[: calendar.FEED_LIMIT]
    )
    with translation.override(membership.user.language or None):
        body = calendar.calendar(
            appointments, _("Tandem sessions"), zone=membership.organization.timezone
        )
    found.last_used_at = timezone.now()
    found.save(update_fields=["last_used_at", "updated_at"])
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permits("appointments.view")
def appointment_file(
    request: MemberRequest, child_id: uuid.UUID, appointment_id: uuid.UUID
) -> HttpResponse:
    """One appointment as an .ics file, to add to a calendar."""
    child = child_for(request, child_id, "appointments.view")
    appointment = get_appointment(request.membership, child, appointment_id)
    log_access(request, [child])
    body = calendar.calendar([appointment], _("Tandem sessions"), series=False)
    response = HttpResponse(body, content_type=ICS)
    stamp: datetime = timezone.localtime(appointment.starts_at)
    response["Content-Disposition"] = f'attachment; filename="session-{stamp:%Y-%m-%d-%H%M}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
