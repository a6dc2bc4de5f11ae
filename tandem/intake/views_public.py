"""The clinic's public referral form and a family's status page (no sign-in)."""

import time

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.models import Organization

from . import actions
from .access import clinic_by_id, referral_by_token
from .forms import ReferralForm
from .models import ReferralStatus
from .waitlist import standing

# Referrals one address may send a clinic in an hour (a family sends one, a school a few).
RATE_LIMIT, RATE_WINDOW = 5, 60 * 60


def _client(request: HttpRequest) -> str:
    """The sender's address, through the clinic's trusted proxies (the sign-in limits'
    helper: behind nginx every family would otherwise share the proxy's address)."""
    from tandem.accounts.adapter import TandemAccountAdapter

    return TandemAccountAdapter(request).get_client_ip(request)


def _sent_lately(request: HttpRequest, organization: Organization) -> tuple[str, list[float]]:
    """The cache key and the times of this address's referrals to the clinic in the hour."""
    key = f"intake:{organization.pk}:{_client(request)}"
    now = time.time()
    return key, [t for t in cache.get(key, []) if now - t < RATE_WINDOW]


def _count(key: str, times: list[float]) -> None:
    """Note one more referral (kept an hour; only referrals that were taken count)."""
    cache.set(key, [*times, time.time()], RATE_WINDOW)


@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, clinic: str) -> HttpResponse:
    """Refer a child to the clinic: the family, a doctor, a teacher."""
    organization = clinic_by_id(clinic)
    language = translation.get_language() or "en"
    initial = {"language": "es" if language.startswith("es") else "en"}
    form = ReferralForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_robot:
            # Said to have worked, kept nowhere.
            return render(request, "intake/thanks.html", {"organization": organization})
        key, times = _sent_lately(request, organization)
        if len(times) >= RATE_LIMIT:
            form.add_error(None, _("Too many referrals were sent from here. Try again in an hour."))
            status = 429
        elif form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            actions.submit_referral(organization, **fields)
            _count(key, times)
            # The status link goes only to the email given: whoever typed an address is
            # not its owner until they open the email.
            context = {"organization": organization, "email": fields["contact_email"]}
            return render(request, "intake/thanks.html", context)
        else:
            status = 400
    context = {"form": form, "organization": organization, **_groups(form)}
    return render(request, "intake/refer.html", context, status=status)


GROUPS = {
    "child_fields": ("child_first_name", "child_last_name", "date_of_birth", "sex"),
    "concern_fields": ("concerns", "concerns_detail", "disciplines"),
    "contact_fields": (
        "referrer",
        "referrer_name",
        "contact_name",
        "relationship",
        "contact_email",
        "contact_phone",
        "language",
    ),
    "practical_fields": ("availability", "funding"),
}


def _groups(form: ReferralForm) -> dict[str, list]:
    return {group: [form[name] for name in names] for group, names in GROUPS.items()}


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    """Where the family's referral stands: their place on the list and the expected wait,
    the clinic's question, the appointment offered (take it or say it does not suit)."""
    referral = referral_by_token(token)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                actions.accept_offer(referral, offer_id=request.POST.get("offer", ""))
                messages.success(request, _("Your first appointment is booked."))
            elif action == "decline_offer":
                actions.decline_offer(referral, offer_id=request.POST.get("offer", ""))
                messages.success(
                    request, _("Thank you for telling us. You keep your place on the list.")
                )
            elif action == "answer":
                actions.answer(referral, reply=request.POST.get("reply", ""))
                messages.success(request, _("Thank you. The clinic has your answer."))
            else:
                error = _("Choose what to do.")
        except actions.OfferFailed as exc:
            # The time cannot be booked (taken, passed): the family goes back on the list
            # and the clinic sees it there; nothing of the child was created.
            actions.void_offer(referral)
            error = str(exc)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        if not error:
            return redirect("intake:status", token=token)
        referral = referral_by_token(token)
    context = {
        "referral": referral,
        "organization": referral.organization,
        "standing": standing(referral),
        "offer": actions.open_offer(referral)
        if referral.status == ReferralStatus.OFFERED
        else None,
        "accepted": actions.accepted_offer(referral)
        if referral.status == ReferralStatus.ACCEPTED
        else None,
        "error": error,
        "reply": request.POST.get("reply", "") if error else "",
        "zone": referral.organization.timezone,
    }
    with timezone.override(referral.organization.timezone):
        return render(request, "intake/status.html", context, status=400 if error else 200)
