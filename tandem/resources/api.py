"""The resources part of the API: the library ("for you" for families), sharing with a
family, workshops, and places at them or turns on their waitlists.

Paths are relative to /api/v1/. Written text and video links are created as JSON;
handouts as multipart forms with their ``file``, which is checked by its content as
in the browser (a PDF, PNG or JPEG up to 10 MB). A file is read back as base64.
"""

import base64
import uuid
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from tandem.access import MemberRequest, child_for, not_found
from tandem.access.api import path_param, permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.homeprogram.access import activity_of

from . import actions
from .access import (
    for_families,
    get_assignment,
    get_library_resource,
    get_workshop,
    library_for,
    registrations_of_member,
    turn_of,
    upcoming_workshops,
)
from .models import (
    MAX_AGE_MONTHS,
    Resource,
    ResourceAssignment,
    ResourceKind,
    Workshop,
    WorkshopRegistration,
)
from .uploads import CONTENT_TYPES
from .views import family_children, filter_library, resource_for, uses_library

router = Router(tags=["resources"])
LIBRARY_LIMIT = 200
WRITE_ERRORS = {**ERRORS, 409: ConflictOut}


# --- Schemas -------------------------------------------------------------------------


class ResourceOut(Schema):
    id: uuid.UUID
    title: str
    kind: str
    summary: str
    body: str
    url: str
    has_file: bool
    file_type: str = Field(description='"pdf", "png" or "jpeg" for a handout, else empty')
    file_name: str
    domains: list[str]
    min_age_months: int | None
    max_age_months: int | None
    language: str
    version: int
    for_children: list[str] = Field(description="Families: the children it is for")


class ShareOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    resource: ResourceOut
    home_activity_id: uuid.UUID | None
    note: str
    shared_at: datetime


class ChildResourcesOut(Schema):
    shared: list[ShareOut]
    suggested: list[ResourceOut] = Field(description="Fits the child's age and plan domains")


class ResourceIn(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    kind: Literal["text", "video"]
    summary: str = Field("", max_length=300)
    body: str = Field("", max_length=20000)
    url: str = Field("", max_length=500)
    domains: list[str] = []
    min_age_months: int | None = Field(None, ge=0, le=MAX_AGE_MONTHS)
    max_age_months: int | None = Field(None, ge=0, le=MAX_AGE_MONTHS)
    language: Literal["en", "es"] = "en"


class HandoutIn(InputSchema):
    """A handout's fields, sent as a multipart form beside its ``file``."""

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=300)
    domains: list[str] = []
    min_age_months: int | None = Field(None, ge=0, le=MAX_AGE_MONTHS)
    max_age_months: int | None = Field(None, ge=0, le=MAX_AGE_MONTHS)
    language: Literal["en", "es"] = "en"


class ResourceFileOut(Schema):
    id: uuid.UUID
    file_name: str
    content_type: str
    size: int
    data_base64: str


class LibraryFilters(Schema):
    q: str | None = Field(None, max_length=100)
    domain: str | None = None
    kind: str | None = None
    language: str | None = None
    age_months: int | None = Field(None, ge=0, le=MAX_AGE_MONTHS)


class ShareIn(InputSchema):
    resource_id: uuid.UUID
    home_activity_id: uuid.UUID | None = None
    note: str = Field("", max_length=300)


class WorkshopOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    starts_at: datetime
    duration_minutes: int
    location: str
    online_url: str
    capacity: int
    places_left: int
    language: str
    cancelled: bool
    waiting: int = Field(description="Families on the waitlist")
    registered: bool = Field(description="The caller has a place")
    waitlist_position: int | None = Field(
        description="The caller's number on the waitlist (1 is next), if waiting"
    )
    version: int


