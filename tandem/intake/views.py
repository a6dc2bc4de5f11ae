"""Triage: the clinic's referrals, the waitlist in order, and offering a first appointment."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access import MemberRequest, permits
from tandem.accounts.models import Discipline
from tandem.appointments.access import schedulable_therapists
from tandem.core import clock
from tandem.core.access import Conflict

from . import actions
from .access import get_referral, offers_of, referrals_for
from .forms import AskForm, DeclineForm, OfferForm, WaitlistForm, availability_choices
from .models import Concern, ReferralStatus
from .priority import priority
from .slots import freed_slots
from .waitlist import median_wait_days, suitable, waitlist, weekly_pace

PAGE_SIZE = 50
TABS = {
    "new": (ReferralStatus.NEW, ReferralStatus.INFO_REQUESTED),
    "offered": (ReferralStatus.OFFERED,),
    "closed": (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED),
}


@require_http_methods(["GET"])
@permits("intake.triage")
def index(request: MemberRequest) -> HttpResponse:
    """New referrals to triage, the waitlist in priority order, offers out, closed ones."""
    membership = request.membership
    tab = request.GET.get("tab", "new")
    if tab not in (*TABS, "waitlist"):
        tab = "new"
    today = clock.today()
    context: dict[str, Any] = {"tab": tab}
    if tab == "waitlist":
        places = waitlist(membership.organization_id, today)
        zone = timezone.get_current_timezone()
        slots = []
        for slot in freed_slots(membership):
            candidates = suitable(places, slot.discipline, slot.starts_at, zone)
            best = candidates[0] if candidates else None
            link = offer_link(best.place.referral.id, slot) if best else ""
            slots.append({"slot": slot, "candidate": best, "link": link})
        context |= {
            "page": Paginator(places, PAGE_SIZE).get_page(request.GET.get("page")),
            "slots": slots,
            "pace": weekly_pace(membership.organization_id, timezone.now()),
            "median_wait": median_wait_days(membership.organization_id, timezone.now()),
            "size": len(places),
        }
    else:
        rows = referrals_for(membership).filter(status__in=TABS[tab]).order_by("created_at", "id")
        if tab == "closed":
            rows = rows.order_by("-closed_at", "-id")
        context["page"] = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context["counts"] = {
        name: referrals_for(membership).filter(status__in=statuses).count()
        for name, statuses in (*TABS.items(), ("waitlist", (ReferralStatus.WAITLISTED,)))
    }
    return render(request, "intake/index.html", context)


@require_http_methods(["GET", "POST"])
@permits("intake.triage")
def detail(request: MemberRequest, referral_id: uuid.UUID) -> HttpResponse:
    """One referral: what the family wrote, its priority and its reasons, and what to do."""
    membership = request.membership
    referral = get_referral(membership, referral_id)
    therapists = schedulable_therapists(membership)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if posted else ""
    forms = {
        "waitlist": WaitlistForm(
            posted if action == "waitlist" else None,
            initial={"version": referral.version, "urgency": referral.urgency},
        ),
        "decline": DeclineForm(
            posted if action == "decline" else None, initial={"version": referral.version}
        ),
        "ask": AskForm(posted if action == "ask" else None, initial={"version": referral.version}),
        "offer": OfferForm(
            posted if action == "offer" else None,
            therapists=therapists,
            initial={"version": referral.version, **_offer_initial(request)},
        ),
    }
    conflict = False
    if posted is not None:
        try:
            done = _act(request, referral, action, forms)
        except Conflict:
            conflict = True
            done = None
        except ValidationError as exc:
            form = forms.get(action)
            if form is not None and hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            elif form is not None:
                form.add_error(None, exc.messages)
            done = None
        if done:
            messages.success(request, done)
            return redirect("intake:detail", referral_id=referral.id)
        referral = get_referral(membership, referral.id)
    context = {
        "referral": referral,
        "priority": priority(referral, clock.today()),
        "forms": forms,
        "action": action,
        "conflict": conflict,
        "offers": list(offers_of(membership, referral)),
        "history": _history(referral),
        **_labels(referral),
    }
    status = 409 if conflict else 200
    return render(request, "intake/detail.html", context, status=status)


def _offer_initial(request: MemberRequest) -> dict[str, Any]:
    """A freed slot's time and therapist, when the waitlist's button opened the form."""
    initial: dict[str, Any] = {}
    for name in ("date", "time", "therapist", "duration_minutes"):
        if value := request.GET.get(name):
            initial[name] = value
    return initial


def _act(request: MemberRequest, referral: Any, action: str, forms: dict[str, Any]) -> str | None:
    membership = request.membership
    if action == "withdraw":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        actions.withdraw_offer(referral, expected_version=version)
        return _("The offer was withdrawn. The family is back on the waitlist.")
    form = forms.get(action)
    if form is None:
        raise ValidationError(_("Choose what to do."))
    if not form.is_valid():
        return None
    data = form.cleaned_data
    version = data["version"]
    if action == "waitlist":
        if referral.status in (ReferralStatus.WAITLISTED, ReferralStatus.OFFERED):
            actions.set_urgency(
                referral,
                membership,
                expected_version=version,
                urgency=data["urgency"],
                note=data["note"],
            )
            return _("The urgency was saved.")
        actions.put_on_waitlist(
            referral,
            membership,
            expected_version=version,
            urgency=data["urgency"],
            note=data["note"],
        )
        return _("The family is on the waitlist. They were emailed their place.")
    if action == "decline":
        actions.decline(referral, membership, expected_version=version, reason=data["reason"])
        return _("The referral was declined. The family was emailed the reason.")
    if action == "ask":
        actions.ask_for_information(
            referral, membership, expected_version=version, question=data["question"]
        )
        return _("The family was emailed your question.")
    if action == "offer":
        actions.make_offer(
            referral,
            membership,
            expected_version=version,
            starts_at=form.starts_at(),
            therapist=data["therapist"],
            duration_minutes=data["duration_minutes"],
        )
        return _("The time was offered. The family was emailed a link to take it.")
    return None


def _labels(referral: Any) -> dict[str, list[str]]:
    """The family's choices in words."""
    concerns = dict(Concern.choices)
    disciplines = dict(Discipline.choices)
    slots = dict(availability_choices())
    return {
        "concerns": [str(concerns.get(c, c)) for c in referral.concerns],
        "disciplines": [str(disciplines.get(d, d)) for d in referral.disciplines],
        "availability": [str(slots.get(a, a)) for a in referral.availability],
    }


def _history(referral: Any) -> list[Any]:
    rows = referral.history.filter(organization_id=referral.organization_id)
    return list(rows.select_related("triaged_by__user").order_by("-history_date")[:20])


def offer_link(referral_id: uuid.UUID, slot: Any) -> str:
    local = timezone.localtime(slot.starts_at)
    return (
        reverse("intake:detail", args=[referral_id])
        + f"?date={local:%Y-%m-%d}&time={local:%H:%M}&therapist={slot.therapist_id}"
        + f"&duration_minutes={slot.duration_minutes}#offer"
    )
