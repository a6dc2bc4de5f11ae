"""What every resource mapper shares: its spec, the reader's context, meta and references."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from tandem.accounts.models import Membership

from .search import Param

TANDEM_ID = "urn:tandem:id"  # the system of Tandem's own identifiers


@dataclass
class Context:
    """What a mapper needs to know about the reader (built once per request)."""

    membership: Membership
    clinical: bool  # reads clinical statements (staff), else the family's wording
    # What a page's mappers load once for all its rows (the clinic's NPIs …).
    loaded: dict[str, Any] = field(default_factory=dict)
    # The server's address (``https://…``, no trailing slash), for links to pages and files.
    site: str = ""

    def once(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self.loaded:
            self.loaded[key] = load()
        return self.loaded[key]


# rows(membership, child_ids) -> the app reader's rows of those children (None: not per child)
Rows = Callable[[Membership, list[Any] | None], QuerySet[Any]]
Render = Callable[[Any, Context], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    total: int
    items: list[Any]


def default_page(
    rows: QuerySet[Any], order: tuple[str, ...], offset: int, count: int, params: QueryDict
) -> Page:
    return Page(rows.count(), list(rows.order_by(*order)[offset : offset + count]))


@dataclass(frozen=True)
class Spec:
    """One FHIR resource type: who may read it (kernel actions, any of which admits a child),
    where its rows come from, how one becomes a resource and how it is searched."""

    type: str
    actions: tuple[str, ...] | None  # None: not a child's record (the clinic, its staff)
    rows: Rows
    render: Render
    params: dict[str, Param]
    order: tuple[str, ...] = ("id",)
    child_attr: str | None = "child_id"
    page: Callable[[QuerySet[Any], tuple[str, ...], int, int, QueryDict], Page] = default_page
    # One resource by its id (default: the row of that primary key), None if not there.
    fetch: Callable[[QuerySet[Any], str], Any] | None = None
    # Who may read one at all, for a type that is not a child's record (its reader decides
    # the rows; the routes declare these roles to the authorization matrix).
    roles: frozenset[str] = frozenset()
    # The ids of a type whose resources are the same for every clinic (the shipped
    # questionnaires): each has its own read route, with no parameter.
    fixed_ids: Callable[[], list[str]] | None = None


def instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def meta(obj: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"lastUpdated": instant(obj.updated_at)}
    version = getattr(obj, "version", None)
    if version is not None:
        found["versionId"] = str(version)
    return found


def ref(kind: str, pk: Any, display: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"reference": f"{kind}/{pk}"}
    if display:
        found["display"] = display
    return found


def identifier(pk: Any) -> list[dict[str, Any]]:
    return [{"use": "official", "system": TANDEM_ID, "value": str(pk)}]


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if display:
        found["text"] = display
    return found


COMMON = {
    "_id": Param("id", "pk"),
    "_lastUpdated": Param("date", "updated_at", instant=True),
}
