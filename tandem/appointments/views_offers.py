"""Times offered to a family: the clinic offers one to three, the family chooses one."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.access import MemberRequest, child_for, permits
from tandem.audit.actions import log_access
from tandem.core.forms import show_errors
from tandem.core.idempotency import idempotent
from tandem.core.redirects import local_next

from . import offers
from .access import bookable_therapists, get_time_offer, open_time_offers
from .forms import OfferTimesForm


@permits("appointments.offer_times", gate="appointments.view")
@idempotent("appointments.offer_times")
def offer_times(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Offer the family a few times to choose from; see or withdraw the open offer."""
    membership = request.membership
    child = child_for(request, child_id, "appointments.offer_times")
    log_access(request, [child])
    therapists = bookable_therapists(membership, child)
    initial = {"therapist": membership.id} if membership.is_therapist else {}
    posted = request.POST if request.method == "POST" else None
    if posted is not None and posted.get("action") == "withdraw":
        closed = offers.withdraw(child)
        if closed:
            messages.success(request, _("The times offered were withdrawn."))
        return redirect("appointments:offer_times", child_id=child.id)
    form = OfferTimesForm(posted, therapists=therapists, initial=initial)
    if posted is not None and form.is_valid():
        try:
            offers.offer_times(membership, child, starts=form.starts(), **form.fields_for_offer())
        except ValidationError as exc:
            show_errors(form, exc, {"starts": "date_1"})
        else:
            messages.success(request, _("The family is asked to choose one of the times."))
            return redirect("appointments:offer_times", child_id=child.id)
    context = {
        "child": child,
        "tab": "appointments",
        "form": form,
        "open": list(open_time_offers(membership, [child])),
    }
    return render(request, "appointments/offer_times.html", context)


@require_POST
@permits("appointments.take_time", gate="appointments.view")
def take_time(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The family's choice among the times offered: it is booked."""
    child = child_for(request, child_id, "appointments.take_time")
    back = local_next(request, reverse("appointments:family") + f"?child={child.pk}")
    wanted = request.POST.get("offer", "")
    if not wanted:
        messages.error(request, _("Choose one of the times."))
        return redirect(back)
    offer = get_time_offer(request.membership, child, wanted)
    try:
        offers.take_time(request.membership, offer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Booked. It is in your appointments."))
    return redirect(back)
