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

from tandem.audit.actions import log_access
from tandem.children import actions
from tandem.children.access import children_visible_to, diagnoses_in, get_child
from tandem.children.models import Child

from .auth import acting_member, signed_in
from .child_schemas import ChildFilters, ChildIn, ChildOut, ChildPatch, diagnosis_pairs
from .pagination import LoggedChildrenPage
from .permissions import child_editor, child_manager, clinic_admin
from .schemas import ERRORS, ConflictOut

router = Router(tags=["children"])
MAX_SEARCH_WORDS = 5


def with_diagnoses(request: HttpRequest, child: Child) -> Child:
    """Load the child's diagnoses the same way a page of children does (one query)."""
    prefetch = Prefetch("diagnoses", queryset=diagnoses_in(acting_member(request)))
    prefetch_related_objects([child], prefetch)
    return child


def shown_child(request: HttpRequest, child_id: uuid.UUID) -> Child:
    """Fetch a child the caller may see, with diagnoses, and log the view."""
    child = with_diagnoses(request, get_child(acting_member(request), child_id))
    log_access(request, [child])
    return child


@router.get("/children", response=list[ChildOut])
@paginate(LoggedChildrenPage)
def list_children(request: HttpRequest, filters: Query[ChildFilters]) -> Any:
    """The children the caller may see, by name; ``q`` searches first, last and preferred names."""
    membership = acting_member(request)
    children = (
        children_visible_to(membership)
        .active()
        .prefetch_related(Prefetch("diagnoses", queryset=diagnoses_in(membership)))
        .order_by("last_name", "first_name", "id")
    )
    for word in (filters.q or "").split()[:MAX_SEARCH_WORDS]:
        children = children.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return children


@router.post("/children", response={201: ChildOut, **ERRORS}, auth=signed_in(clinic_admin))
def create_child(request: HttpRequest, payload: ChildIn) -> Status[Any]:
    """Add a child to the caller's organization (clinic admins)."""
    membership = acting_member(request)
    fields = payload.model_dump()
    diagnoses = diagnosis_pairs(fields.pop("diagnoses"))
    child = actions.create_child(membership, diagnoses=diagnoses, **fields)
    return Status(201, with_diagnoses(request, get_child(membership, child.id)))


@router.get("/children/{child_id}", response={200: ChildOut, **ERRORS})
def get_child_record(request: HttpRequest, child_id: uuid.UUID) -> Child:
    """One child's record."""
    return shown_child(request, child_id)


@router.patch(
    "/children/{child_id}",
    response={200: ChildOut, 409: ConflictOut, **ERRORS},
    auth=signed_in(child_editor),
)
def update_child(request: HttpRequest, child_id: uuid.UUID, payload: ChildPatch) -> Child:
    """Change the record as of ``version``; someone else's newer change gets a 409."""
    child = get_child(acting_member(request), child_id, for_edit=True)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if changes.get("diagnoses") is not None:
        changes["diagnoses"] = diagnosis_pairs(changes["diagnoses"])
    actions.update_child(child, expected_version=version, **changes)
    return shown_child(request, child_id)


@router.delete(
    "/children/{child_id}",
    response={204: None, 409: ConflictOut, **ERRORS},
    auth=signed_in(child_manager),
)
def archive_child(request: HttpRequest, child_id: uuid.UUID, version: int) -> Status[None]:
    """Archive the child (clinic admins): off every list, record and history kept."""
    child = get_child(acting_member(request), child_id)
    actions.archive_child(child, expected_version=version)
    return Status(204, None)
