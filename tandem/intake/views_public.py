"""The clinic's public referral form and a family's status page (no sign-in)."""

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
from .links import token_for
from .models import ReferralStatus
from .waitlist import standing

# Referrals one address may send a clinic in an hour (a family sends one, a school a few).
RATE_LIMIT, RATE_WINDOW = 5, 60 * 60


def _over_limit(request: HttpRequest, organization: Organization) -> bool:
    """Count this address's referral to the clinic; True past the hour's limit."""
    key = f"intake:{organization.pk}:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        return False


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
        if _over_limit(request, organization):
            form.add_error(None, _("Too many referrals were sent from here. Try again in an hour."))
            status = 429
        elif form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            referral = actions.submit_referral(organization, **fields)
            messages.success(
                request,
                _("Thank you. We have your referral and sent you an email with this page's link."),
            )
            return redirect("intake:status", token=token_for(organization.pk, referral.pk))
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
                actions.accept_offer(referral)
                messages.success(request, _("Your first appointment is booked."))
            elif action == "decline_offer":
                actions.decline_offer(referral)
                messages.success(
                    request, _("Thank you for telling us. You keep your place on the list.")
                )
            elif action == "answer":
                actions.answer(referral, reply=request.POST.get("reply", ""))
                messages.success(request, _("Thank you. The clinic has your answer."))
            else:
                error = _("Choose what to do.")
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
        "zone": referral.organization.timezone,
    }
    with timezone.override(referral.organization.timezone):
        return render(request, "intake/status.html", context, status=400 if error else 200)
