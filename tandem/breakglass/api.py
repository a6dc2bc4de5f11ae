"""The break-glass API (mounted under /api/v1/ by tandem/api_v1.py): the clinic's admins
read every emergency access, newest first, with its review and the record views made
during it; nobody else finds the operation (404).

Opening a record in an emergency is a page of its own (``/emergency/``): it is meant for a
person in front of a screen, not for a script.
"""

import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from tandem.access.api import permits_api
from tandem.accounts.request import member
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, MAX_OFFSET, PersonOut, person
from tandem.emergency.access import accesses_of
from tandem.emergency.models import EmergencyAccess

from .reading import with_views

router = Router(tags=["emergency access"])
MAX_PAGE = 100


class ChildBrief(Schema):
    id: uuid.UUID
    name: str


class EmergencyAccessOut(Schema):
    id: uuid.UUID
    child: ChildBrief
    member: PersonOut = Field(description="The clinician who opened the record")
    reason: str
    started_at: datetime
    expires_at: datetime = Field(description="When the access ends unless ended before")
    ended_at: datetime | None = Field(description="Ended before its hour, and when")
    ended_by: PersonOut | None
    active: bool
    record_views: int = Field(description="Views of the child's record made during it")
    reviewed_at: datetime | None
    reviewed_by: PersonOut | None
    outcome: Literal["", "appropriate", "not_appropriate"]
    review_comment: str


class EmergencyAccessFilters(Schema):
    reviewed: bool | None = Field(
        None, description="true: reviewed ones only; false: those awaiting review"
    )


class EmergencyAccessPaging(LimitOffsetPagination.Input):
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class AccessPage(LimitOffsetPagination):
    """A page of grants (at most 100)."""

    Input = EmergencyAccessPaging  # named for the schema: another page's is "Input"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        offset, limit = pagination.offset, min(pagination.limit, MAX_PAGE)
        items = [access_out(a) for a in queryset[offset : offset + limit]]
        return {"items": items, "count": queryset.count()}


def access_out(access: EmergencyAccess) -> dict[str, Any]:
    return {
        "id": access.id,
        "child": {"id": access.child_id, "name": access.child.display_name},
        "member": person(access.member),
        "reason": access.reason,
        "started_at": access.started_at,
        "expires_at": access.expires_at,
        "ended_at": access.ended_at,
        "ended_by": person(access.ended_by) if access.ended_by else None,
        "active": access.is_active(),
        "record_views": getattr(access, "record_views", 0),
        "reviewed_at": access.reviewed_at,
        "reviewed_by": person(access.reviewed_by) if access.reviewed_by else None,
        "outcome": access.outcome,
        "review_comment": access.review_comment,
    }


@router.get(
    "/emergency-access",
    response={200: list[EmergencyAccessOut], **ERRORS},
    auth=signed_in(permits_api("emergency.review")),
)
@paginate(AccessPage)
def list_emergency_access(request: HttpRequest, filters: Query[EmergencyAccessFilters]) -> Any:
    """Every emergency access of the clinic, newest first (admins)."""
    membership = member(request)
    grants = accesses_of(membership).order_by("-started_at", "id")
    if filters.reviewed is not None:
        grants = grants.filter(reviewed_at__isnull=not filters.reviewed)
    return with_views(membership, grants)
