"""Admins browse the audit trail: per child and per person. Nothing here can edit it."""

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.accounts.access import get_member
from tandem.accounts.models import Role
from tandem.children.access import children_visible_to, get_child
from tandem.core.access import member_required

from .access import access_log_visible_to
from .versions import changes

PAGE_SIZE = 50


def _names(membership, recent) -> dict:  # type: ignore[no-untyped-def]
    """Children named in a list of changes, by id (one query)."""
    ids = {change.child_id for change in recent}
    return {c.id: c for c in children_visible_to(membership).filter(pk__in=ids)}


@require_GET
@member_required(Role.ADMIN)
def index(request: HttpRequest) -> HttpResponse:
    """The latest views and changes across the organization."""
    membership = request.membership  # type: ignore[attr-defined]
    page = Paginator(access_log_visible_to(membership), PAGE_SIZE).get_page(request.GET.get("page"))
    recent = changes(membership.organization_id, limit=50)
    context = {"page": page, "changes": recent, "children": _names(membership, recent)}
    return render(request, "audit/index.html", context)


@require_GET
@member_required(Role.ADMIN)
def child_trail(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Who viewed and who changed one child's record."""
    membership = request.membership  # type: ignore[attr-defined]
    child = get_child(membership, child_id)
    log = access_log_visible_to(membership).filter(child=child)
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "child": child,
        "page": page,
        "changes": changes(membership.organization_id, child_id=child.id),
        "children": {child.id: child},
    }
    return render(request, "audit/child.html", context)


@require_GET
@member_required(Role.ADMIN)
def person_trail(request: HttpRequest, membership_id: uuid.UUID) -> HttpResponse:
    """What one person viewed and changed."""
    membership = request.membership  # type: ignore[attr-defined]
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
