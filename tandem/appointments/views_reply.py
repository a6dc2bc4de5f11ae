"""The family's answer to a session reminder, from its signed link (no sign-in)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.access import Conflict

from . import actions
from .access import appointment_by_reply
from .models import AppointmentStatus
from .reminders import now_is_late


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the session, or cancel it (late inside the clinic's window, said first)."""
    appointment, guardian = appointment_by_reply(token)
    error = ""
    open_ = (
        appointment.status == AppointmentStatus.SCHEDULED and appointment.starts_at > timezone.now()
    )
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        try:
            if not open_:
                raise ValidationError(_("This session can no longer be changed here."))
            if answer == "confirm":
                actions.confirm(appointment)
                messages.success(request, _("Thank you. The team knows you are coming."))
            elif answer == "cancel":
                actions.set_status(
                    appointment,
                    expected_version=appointment.version,
                    status=AppointmentStatus.CANCELLED,
                    reason=request.POST.get("reason", "")[:200],
                    by=guardian,
                )
                messages.success(request, _("The session is cancelled. The team has been told."))
            else:
                raise ValidationError(_("Choose to confirm or to cancel."))
        except Conflict:
            error = _("The session changed meanwhile. Read it again below.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if not error:
            return redirect("appointments:reply", token=token)
        appointment, guardian = appointment_by_reply(token)
        open_ = (
            appointment.status == AppointmentStatus.SCHEDULED
            and appointment.starts_at > timezone.now()
        )
    context = {
        "appointment": appointment,
        "child_name": appointment.child.preferred_name or appointment.child.first_name,
        "open": open_,
        "late": open_ and now_is_late(appointment),
        "late_hours": appointment.organization.late_cancel_hours,
        "error": error,
    }
    with timezone.override(appointment.organization.timezone):
        return render(request, "appointments/reply.html", context, status=400 if error else 200)
