"""Break-glass pages: a clinician opens a record in an emergency and ends it; admins review.

- ``open_record`` (``/emergency/``, therapists): the child's exact full name and date of
  birth and a reason open the record for a few hours; the clinician's own grants, with
  "End now". A search that names no child (or more than one) says so and nothing more;
- ``end``: a therapist ends their own grant now; an admin, any of the clinic's (from its
  review page);
- ``queue`` and ``review`` (``/emergency/review/``, admins): grants awaiting review first,
  each with the record views made during it; the review (appropriate or not, a comment)
  is recorded once, never by the grant's own holder; the searches that found no child.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import time_format
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, permits
from tandem.access.views import check
from tandem.accounts.models import Role
from tandem.core.idempotency import idempotent
from tandem.emergency import actions
from tandem.emergency.access import accesses_of, get_access, searches_of
from tandem.emergency.models import EmergencyAccess, SearchOutcome, access_hours

from .forms import OpenForm, ReviewForm
from .reading import access_with_views, awaiting_review, reviewed, views_during
from .templatetags.breakglass import forget_open_reviews

PAGE_SIZE = 25
LISTED = 100  # grants awaiting review, searches that found nobody: the latest this many
# What a search that opened nothing says: never which children there are.
REFUSALS: dict[str, Promise] = {
    SearchOutcome.NO_MATCH: gettext_lazy("No child matches that name and date of birth."),
    SearchOutcome.TOO_MANY: gettext_lazy(
        "You have searched too many times in the last hour. Ask a clinic admin to open the "
        "record for you."
    ),
}


def _until(access: EmergencyAccess) -> str:
    return time_format(localtime(access.expires_at), "H:i")


def _welcome(request: MemberRequest, opening: actions.Opening) -> None:
    """Say what opened: the record, until when, and who was told (or that it was open)."""
    assert opening.child is not None
    name = opening.child.display_name
    if opening.access is None:
        text = _("You are on %(child)s's care team: the record is open to you.")
        messages.info(request, text % {"child": name})
        return
    text = _(
        "You can read %(child)s's record until %(until)s. Every view is logged; the clinic's "
        "admins and the child's lead therapist have been told."
    )
    messages.warning(request, text % {"child": name, "until": _until(opening.access)})


@permits("emergency.open")
@idempotent("emergency.open")
def open_record(request: MemberRequest) -> HttpResponse:
    """Find a child not on one's caseload by exact name and date of birth, say why, and
    read their record for a few hours; one's own emergency access, past and present."""
    membership = request.membership
    form = OpenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            opening = actions.open_access(membership, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            if opening.child is not None:
                _welcome(request, opening)
                return redirect(opening.child)
            form.add_error(None, str(REFUSALS[opening.outcome]))
    context = {
        "form": form,
        "mine": list(accesses_of(membership)[:LISTED]),
        "hours": access_hours(),
    }
    return render(request, "breakglass/open.html", context)


@require_POST
@permits("emergency.end")
def end(request: MemberRequest) -> HttpResponse:
    """End an emergency access now (a therapist their own, an admin any of the clinic's);
    the record closes to its holder on their next page."""
    membership = request.membership
    back = "breakglass:queue" if membership.role == Role.ADMIN else "breakglass:open"
    chosen = request.POST.get("access", "").strip()
    if not chosen:
        messages.error(request, _("Choose the emergency access to end."))
        return redirect(back)
    access = actions.end_access(membership, get_access(membership, chosen))
    if membership.role == Role.ADMIN:
        messages.success(
            request,
            _("%(person)s's emergency access to %(child)s's record has ended.")
            % {"person": access.member.display_name, "child": access.child.display_name},
        )
        return redirect("breakglass:review", access.pk)
    messages.success(
        request,
        _("Your emergency access to %(child)s's record has ended.")
        % {"child": access.child.display_name},
    )
    return redirect(back)


@require_GET
@permits("emergency.review")
def queue(request: MemberRequest) -> HttpResponse:
    """Grants awaiting review first, then past reviews a page at a time, and the searches
    that found no child."""
    membership = request.membership
    past = Paginator(reviewed(membership), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "waiting": list(awaiting_review(membership)[:LISTED]),
        "page": past,
        "searches": list(searches_of(membership)[:LISTED]),
        "limit": actions.SEARCH_LIMIT,
    }
    return render(request, "breakglass/queue.html", context)


@permits("emergency.review")
def review(request: MemberRequest, access_id: uuid.UUID) -> HttpResponse:
    """One grant: who, which child, why, when, each view made during it, and its review."""
    membership = request.membership
    access = access_with_views(membership, access_id)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        check(request, "emergency.review_one", obj=access, hide=False)  # not one's own: 403
    if form.is_bound and form.is_valid():
        try:
            actions.review_access(
                membership,
                access,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.apply(exc)
            status = 409
        else:
            forget_open_reviews(request)
            messages.success(request, _("Your review was recorded."))
            return redirect("breakglass:queue")
    context = {
        "access": access,
        "views": list(views_during(membership, access)[:200]),
        "form": form,
        "may_review": allows(membership, "emergency.review_one", obj=access),
    }
    return render(request, "breakglass/review.html", context, status=status)
