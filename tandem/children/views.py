"""Pages of the child's record: caseload, profile, team and the later tabs."""

import uuid
from collections.abc import Iterable
from typing import TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.access import MemberRequest, allows, child_for, not_found, permits, visible_children
from tandem.accounts import access as people_access
from tandem.accounts.actions import invite_person
from tandem.accounts.models import Membership, Role
from tandem.core.access import Conflict
from tandem.core.files import open_or_404
from tandem.core.uploads import stored_content_type

from . import actions
from .access import (
    care_team_in,
    care_team_visible_to,
    diagnoses_in,
    diagnoses_visible_to,
    guardian_links_visible_to,
)
from .access_log import log_access
from .forms import CareTeamForm, CareTeamRoleForm, ChildForm, GuardianLinkForm
from .models import CareTeamMember, Child, GuardianLink, TeamRole

CASELOAD_PAGE_SIZE = 25
Seat = TypeVar("Seat", GuardianLink, CareTeamMember)


@require_GET
@permits("children.caseload")
def caseload(request: MemberRequest) -> HttpResponse:
    """List the children the member works with, searchable by name, a page at a time."""
    membership = request.membership
    query = request.GET.get("q", "").strip()[:100]
    # Diagnoses are clinical: listed for the roles that see them (not the front desk).
    show_diagnoses = allows(membership, "children.caseload_diagnoses")
    children = (
        visible_children(membership)
        .active()
        .order_by("last_name", "first_name", "id")
        # What a row shows (name, age); the profile's long fields stay in the database.
        .only("id", "organization_id", "first_name", "last_name", "preferred_name", "date_of_birth")
    )
    children = children.prefetch_related(Prefetch("care_team", queryset=care_team_in(membership)))
    if show_diagnoses:
        children = children.prefetch_related(
            Prefetch("diagnoses", queryset=diagnoses_in(membership))
        )
    if query:
        children = children.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(preferred_name__icontains=query)
        )
    page = Paginator(children, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, page.object_list)  # the children listed (names, ages) were seen
    _label_disciplines(page.object_list)
    context = {
        "page": page,
        "query": query,
        "show_diagnoses": show_diagnoses,
        "whole_clinic": membership.role != Role.THERAPIST,
        "may_add": allows(membership, "children.create"),
    }
    if getattr(request, "htmx", False):
        return render(request, "children/caseload.html#results", context)
    return render(request, "children/caseload.html", context)


def _label_disciplines(children: Iterable[Child]) -> None:
    """Each care-team seat's discipline in words, translated once per page: Django's
    ``get_discipline_display`` hashes every lazy label of the choices on each call (about
    ten translations a seat, 250 a page; issue 16)."""
    field = Membership._meta.get_field("discipline")
    labels = {value: str(label) for value, label in field.flatchoices}
    for child in children:
        for seat in child.care_team.all():
            found = seat.therapist.discipline
            vars(seat)["discipline_label"] = labels.get(found, found)


