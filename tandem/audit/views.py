"""Admins browse the audit trail: the clinic's, a child's, a person's, filtered and
exported as CSV; a child's admin and legal guardians see who has seen the record.
Nothing here can edit the trail."""

import uuid
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
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
from .filters import PICK_MAX, SUGGESTED, Criteria, TrailFilter, as_id, criteria_of
from .versions import Change, changes

PAGE_SIZE = 50
CHANGES_SHOWN = 50
CHANGES_EXPORTED = 5000
NAME_FIELDS = (
    "id",
    "organization_id",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
)


def _people(membership: Membership) -> QuerySet[Membership]:
    return members_visible_to(membership).order_by("user__first_name", "user__last_name", "id")


def _children(membership: Membership) -> QuerySet[Child]:
    return visible_children(membership).order_by("first_name", "last_name", "id")


def _find_people(membership: Membership, text: str) -> list[Membership]:
    """Who a typed name (or a person's own trail's id) names, a few: every word of it in
    their name or email; one whose full name or email it is comes first."""
    found = as_id(text)
    if found is not None:
        return list(_people(membership).filter(pk=found))
    people = _people(membership)
    for word in text.split():
        people = people.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(invited_name__icontains=word)
        )
    return _exact_first(
        list(people[: SUGGESTED + 1]), text, lambda m: (m.display_name, m.user.email)
    )


def _find_children(membership: Membership, text: str) -> list[Child]:
    """Which children a typed name (or a child's own trail's id) names, a few: every word
    of it in their names; one whose name it is comes first."""
    found = as_id(text)
    if found is not None:
        return list(_children(membership).filter(pk=found))
    kids = _children(membership).only(*NAME_FIELDS)
    for word in text.split():
        kids = kids.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return _exact_first(
        list(kids[: SUGGESTED + 1]),
        text,
        lambda c: (c.display_name, f"{c.first_name} {c.last_name}"),
    )


def _exact_first(found: list[Any], text: str, names: Any) -> list[Any]:
    """The one match whose name is exactly the text (any case), alone; else all of them
    (two children of the same name stay two: the form offers each as a link)."""
    typed = " ".join(text.split()).casefold()
    exact = [f for f in found if typed in {str(n).casefold() for n in names(f)}]
    return exact if len(exact) == 1 else found


def _filter(membership: Membership, data: Any) -> TrailFilter:
    """The filter: the clinic's people and children to pick from, each list read up to
    PICK_MAX + 1 (one query each); above PICK_MAX the name is typed instead."""
    people = list(_people(membership)[: PICK_MAX + 1])
    kids = list(_children(membership).only(*NAME_FIELDS)[: PICK_MAX + 1])
    return TrailFilter(
        data,
        people=people if len(people) <= PICK_MAX else None,
        children=kids if len(kids) <= PICK_MAX else None,
        find_people=lambda text: _find_people(membership, text),
        find_children=lambda text: _find_children(membership, text),
    )


def _trail(
    request: MemberRequest, *, child: Child | None = None, person: Membership | None = None
) -> tuple[dict[str, Any], Criteria | None]:
    """The filter form, the page of views and the changes it keeps (bounded queries,
    bounded whatever the clinic's size: the people and children named are the page's)."""
    membership = request.membership
    data = request.GET.copy()
    if child is not None:
        data["child"] = str(child.pk)
    if person is not None:
        data["person"] = str(person.pk)
    form = _filter(membership, data)
    criteria = criteria_of(form)
    context: dict[str, Any] = {
        "form": form,
        "people": {},
        "child": child,
        "member": person,
        "query": _query(request, exclude="page"),
    }
    if criteria is None:
        context.update(page=None, changes=[])
        return context, None
    log = criteria.narrow(access_log_visible_to(membership))
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    page.object_list = rows
    shown: list[Change] = []
    if criteria.wants_changes:
        shown = changes(
            membership.organization_id, limit=CHANGES_SHOWN, **criteria.change_filters()
        )
        _name_children(membership, shown)
    users = {row.user_id for row in rows} | {c.user_pk for c in shown}
    named = members_visible_to(membership).filter(user_id__in=users)
    context.update(page=page, changes=shown, people={m.user_id: m for m in named})
    return context, criteria


def _name_children(membership: Membership, shown: list[Change]) -> None:
    """The children of the changes shown, by name (one query, none without a child)."""
    ids = {c.child_id for c in shown if c.child_id}
    kids = _children(membership).only(*NAME_FIELDS).filter(pk__in=ids) if ids else []
    names = {c.pk: c.display_name for c in kids}
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
    form = _filter(membership, request.GET)
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
        _name_children(membership, shown)
    # The file names everyone it holds: the clinic's people, read once.
    by_user = {m.user_id: m for m in members_visible_to(membership)}
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
