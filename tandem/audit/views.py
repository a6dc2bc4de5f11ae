"""Admins browse the audit trail: per child and per person. Nothing here can edit it."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest, child_for, permits, visible_children
from tandem.accounts.access import get_member
from tandem.accounts.models import Membership
from tandem.children.models import Child

from .access import access_log_visible_to
from .versions import changes

PAGE_SIZE = 50


def _names(membership: Membership, recent: Iterable[Any]) -> dict[uuid.UUID, Child]:
    """Children named in a list of changes, by id (one query)."""
    ids = {change.child_id for change in recent}
    return {c.id: c for c in visible_children(membership).filter(pk__in=ids)}


@require_GET
@permits("audit.read")
def index(request: MemberRequest) -> HttpResponse:
    """The latest views and changes across the organization."""
    membership = request.membership
    page = Paginator(access_log_visible_to(membership), PAGE_SIZE).get_page(request.GET.get("page"))
    recent = changes(membership.organization_id, limit=50)
    context = {"page": page, "changes": recent, "children": _names(membership, recent)}
    return render(request, "audit/index.html", context)


@require_GET
@permits("audit.read")
def child_trail(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who viewed and who changed one child's record."""
    membership = request.membership
    child = child_for(request, child_id, "audit.read")
    log = access_log_visible_to(membership).about(child)
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "page": page,
        "changes": changes(membership.organization_id, child_id=child.id),
        "children": {child.id: child},
    }
    return render(request, "audit/child.html", context)


@require_GET
@permits("audit.read")
def person_trail(request: MemberRequest, membership_id: uuid.UUID) -> HttpResponse:
    """What one person viewed and changed."""
    membership = request.membership
    member = get_member(membership, membership_id)
    log = access_log_visible_to(membership).filter(user=member.user)
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    theirs = changes(membership.organization_id, user=member.user)
    context = {
        "member": member,
        "page": page,
        "changes": theirs,
        "children": _names(membership, theirs),
    }
    return render(request, "audit/person.html", context)