@permits("children.create")
def child_new(request: MemberRequest) -> HttpResponse:
    """Add a child to the organization (admins and the front desk: intake)."""
    membership = request.membership
    with_diagnoses = allows(membership, "children.caseload_diagnoses")
    form = ChildForm(
        request.POST or None, request.FILES or None, diagnoses=[] if with_diagnoses else None
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        child = actions.create_child(membership, diagnoses=form.diagnosis_pairs() or [], **fields)
        messages.success(request, _("%(name)s was added.") % {"name": child.display_name})
        return redirect("children:team", child_id=child.id)
    return render(request, "children/child_form.html", {"form": form, "creating": True})


@require_GET
@permits("children.view")
def detail(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The child's profile tab."""
    membership = request.membership
    child = child_for(request, child_id, "children.view")
    log_access(request, [child])
    context = {
        "child": child,
        "tab": "profile",
        "diagnoses": diagnoses_visible_to(membership, child),
        "show_diagnoses": allows(membership, "children.diagnoses", child=child),
        "may_edit": allows(membership, "children.edit", child=child),
        "guardian_links": guardian_links_visible_to(membership, child),
    }
    return render(request, "children/detail.html", context)


@permits("children.team")
def edit(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """Edit the profile; a save based on an older version is refused, not merged."""
    # A member of the team who may not edit sees the child: a 403, not a missing page.
    child = child_for(request, child_id, "children.edit", hide=False)
    log_access(request, [child])
    seen = allows(request.membership, "children.diagnoses", child=child)
    diagnoses = diagnoses_visible_to(request.membership, child) if seen else None
    form = ChildForm(
        request.POST or None, request.FILES or None, instance=child, diagnoses=diagnoses
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.update_child(
                child,
                expected_version=form.cleaned_data.get("version") or 0,
                diagnoses=form.diagnosis_pairs(),
                **changes,
            )
        except Conflict:
            conflict = child_for(request, child_id, "children.edit", hide=False)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("children:detail", child_id=child.id)
    status = 409 if conflict else 200
    context = {"form": form, "child": child, "tab": "profile", "conflict": conflict}
    return render(request, "children/child_form.html", context, status=status)


@require_GET
@permits("children.team")
def team(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    """The child's family and care team; admins (and the front desk, for guardians) add
    and remove people here."""
    membership = request.membership
    child = child_for(request, child_id, "children.team")
    log_access(request, [child])
    manage = allows(membership, "children.manage_care_team", child=child)
    link_guardians = allows(membership, "children.link_guardian", child=child)
    context = {
        "child": child,
        "tab": "team",
        "guardian_links": guardian_links_visible_to(membership, child),
        "care_team": care_team_visible_to(membership, child),
        "manage": manage,
        "link_guardians": link_guardians,
        "unlink_guardians": allows(membership, "children.unlink_guardian", child=child),
        "team_roles": TeamRole.choices,
    }
    if link_guardians:
        context["guardian_form"] = GuardianLinkForm(
            guardians=people_access.guardians_of(membership)
        )
    if manage:
        context["care_form"] = CareTeamForm(therapists=people_access.therapists_of(membership))
    return render(request, "children/team.html", context)


@require_POST
@permits("children.team")
def guardian_add(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    membership = request.membership
    child = child_for(request, child_id, "children.link_guardian")
    form = GuardianLinkForm(request.POST, guardians=people_access.guardians_of(membership))
    if form.is_valid():
        guardian = form.cleaned_data["guardian"]
        if guardian is None:
            guardian, _token = invite_person(
                by=membership,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=Role.GUARDIAN,
            )
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.link_guardian(child, guardian, **fields)
        except (ValueError, IntegrityError):
            messages.error(request, _("That person cannot be linked to this child."))
        else:
            messages.success(request, _("%(name)s was linked.") % {"name": guardian.display_name})
        return redirect("children:team", child_id=child.id)
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("children:team", child_id=child.id)


@require_POST
@permits("children.team")
def guardian_remove(
    request: MemberRequest, child_id: uuid.UUID, link_id: uuid.UUID
) -> HttpResponse:
    membership = request.membership
    child = child_for(request, child_id, "children.unlink_guardian")
    link = _get_or_404(guardian_links_visible_to(membership, child), link_id)
    actions.unlink_guardian(link)
    messages.success(request, _("The guardian was unlinked."))
    return redirect("children:team", child_id=child.id)


@require_POST
@permits("children.team")
def care_add(request: MemberRequest, child_id: uuid.UUID) -> HttpResponse:
    membership = request.membership
    child = child_for(request, child_id, "children.manage_care_team")
    form = CareTeamForm(request.POST, therapists=people_access.therapists_of(membership))
    if form.is_valid():
        try:
            actions.add_to_care_team(
                child, form.cleaned_data["therapist"], form.cleaned_data["role"]
            )
        except Exception:
            messages.error(request, _("That therapist is already on the team."))
        else:
            messages.success(request, _("The care team was updated."))
    else:
        messages.error(request, _("Choose a therapist and a role."))
    return redirect("children:team", child_id=child.id)


@require_POST
@permits("children.team")
def care_update(request: MemberRequest, child_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    membership = request.membership
    child = child_for(request, child_id, "children.manage_care_team")
    seat = _get_or_404(care_team_visible_to(membership, child), member_id)
    form = CareTeamRoleForm(request.POST, instance=seat)
    if form.is_valid():
        actions.update_care_team_member(seat, form.cleaned_data["role"])
        messages.success(request, _("The care team was updated."))
    else:
        messages.error(request, _("Choose a valid role."))
    return redirect("children:team", child_id=child.id)


@require_POST
@permits("children.team")
def care_remove(request: MemberRequest, child_id: uuid.UUID, member_id: uuid.UUID) -> HttpResponse:
    membership = request.membership
    child = child_for(request, child_id, "children.manage_care_team")
    seat = _get_or_404(care_team_visible_to(membership, child), member_id)
    actions.remove_from_care_team(seat)
    messages.success(request, _("The therapist was taken off the team."))
    return redirect("children:team", child_id=child.id)


@require_GET
@permits("children.view")
def photo(request: MemberRequest, child_id: uuid.UUID) -> HttpResponseBase:
    """Serve the child's photo through the access layer (never from the web root)."""
    child = child_for(request, child_id, "children.view")
    if not child.photo:
        raise not_found()
    handle = open_or_404(child.photo)
    # The type comes from the bytes, never from the stored name.
    content_type = stored_content_type(handle)
    if content_type is None or not content_type.startswith("image/"):
        handle.close()
        raise not_found()
    log_access(request, [child])
    return FileResponse(handle, content_type=content_type)


def _get_or_404(queryset: "QuerySet[Seat]", pk: uuid.UUID) -> "Seat":
    try:
        return queryset.get(pk=pk)
    except (GuardianLink.DoesNotExist, CareTeamMember.DoesNotExist) as exc:
        raise not_found() from exc