class WorkshopIn(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    starts_at: datetime
    duration_minutes: int = Field(60, ge=5, le=600)
    location: str = Field("", max_length=300)
    online_url: str = Field("", max_length=500)
    capacity: int = Field(ge=1, le=1000)
    language: Literal["en", "es"] = "en"


class PlaceIn(InputSchema):
    workshop_id: uuid.UUID


class PlaceOut(Schema):
    id: uuid.UUID
    workshop_id: uuid.UUID
    workshop_title: str
    starts_at: datetime
    guardian: str
    status: Literal["registered", "waitlisted"] = Field(
        description="A place, or a turn on the waitlist of a full workshop"
    )
    waitlist_position: int | None = Field(description="1 is next; None for a place")
    registered_at: datetime = Field(description="When the place or the turn was asked for")
    promoted_at: datetime | None = Field(description="When a place came from the waitlist")


def resource_out(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.id,
        "title": resource.title,
        "kind": resource.kind,
        "summary": resource.summary,
        "body": resource.body,
        "url": resource.url,
        "has_file": bool(resource.file),
        "file_type": resource.file_type,
        "file_name": resource.file_name if resource.file else "",
        "domains": [t.domain for t in resource.tags.all()],
        "min_age_months": resource.min_age_months,
        "max_age_months": resource.max_age_months,
        "language": resource.language,
        "version": resource.version,
        "for_children": getattr(resource, "for_children", []),
    }


def share_out(share: ResourceAssignment, resource: Resource) -> dict[str, Any]:
    return {
        "id": share.id,
        "child_id": share.child_id,
        "resource": resource_out(resource),
        "home_activity_id": share.home_activity_id,
        "note": share.note,
        "shared_at": share.created_at,
    }


def workshop_out(workshop: Workshop) -> dict[str, Any]:
    taken = getattr(workshop, "places_taken", 0)
    return {
        "id": workshop.id,
        "title": workshop.title,
        "description": workshop.description,
        "starts_at": workshop.starts_at,
        "duration_minutes": workshop.duration_minutes,
        "location": workshop.location,
        "online_url": workshop.online_url,
        "capacity": workshop.capacity,
        "places_left": max(workshop.capacity - taken, 0),
        "language": workshop.language,
        "cancelled": workshop.cancelled_at is not None,
        "waiting": getattr(workshop, "waiting", 0),
        "registered": bool(getattr(workshop, "registered", False)),
        "waitlist_position": getattr(workshop, "waitlist_turn", None),
        "version": workshop.version,
    }


def place_out(place: WorkshopRegistration) -> dict[str, Any]:
    return {
        "id": place.id,
        "workshop_id": place.workshop_id,
        "workshop_title": place.workshop.title,
        "starts_at": place.workshop.starts_at,
        "guardian": place.guardian.display_name,
        "status": place.status,
        "waitlist_position": getattr(place, "turn", None),
        "registered_at": place.created_at,
        "promoted_at": place.promoted_at,
    }


# --- Checks run before the input is read (404 for those the operation is not for) -----

BROWSE = signed_in(permits_api("resources.browse"))
LIBRARY = signed_in(permits_api("resources.library"))
HOST = signed_in(permits_api("resources.host"))
REGISTER = signed_in(permits_api("resources.register"))
VIEW_CHILD = signed_in(permits_api("resources.view"))
_SEES_CHILD = permits_api("resources.view")
_EDITS_LIBRARY = permits_api("resources.library")


def child_sharer(request: HttpRequest, membership: Membership) -> None:
    """Who sees the child's resources (404 for anyone else), and of them the child's
    editors (403 for the others: the family sees what is shared but does not share)."""
    _SEES_CHILD(request, membership)
    child_for(request, path_param(request, "child_id"), "resources.share", hide=False)


def refuse_unknown_fields(request: HttpRequest, expected: Any = ()) -> None:
    """A multipart form takes only the fields its schema names (as JSON bodies do)."""
    unknown = sorted(set(request.POST) - set(expected))
    if unknown:
        raise ValidationError({name: [_("This field is not expected here.")] for name in unknown})


def library_editor(request: HttpRequest, membership: Membership) -> None:
    """Staff, and a resource of their library named by the path (else 404)."""
    _EDITS_LIBRARY(request, membership)
    get_library_resource(membership, path_param(request, "resource_id"))


# --- Library -------------------------------------------------------------------------


@router.get("/resources", response={200: list[ResourceOut], **ERRORS}, auth=BROWSE)
def list_resources(request: MemberRequest, filters: Query[LibraryFilters]) -> list[dict[str, Any]]:
    """Staff: the library, filtered. Families: what is for them (shared and suggested)."""
    membership = request.membership
    if not uses_library(membership):
        children = family_children(membership)
        resources, _shares = for_families(membership, children, request.user.language)
        log_access(request, children, action=AccessLog.Action.LIST)
        return [resource_out(r) for r in resources]
    found = filter_library(library_for(membership), filters.model_dump()).distinct()
    return [resource_out(r) for r in found[:LIBRARY_LIMIT]]


@router.post("/resources", response={201: ResourceOut, **ERRORS}, auth=LIBRARY)
def create_resource(request: MemberRequest, payload: ResourceIn) -> Status[Any]:
    """Add written text or a video link to the library (staff)."""
    membership = request.membership
    resource = actions.create_resource(membership, **payload.model_dump())
    return Status(201, resource_out(get_library_resource(membership, resource.id)))


@router.post("/resources/handouts", response={201: ResourceOut, **ERRORS}, auth=LIBRARY)
def create_handout(
    request: MemberRequest, payload: Form[HandoutIn], file: File[UploadedFile]
) -> Status[Any]:
    """Add a handout (multipart: its fields and ``file``, a PDF, PNG or JPEG; staff)."""
    refuse_unknown_fields(request, HandoutIn.model_fields)
    membership = request.membership
    resource = actions.create_resource(
        membership, kind=ResourceKind.HANDOUT, upload=file, **payload.model_dump()
    )
    return Status(201, resource_out(get_library_resource(membership, resource.id)))


@router.post(
    "/resources/{resource_id}/file",
    response={200: ResourceOut, **WRITE_ERRORS},
    auth=signed_in(library_editor),
)
def replace_file(
    request: MemberRequest, resource_id: uuid.UUID, version: int, file: File[UploadedFile]
) -> dict[str, Any]:
    """Replace a handout's file, based on its ``version`` (multipart ``file``; staff)."""
    refuse_unknown_fields(request)
    membership = request.membership
    resource = get_library_resource(membership, resource_id)
    if resource.kind != ResourceKind.HANDOUT:
        raise ValidationError({"file": [_("Only a handout has a file.")]})
    actions.update_resource(resource, expected_version=version, upload=file)
    return resource_out(get_library_resource(membership, resource_id))


@router.get("/resources/{resource_id}/file", response={200: ResourceFileOut, **ERRORS}, auth=BROWSE)
def get_file(request: MemberRequest, resource_id: uuid.UUID) -> dict[str, Any]:
    """A handout's file, its bytes in base64: staff, and families it is shared with or
    suggested for."""
    resource = resource_for(request.membership, request.user.language, resource_id)
    if not resource.file or resource.file_type not in CONTENT_TYPES:
        raise not_found()
    try:
        with resource.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError) as exc:
        raise not_found() from exc
    return {
        "id": resource.id,
        "file_name": resource.file_name or f"resource.{resource.file_type}",
        "content_type": CONTENT_TYPES[resource.file_type],
        "size": len(data),
        "data_base64": base64.b64encode(data).decode("ascii"),
    }


