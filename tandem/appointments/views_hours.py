"""Working hours and time off: a therapist's own; the office sets anyone's."""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, allows, not_found, permits
from tandem.accounts.models import Membership

from . import availability
from .access import schedulable_therapists, time_off_of


def _therapist(request: MemberRequest) -> tuple[Membership | None, list[Membership] | None]:
    """Whose hours: a therapist's own; the office chooses among the clinic's therapists."""
    membership = request.membership
    if not allows(membership, "appointments.hours_of_anyone"):
        return membership, None
    therapists = list(schedulable_therapists(membership))
    wanted = request.POST.get("therapist") or request.GET.get("therapist") or ""
    chosen = next((t for t in therapists if str(t.pk) == wanted), None)
    if wanted and chosen is None:
        raise not_found()  # not one of the clinic's therapists: never someone else instead
    if request.method == "POST" and chosen is None:
        return None, therapists  # nobody named: nothing is changed
    return chosen or (therapists[0] if therapists else None), therapists


def _local(date: str, time: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.combine(
            datetime.date.fromisoformat(date), datetime.time.fromisoformat(time or "00:00")
        )
    except ValueError as exc:
        raise ValidationError(_("Give a date and a time.")) from exc
    return timezone.make_aware(moment, timezone.get_current_timezone())


@require_http_methods(["GET", "POST"])
@permits("appointments.hours")
def hours(request: MemberRequest) -> HttpResponse:
    therapist, therapists = _therapist(request)
    errors: dict[str, list[str]] = {}
    typed: dict[int, str] = {}
    if request.method == "POST" and therapist is not None:
        action = request.POST.get("action", "")
        try:
            if action == "week":
                typed = {d: request.POST.get(f"day{d}", "") for d in range(7)}
                availability.set_week(therapist, typed)
                messages.success(request, _("The working hours were saved."))
            elif action == "add_time_off":
                availability.add_time_off(
                    therapist,
                    _local(request.POST.get("from_date", ""), request.POST.get("from_time", "")),
                    _local(request.POST.get("until_date", ""), request.POST.get("until_time", "")),
                    request.POST.get("reason", ""),
                )
                messages.success(request, _("The time off was added."))
            elif action == "remove_time_off":
                wanted = _uuid(request.POST.get("time_off"))
                leave = time_off_of(therapist).filter(pk=wanted).first() if wanted else None
                if leave is None:
                    raise not_found()
                leave.delete()
                messages.success(request, _("The time off was removed."))
            else:
                errors["action"] = [_("Choose what to change.")]
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}
        if not errors:
            return redirect(reverse("appointments:hours") + f"?therapist={therapist.pk}")
    days = typed or (availability.week_of(therapist) if therapist else {})
    context = {
        "therapist": therapist,
        "therapists": therapists,
        "days": [(d, days.get(d, ""), errors.get(f"day{d}", [])) for d in range(7)],
        "time_off": list(time_off_of(therapist).filter(ends_at__gt=timezone.now()))
        if therapist
        else [],
        "errors": errors,
        "posted": request.POST if errors else {},
    }
    return render(request, "appointments/hours.html", context, status=200)


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None
