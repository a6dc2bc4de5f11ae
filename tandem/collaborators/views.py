"""What a consent shows a collaborator: for each child shared with them, only the parts
the consent names (the goals and progress summary, signed session notes, posting
observations), while it lasts. Every page they open is in the access log.
"""

import uuid
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access import MemberRequest, child_for, permits
from tandem.access.views import member_required
from tandem.accounts.models import Role
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.consent.access import grant_for, shared_with
from tandem.consent.models import ConsentGrant
from tandem.core.forms import show_errors
from tandem.homeprogram import actions as home_actions
from tandem.homeprogram.access import observations_of
from tandem.homeprogram.forms import ObservationForm
from tandem.homeprogram.models import Setting
from tandem.notes.access import addenda_of, notes_of
from tandem.notes.models import Addendum
from tandem.plans.access import goals_of
from tandem.progress import charts
from tandem.progress.services import child_progress

NOTES_PAGE_SIZE = 10


def _shared_child(
    request: MemberRequest, child_id: uuid.UUID, action: str
) -> tuple[Child, ConsentGrant | None]:
    """The child whose consent shares this part with the collaborator (404 otherwise,
    on a write too: a part not shared is not there for them)."""
    child = child_for(request, child_id, action, hide=True)
    log_access(request, [child])
    return child, grant_for(request.membership, child)


@require_GET
@permits("collaborators.summary")
def child(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The goals the team is working on and how each is going, in plain language."""
    shared, consent = _shared_child(request, child_id, "collaborators.summary")
    progress = child_progress(request.membership, shared)
    charts.draw(progress, family=True)
    context = {"child": shared, "consent": consent, "progress": progress, "part": "summary"}
    return render(request, "collaborators/child.html", context)


@require_GET
@permits("collaborators.notes")
def notes(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The child's signed session notes with their addenda, newest first, a page at a time."""
    membership = request.membership
    shared, consent = _shared_child(request, child_id, "collaborators.notes")
    signed = notes_of(membership, shared).select_related("author__user")
    page = Paginator(signed.order_by("-date", "-start_time", "id"), NOTES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    ids = [note.id for note in page.object_list]
    by_note: dict[uuid.UUID, list[Addendum]] = defaultdict(list)
    for addendum in (
        addenda_of(membership, shared).filter(note_id__in=ids).select_related("author__user")
    ):
        by_note[addendum.note_id].append(addendum)
    context = {
        "child": shared,
        "consent": consent,
        "page": page,
        "notes": [(note, by_note.get(note.id, [])) for note in page.object_list],
        "part": "notes",
    }
    return render(request, "collaborators/notes.html", context)


@require_http_methods(["GET", "POST"])
@permits("collaborators.observe")
def observe(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Tell the team where the child showed a goal's skill (school, mostly) and how."""
    membership = request.membership
    shared, consent = _shared_child(request, child_id, "collaborators.observe")
    goals = goals_of(membership, shared).order_by("position", "created_at")
    initial: dict[str, Any] = {"setting": Setting.SCHOOL}
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
            return redirect("collaborators:observe", child_id=shared.id)
    mine = observations_of(membership, shared).select_related("goal")[:20]  # their own only
    context = {
        "child": shared,
        "consent": consent,
        "form": form,
        "goals": goals,
        "mine": mine,
        "part": "observations",
    }
    return render(request, "collaborators/observe.html", context)


@require_GET
@member_required()
def home(request: MemberRequest) -> HttpResponse:
    """Send each role to its own home; a collaborator's is the children families share with
    them, while the consent lasts."""
    role = request.membership.role
    if role in (Role.ADMIN, Role.THERAPIST):
        return redirect("today:home")
    if role == Role.BILLING:
        return redirect("billing:home")
    if role == Role.FRONT_DESK:
        return redirect("children:caseload")
    if role == Role.GUARDIAN:
        return redirect("homeprogram:family_home")
    context = {"shared": shared_with(request.membership)}
    return render(request, "collaborators/home.html", context)
