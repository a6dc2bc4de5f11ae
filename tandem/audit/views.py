"""Admins browse the audit trail: the clinic's, a child's, a person's, filtered and
exported as CSV; a child's admin and legal guardians see who has seen the record.
Nothing here can edit the trail."""

import uuid
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits, visible_children
from tandem.accounts.access import get_member, members_visible_to
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.clock import today

from . import csv_export
from .access import access_log_visible_to, seen_by
from .actions import log_export
from .filters import Criteria, TrailFilter, criteria_of
from .versions import Change, changes

PAGE_SIZE = 50
CHANGES_SHOWN = 50
CHANGES_EXPORTED = 5000


def _people(membership: Membership) -> list[Membership]:
    """Everyone of the clinic, for the filter and to name who did what (one query)."""
    return list(members_visible_to(membership).order_by("user__first_name", "user__last_name"))


def _trail(
    request: MemberRequest, *, child: Child | None = None, person: Membership | None = None
) -> tuple[dict[str, Any], Criteria | None]:
    """The filter form, the page of views and the changes it keeps (bounded queries)."""
    membership = request.membership
    people = _people(membership)
    kids = list(visible_children(membership).order_by("first_name", "last_name"))
    data = request.GET.copy()
    if child is not None:
        data["child"] = str(child.pk)
    if person is not None:
        data["person"] = str(person.pk)
    form = TrailFilter(data, people=people, children=kids)
    criteria = criteria_of(form)
    by_user = {m.user_id: m for m in people}
    names = {c.pk: c.display_name for c in kids}
    context: dict[str, Any] = {
        "form": form,
        "people": by_user,
        "children": names,
        "child": child,
        "member": person,
        "query": _query(request, exclude="page"),
    }
    if criteria is None:
        context.update(page=None, changes=[])
        return context, None
    log = criteria.narrow(access_log_visible_to(membership))
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    shown: list[Change] = []
    if criteria.wants_changes:
        shown = changes(
            membership.organization_id, limit=CHANGES_SHOWN, **criteria.change_filters()
        )
        _name_children(shown, names)
    context.update(page=page, changes=shown)
    return context, criteria


def _name_children(shown: list[Change], names: dict[uuid.UUID, str]) -> None:
    for change in shown:
        change.child_name = names.get(change.child_id, "")


def _query(request: MemberRequest, *, exclude: str) -> str:
    query = request.GET.copy()
    query.pop(exclude, None)
    return query.urlencode()


@require_GET
@permits("audit.read")
def index(request: MemberRequest) -> HttpResponse:
    """The clinic's views, refusals, exports and changes, filtered."""
    context, _criteria = _trail(request)
    return render(request, "audit/index.html", context)


@require_GET
@permits("audit.read")
def export(request: MemberRequest) -> HttpResponseBase:
    """The filtered trail as CSV (the export is itself in the trail)."""
    membership = request.membership
    people = _people(membership)
    kids = list(visible_children(membership))
    form = TrailFilter(request.GET, people=people, children=kids)
    criteria = criteria_of(form)
    if criteria is None:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    log_export(request, criteria.child)
    log = criteria.narrow(access_log_visible_to(membership))
    shown: list[Change] = []
    if criteria.wants_changes:
        shown = changes(
            membership.organization_id, limit=CHANGES_EXPORTED, **criteria.change_filters()
        )
        _name_children(shown, {c.pk: c.display_name for c in kids})
    by_user = {m.user_id: m for m in people}
    return csv_export.stream(log, shown, by_user, f"audit-{today().isoformat()}.csv")


@require_GET
@permits("audit.read")
def child_trail(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who viewed, was refused and changed one child's record."""
    child = child_for(request, child_id, "audit.read")
    context, _criteria = _trail(request, child=child)
    context["seen"] = seen_by(child)
    return render(request, "audit/child.html", context)


@require_GET
@permits("audit.read")
def person_trail(request: MemberRequest, membership_id: uuid.UUID) -> HttpResponse:
    """What one person viewed, was refused and changed."""
    person = get_member(request.membership, membership_id)
    context, _criteria = _trail(request, person=person)
    return render(request, "audit/person.html", context)


@require_GET
@permits("audit.seen")
def seen(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who has seen this child's record: each person, their role, how often and when
    (for the clinic's admins and the child's legal guardians)."""
    child = child_for(request, child_id, "audit.seen")
    return render(request, "audit/seen.html", {"child": child, "seen": seen_by(child)})
