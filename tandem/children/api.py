"""Children over the API: the caseload, one child's record, adding, changing, archiving.

Paths are relative to /api/v1/. Children are fetched only through
``tandem.children.access`` and changed only through ``tandem.children.actions``.
"""

import uuid
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from tandem.access import allows
from tandem.access.api import api_child, permits_api
from tandem.access.relation import get_visible_child
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, ConflictOut
from tandem.children import actions
from tandem.children.access import children_visible_to, diagnoses_in
from tandem.children.models import Child

from .access_log import log_access
from .pagination import LoggedChildrenPage
from .schemas import ChildFilters, ChildIn, ChildOut, ChildPatch, diagnosis_pairs

router = Router(tags=["children"])
MAX_SEARCH_WORDS = 5


def with_diagnoses(request: HttpRequest, child: Child) -> Child:
    """Load the child's diagnoses the same way a page of children does (one query); for
    the front desk, none (diagnoses are clinical)."""
    membership = acting_member(request)
    queryset = diagnoses_in(membership)
    if not allows(membership, "children.caseload_diagnoses"):
        queryset = queryset.none()
    prefetch_related_objects([child], Prefetch("diagnoses", queryset=queryset))
    return child


def shown_child(request: HttpRequest, child_id: uuid.UUID, *, fresh: bool = False) -> Child:
    """Fetch a child the caller may see, with diagnoses, and log the view (``fresh``: read
    again after a change, not the child the access check found)."""
    membership = acting_member(request)
    found = get_visible_child(membership, child_id) if fresh else None
    child = with_diagnoses(request, found or api_child(request, membership, child_id))
    log_access(request, [child])
    return child


@router.get(
    "/children",
    response={200: list[ChildOut], **ERRORS},
    auth=signed_in(permits_api("children.list")),
)
@paginate(LoggedChildrenPage)
def list_children(request: HttpRequest, filters: Query[ChildFilters]) -> Any:
    """The children the caller may see, by name; ``q`` searches first, last and preferred names."""
    membership = acting_member(request)
    diagnoses = diagnoses_in(membership)
    if not allows(membership, "children.caseload_diagnoses"):
        diagnoses = diagnoses.none()
    children = (
        children_visible_to(membership)
        .active()
        .prefetch_related(Prefetch("diagnoses", queryset=diagnoses))
        .order_by("last_name", "first_name", "id")
    )
    for word in (filters.q or "").split()[:MAX_SEARCH_WORDS]:
        children = children.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return children


@router.post(
    "/children",
    response={201: ChildOut, **ERRORS},
    auth=signed_in(permits_api("children.create", gate="children.list")),
)
def create_child(request: HttpRequest, payload: ChildIn) -> Status[Any]:
    """Add a child to the caller's organization (clinic admins and the front desk)."""
    membership = acting_member(request)
    fields = payload.model_dump()
    diagnoses = diagnosis_pairs(fields.pop("diagnoses"))
    child = actions.create_child(membership, diagnoses=diagnoses, **fields)
    return Status(201, with_diagnoses(request, get_visible_child(membership, child.id)))


@router.get(
    "/children/{child_id}",
    response={200: ChildOut, **ERRORS},
    auth=signed_in(permits_api("children.view")),
)
def get_child_record(request: HttpRequest, child_id: uuid.UUID) -> Child:
    """One child's record."""
    return shown_child(request, child_id)


@router.patch(
    "/children/{child_id}",
    response={200: ChildOut, 409: ConflictOut, **ERRORS},
    auth=signed_in(permits_api("children.edit", gate="children.view")),
)
def update_child(request: HttpRequest, child_id: uuid.UUID, payload: ChildPatch) -> Child:
    """Change the record as of ``version``; someone else's newer change gets a 409."""
    child = api_child(request, acting_member(request), child_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if changes.get("diagnoses") is not None:
        changes["diagnoses"] = diagnosis_pairs(changes["diagnoses"])
    actions.update_child(child, expected_version=version, **changes)
    return shown_child(request, child_id, fresh=True)


@router.delete(
    "/children/{child_id}",
    response={204: None, 409: ConflictOut, **ERRORS},
    auth=signed_in(permits_api("children.archive", gate="children.view")),
)
def archive_child(request: HttpRequest, child_id: uuid.UUID, version: int) -> Status[None]:
    """Archive the child (clinic admins): off every list, record and history kept."""
    child = api_child(request, acting_member(request), child_id)
    actions.archive_child(child, expected_version=version)
    return Status(204, None)
