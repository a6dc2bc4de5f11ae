"""Pages of the resource library ("for you" for families) and of workshops.

Library objects are named by ``?id=`` (like the goal bank): they belong to the clinic,
not to one child. Sharing with a family happens on the child's resources page.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, not_found, permits, visible_children
from tandem.accounts.models import Membership
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.core.access import Conflict
from tandem.core.files import open_or_404
from tandem.core.forms import show_errors
from tandem.core.uploads import download_name
from tandem.homeprogram.access import active_activities, activity_of

from . import actions
from .access import (
    for_families,
    get_assignment,
    get_family_resource,
    get_library_resource,
    library_for,
)
from .forms import LibraryFilterForm, ResourceForm, ShareForm
from .interests import for_interests
from .models import Resource
from .uploads import CONTENT_TYPES

LIBRARY_PAGE_SIZE = 100


def family_children(membership: Membership) -> list[Child]:
    """The children a guardian sees, for what is "for you" (the API's too)."""
    return list(visible_children(membership).filter(archived_at__isnull=True))


def uses_library(membership: Membership) -> bool:
    """Clinical staff see the library; families see what is for them."""
    return allows(membership, "resources.library")


def _posted(request: MemberRequest) -> Any:
    return request.POST if request.method == "POST" else None


def filter_library(resources: QuerySet[Resource], filters: dict[str, Any]) -> QuerySet[Resource]:
    """Narrow the library by words, domain, kind, language and a child's age."""
    if filters.get("q"):
        words = filters["q"]
        resources = resources.filter(Q(title__icontains=words) | Q(summary__icontains=words))
    if filters.get("domain"):
        # (the tag of the resource's own clinic: every read filters by organization)
        resources = resources.filter(
            tags__domain=filters["domain"], tags__organization_id=F("organization_id")
        )
    if filters.get("kind"):
        resources = resources.filter(kind=filters["kind"])
    if filters.get("language"):
        resources = resources.filter(language=filters["language"])
    age = filters.get("age_months")
    if age is not None:
        resources = resources.filter(
            Q(min_age_months__isnull=True) | Q(min_age_months__lte=age),
            Q(max_age_months__isnull=True) | Q(max_age_months__gte=age),
        )
    return resources


# --- The library and "for you" -----------------------------------------------------


@require_GET
@permits("resources.browse")
def index(request: MemberRequest) -> HttpResponse:
    """Staff: the library, filtered. Families: what is for them."""
    membership = request.membership
    if not uses_library(membership):
        children = family_children(membership)
        resources, _shares = for_families(membership, children, request.user.language)
        log_access(request, children, action=AccessLog.Action.LIST)
        context = {"resources": resources, "children": children}
        return render(request, "resources/for_you.html", context)
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = filter_library(library_for(membership), filters).distinct()
    context = {"form": form, "resources": list(found[:LIBRARY_PAGE_SIZE])}
    return render(request, "resources/library.html", context)


def resource_for(membership: Membership, language: str, resource_id: Any) -> Resource:
    """A resource the member may open: of the library for staff, "for you" for families."""
    if uses_library(membership):
        return get_library_resource(membership, resource_id)
    return get_family_resource(membership, family_children(membership), language, resource_id)


@require_GET
@permits("resources.browse")
def detail(request: MemberRequest) -> HttpResponse:
    """One resource (``?id=``): its text, link or file; staff share it from here."""
    resource_id = request.GET.get("id")
    if not resource_id:
        return redirect("resources:index")
    membership = request.membership
    resource = resource_for(membership, request.user.language, resource_id)
    families: list[Child] = []
    if uses_library(membership):
        visible = visible_children(membership).filter(archived_at__isnull=True)
        families = [c for c in visible if allows(membership, "resources.share", child=c)]
    context = {"resource": resource, "families": families}
    return render(request, "resources/detail.html", context)


@require_GET
@permits("resources.browse")
def file(request: MemberRequest) -> HttpResponse:
    """A resource's file (``?id=``), served through the access layer, never from the web root."""
    resource_id = request.GET.get("id")
    if not resource_id:
        return redirect("resources:index")
    resource = resource_for(request.membership, request.user.language, resource_id)
    if not resource.file or resource.file_type not in CONTENT_TYPES:
        raise not_found()
    response = FileResponse(
        open_or_404(resource.file),
        content_type=CONTENT_TYPES[resource.file_type],
        as_attachment=resource.file_type == "pdf" and request.GET.get("download") == "1",
        filename=download_name(
            resource.file_name, CONTENT_TYPES[resource.file_type], fallback="resource"
        ),
    )
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF opens in the browser's viewer; it may not run scripts or reach this origin.
    response["Content-Security-Policy"] = "sandbox"
    # A FileResponse streams (an HttpResponseBase); the kernel's views are typed HttpResponse.
    return cast(HttpResponse, response)


@permits("resources.library")
def edit(request: MemberRequest) -> HttpResponse:
    """Add a resource to the library, or change one (``?id=``)."""
    membership = request.membership
    resource_id = request.GET.get("id")
    resource = get_library_resource(membership, resource_id) if resource_id else None
    form = ResourceForm(_posted(request), request.FILES or None, instance=resource)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            if resource is None:
                resource = actions.create_resource(membership, **changes)
            else:
                version = form.cleaned_data.get("version") or 0
                resource = actions.update_resource(resource, expected_version=version, **changes)
        except Conflict as exc:
            conflict = exc
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The library was updated."))
            return redirect(f"{reverse('resources:detail')}?id={resource.id}")
    context = {"form": form, "resource": resource, "conflict": conflict}
    return render(request, "resources/form.html", context, status=409 if conflict else 200)


@require_POST
@permits("resources.library")
def archive(request: MemberRequest) -> HttpResponse:
    """Take a resource (``?id=``) out of the library and out of families' lists."""
    resource_id = request.GET.get("id")
    if not resource_id:
        return redirect("resources:index")
    resource = get_library_resource(request.membership, resource_id)
    try:
        version = int(request.POST.get("version", ""))
        actions.archive_resource(resource, expected_version=version)
    except (ValueError, Conflict):
        messages.error(request, _("The resource changed meanwhile. Check it, then try again."))
        return redirect(f"{reverse('resources:detail')}?id={resource.id}")
    messages.success(request, _("The resource was taken out of the library."))
    return redirect("resources:index")


# --- A child's resources -----------------------------------------------------------


@require_GET
@permits("resources.view")
def child(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """What was shared with the child's family and what fits the child; staff share here."""
    membership = request.membership
    record = child_for(request, child_id, "resources.view")
    log_access(request, [record])
    # Families see suggestions in their language; staff see every language (they know
    # the family and may share a resource in the language the family reads best).
    language = None if uses_library(membership) else request.user.language
    resources, _shares = for_families(membership, [record], language)
    share_form = None
    if allows(membership, "resources.share", child=record):
        share_form = _share_form(request, record, None)
    context = {
        "child": record,
        "tab": "resources",
        "shared": [r for r in resources if r.shared],
        "suggested": [r for r in resources if not r.shared],
        "share_form": share_form,
        "for_interests": for_interests(
            membership, record, resources, library=uses_library(membership)
        ),
    }
    return render(request, "resources/child.html", context)


def _share_form(request: MemberRequest, record: Child, data: Any) -> ShareForm:
    membership = request.membership
    initial = {"resource": request.GET.get("resource", "")}
    return ShareForm(
        data,
        initial=initial,
        resources=library_for(membership),
        activities=active_activities(membership, record),
    )


@require_POST
@permits("resources.view")  # who sees the child's resources: the family is refused (403)
def share(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Share a library resource with the child's family, optionally for a home activity."""
    membership = request.membership
    record = child_for(request, child_id, "resources.share")
    form = _share_form(request, record, request.POST)
    back = redirect("resources:child", child_id=record.id)
    if not form.is_valid():
        messages.error(request, _("Choose a resource to share."))
        return back
    resource = get_library_resource(membership, form.cleaned_data["resource"])
    activity = None
    if form.cleaned_data.get("home_activity"):
        activity = activity_of(membership, record, form.cleaned_data["home_activity"])
    try:
        actions.share_resource(
            membership, record, resource, home_activity=activity, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(request, _("Shared with the family."))
    return back


@require_POST
@permits("resources.view")  # who sees the child's resources: the family is refused (403)
def unshare(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Stop sharing a resource with the child's family (``share`` names the sharing)."""
    membership = request.membership
    record = child_for(request, child_id, "resources.share")
    share_id = request.POST.get("share")
    if not share_id:
        messages.error(request, _("Choose what to stop sharing."))
    else:
        actions.unshare(get_assignment(membership, record, share_id))
        messages.success(request, _("No longer shared with the family."))
    return redirect("resources:child", child_id=record.id)
