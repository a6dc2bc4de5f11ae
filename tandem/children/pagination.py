"""Pages of children: limit/offset, at most 100 a page, each page written to the access log."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from tandem.api.schemas import MAX_OFFSET

from .access_log import LIST, log_access

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class LoggedChildrenPage(LimitOffsetPagination):
    """A page of children; the children on it are logged as listed, in one insert."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)

    def paginate_queryset(
        self,
        queryset: QuerySet,
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        offset, limit = pagination.offset, min(pagination.limit, MAX_LIMIT)
        children = list(queryset[offset : offset + limit])
        log_access(request, children, action=LIST)
        return {"items": children, "count": queryset.count()}