# --- A child's resources -----------------------------------------------------------------


@router.get(
    "/children/{child_id}/resources",
    response={200: ChildResourcesOut, **ERRORS},
    auth=VIEW_CHILD,
)
def child_resources(request: MemberRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """What was shared with the child's family, and what else fits the child."""
    membership = request.membership
    child = child_for(request, child_id, "resources.view")
    log_access(request, [child])
    language = None if uses_library(membership) else request.user.language
    resources, shares = for_families(membership, [child], language)
    by_id = {r.id: r for r in resources}
    return {
        "shared": [share_out(s, by_id[s.resource_id]) for s in shares if s.resource_id in by_id],
        "suggested": [resource_out(r) for r in resources if not r.shared],
    }


@router.post(
    "/children/{child_id}/resources",
    response={201: ShareOut, **ERRORS},
    auth=signed_in(child_sharer),
)
def share_resource(request: MemberRequest, child_id: uuid.UUID, payload: ShareIn) -> Status[Any]:
    """Share a library resource with the child's family, optionally for a home activity."""
    membership = request.membership
    child = child_for(request, child_id, "resources.share")
    resource = get_library_resource(membership, payload.resource_id)
    activity = None
    if payload.home_activity_id:
        try:
            activity = activity_of(membership, child, payload.home_activity_id)
        except Http404 as exc:  # not one of this child's activities: a bad reference
            raise ValidationError(
                {"home_activity_id": [_("Choose one of this child's home activities.")]}
            ) from exc
    share = actions.share_resource(
        membership, child, resource, home_activity=activity, note=payload.note
    )
    return Status(201, share_out(share, resource))


@router.delete(
    "/children/{child_id}/resources/{share_id}",
    response={204: None, **ERRORS},
    auth=signed_in(child_sharer),
)
def unshare_resource(
    request: MemberRequest, child_id: uuid.UUID, share_id: uuid.UUID
) -> Status[None]:
    """Stop sharing a resource with the child's family."""
    membership = request.membership
    child = child_for(request, child_id, "resources.share")
    actions.unshare(get_assignment(membership, child, share_id))
    return Status(204, None)


# --- Workshops ---------------------------------------------------------------------------


@router.get("/workshops", response={200: list[WorkshopOut], **ERRORS}, auth=BROWSE)
def list_workshops(request: MemberRequest) -> list[dict[str, Any]]:
    """Upcoming workshops with the places left and how many families wait for one."""
    return [workshop_out(w) for w in upcoming_workshops(request.membership)]


@router.post("/workshops", response={201: WorkshopOut, **ERRORS}, auth=HOST)
def create_workshop(request: MemberRequest, payload: WorkshopIn) -> Status[Any]:
    """Announce a workshop or event (staff)."""
    membership = request.membership
    workshop = actions.create_workshop(membership, **payload.model_dump())
    return Status(201, workshop_out(get_workshop(membership, workshop.id)))


@router.get("/workshop-registrations", response={200: list[PlaceOut], **ERRORS}, auth=BROWSE)
def list_places(
    request: MemberRequest, workshop_id: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """A guardian's own places and waitlist turns; for staff, who has a place and who
    waits (optionally at one workshop)."""
    places = registrations_of_member(request.membership)
    if workshop_id is not None:
        places = places.filter(workshop_id=workshop_id)
    return [place_out(p) for p in places]


@router.post("/workshop-registrations", response={201: PlaceOut, **ERRORS}, auth=REGISTER)
def take_place(request: MemberRequest, payload: PlaceIn) -> Status[Any]:
    """Take a place at a workshop (guardians); when it is full, join its waitlist
    (``status`` "waitlisted"): a freed place goes to the next family, who is told."""
    membership = request.membership
    workshop = get_workshop(membership, payload.workshop_id)
    place = actions.register(membership, workshop)
    place.workshop = workshop
    place.guardian = membership
    return Status(201, place_out(place) | {"waitlist_position": turn_of(place)})


@router.post("/workshop-registrations/cancel", response={200: PlaceOut, **ERRORS}, auth=REGISTER)
def give_up_place(request: MemberRequest, payload: PlaceIn) -> dict[str, Any]:
    """Give up one's place, or leave the waitlist (guardians); returns what was given up."""
    membership = request.membership
    workshop = get_workshop(membership, payload.workshop_id)
    place = actions.cancel_registration(membership, workshop)
    place.workshop = workshop
    place.guardian = membership
    return place_out(place)
