"""Sharing a child's information with outside professionals, and what they see.

- the child's guardians (and admins) see who the record is shared with; a guardian
  with legal authority shares and stops sharing; an admin may stop sharing too;
- a collaborator sees, for each child shared with them, only the parts the consent
  names: the goals and progress summary, signed session notes, posting observations.
  Every page they open is in the access log.
"""

import uuid
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.accounts.models import Membership, Role
from tandem.audit.actions import log_access
from tandem.children.access import get_child
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import member_required
from tandem.core.forms import show_errors
from tandem.homeprogram import actions as home_actions
from tandem.homeprogram.access import observations_of
from tandem.homeprogram.forms import ObservationForm
from tandem.homeprogram.models import Setting
from tandem.notes.access import addenda_of, notes_of
from tandem.plans.access import goals_of
from tandem.progress import charts
from tandem.progress.services import child_progress

from . import actions
from .access import (
    can_give_consent,
    get_child_for_consents,
    get_grant,
    grant_for,
    grants_of,
    require_consent_giver,
    require_consent_withdrawer,
)
from .forms import GrantForm
from .models import ConsentGrant, Scope

NOTES_PAGE_SIZE = 10


# --- The family's side: who sees what ----------------------------------------------------


def _sharing_page(
    request: HttpRequest, child: Child, form: GrantForm | None = None
) -> HttpResponse:
    membership: Membership = request.membership  # type: ignore[attr-defined]
    today = clock.today()
    grants = list(grants_of(membership, child))
    may_give = can_give_consent(membership, child)
    context = {
        "child": child,
        "tab": "sharing",
        "active": [g for g in grants if g.is_active(today)],
        "earlier": [g for g in grants if not g.is_active(today)],
        "can_give": may_give,
        "can_withdraw": may_give or membership.is_admin,
        "form": (form or GrantForm()) if may_give else None,
    }
    return render(request, "consent/index.html", context)


@require_GET
@member_required(Role.ADMIN, Role.GUARDIAN)
def index(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who the child's information is shared with, the form to share it, and stopping."""
    child = get_child_for_consents(request.membership, child_id)  # type: ignore[attr-defined]
    log_access(request, [child])
    return _sharing_page(request, child)


@require_POST
@member_required(Role.GUARDIAN)
def grant(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Share parts of the child's record with a professional (legal guardians)."""
    membership = request.membership  # type: ignore[attr-defined]
    child = get_child_for_consents(membership, child_id)
    require_consent_giver(membership, child)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            given = actions.grant_consent(membership, child, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(
                request,
                _("%(name)s can now see what you chose, until %(day)s.")
                % {"name": given.collaborator.display_name, "day": _day(given)},
            )
            return redirect("consent:index", child_id=child.id)
    log_access(request, [child])
    return _sharing_page(request, child, form)


@require_POST
@member_required(Role.ADMIN, Role.GUARDIAN)
def revoke(request: HttpRequest, child_id: uuid.UUID, grant_id: uuid.UUID) -> HttpResponse:
    """Stop sharing now: the professional's next page no longer shows the child."""
    membership = request.membership  # type: ignore[attr-defined]
    child = get_child_for_consents(membership, child_id)
    require_consent_withdrawer(membership, child)
    withdrawn = actions.withdraw_consent(membership, get_grant(membership, child, grant_id))
    messages.success(
        request,
        _("You stopped sharing with %(name)s.") % {"name": withdrawn.collaborator.display_name},
    )
    return redirect("consent:index", child_id=child.id)


def _day(grant: ConsentGrant) -> str:
    return date_format(grant.expires_on, "LONG_DATE_FORMAT")


# --- The collaborator's side: only what the consent shares --------------------------------


def _shared_child(
    request: HttpRequest, child_id: uuid.UUID, scope: str
) -> tuple[Child, ConsentGrant | None]:
    """The child a consent shares this part of with the collaborator (404 otherwise)."""
    membership = request.membership  # type: ignore[attr-defined]
    child = get_child(membership, child_id, consent_scope=scope)
    log_access(request, [child])
    return child, grant_for(membership, child)


@require_GET
@member_required(Role.COLLABORATOR)
def child(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """The goals the team is working on and how each is going, in plain language."""
    shared, consent = _shared_child(request, child_id, Scope.SUMMARY)
    progress = child_progress(request.membership, shared)  # type: ignore[attr-defined]
    charts.draw(progress, family=True)
    context = {"child": shared, "consent": consent, "progress": progress, "part": "summary"}
    return render(request, "consent/child.html", context)


@require_GET
@member_required(Role.COLLABORATOR)
def notes(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """The child's signed session notes with their addenda, newest first, a page at a time."""
    membership = request.membership  # type: ignore[attr-defined]
    shared, consent = _shared_child(request, child_id, Scope.NOTES)
    signed = notes_of(membership, shared).select_related("author__user")
    page = Paginator(signed.order_by("-date", "-start_time", "id"), NOTES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = [note.id for note in page.object_list]
    by_note: dict = defaultdict(list)
    for addendum in (
        addenda_of(membership, shared).filter(note_id__in=ids).select_related("author__user")
    ):
        by_note[addendum.note_id].append(addendum)
    for note in page.object_list:
        note.shared_addenda = by_note.get(note.id, [])
    context = {"child": shared, "consent": consent, "page": page, "part": "notes"}
    return render(request, "consent/notes.html", context)


@require_http_methods(["GET", "POST"])
@member_required(Role.COLLABORATOR)
def observe(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Tell the team where the child showed a goal's skill (school, mostly) and how."""
    membership = request.membership  # type: ignore[attr-defined]
    shared, consent = _shared_child(request, child_id, Scope.OBSERVATIONS)
    goals = goals_of(membership, shared).order_by("position", "created_at")
    initial: dict = {"setting": Setting.SCHOOL}
    if len(first_two := list(goals[:2])) == 1:
        initial["goal"] = first_two[0].pk  # one goal: nothing to choose
    form = ObservationForm(
        request.POST if request.method == "POST" else None, goals=goals, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            home_actions.record_observation(
                membership, shared, form.cleaned_data["goal"], **form.changes()
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Thank you — the team will see what you noticed."))
            return redirect("consent:observe", child_id=shared.id)
    mine = observations_of(membership, shared).select_related("goal")[:20]  # their own only
    context = {
        "child": shared,
        "consent": consent,
        "form": form,
        "goals": goals,
        "mine": mine,
        "part": "observations",
    }
    return render(request, "consent/observe.html", context)
