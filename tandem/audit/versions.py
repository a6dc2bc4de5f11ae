"""Read the version history of child records: who changed what, and when."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import groupby
from typing import Any, Protocol, cast

from django.apps import apps
from django.db.models import Q
from django.db.models.options import Options
from django.utils.functional import Promise

from tandem.children.models import Child

from .diffs import FieldChange, describe


class VersionedModel(Protocol):
    """A model class with a version history (``history``, django-simple-history's manager).

    Its managers are typed Any: a protocol member typed as a Manager is read as a descriptor.
    """

    @property
    def history(self) -> Any: ...
    @property
    def objects(self) -> Any: ...
    @property
    def _meta(self) -> Options[Any]: ...


@cache
def versioned_models() -> tuple[VersionedModel, ...]:
    """Every clinical model that keeps a version history (django-simple-history).

    Each carries ``organization`` and ``child`` (the child itself for Child), so its
    history can be read per organization and per child; a record shared by several
    children (a session) names instead, as ``history_children``, the model and column
    linking it to each child (a session's appointments: ``("appointments.Appointment",
    "encounter_id")``).
    """
    return tuple(
        cast(VersionedModel, model)
        for model in apps.get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    )


IGNORED_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
    "updated_at",
    "created_at",
    "version",
    "hash_version",
    "id",
    "organization_id",
}
KINDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    """One version of one record, with the fields that changed since the one before."""

    at: datetime
    kind: str
    record: str | Promise | None  # the model's verbose name, translated when shown
    label: str
    user: Any
    child_id: Any
    # The raw values: (column, old value, new value); ``described``: as people read them.
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    model: Any = None
    described: list[FieldChange] = field(default_factory=list)
    child_name: str = ""  # set by the page that shows it, from the children it may see

    @property
    def user_pk(self) -> Any:
        return getattr(self.user, "pk", None)


def _links(model: Any) -> tuple[Any, str] | None:
    """The model linking a shared record to its children, and the column naming it."""
    shared = getattr(model, "history_children", None)
    if shared is None:
        return None
    label, column = shared
    return apps.get_model(label), column


def _history_filter(
    model: VersionedModel,
    organization_id: Any,
    *,
    child_id: Any = None,
    user: Any = None,
    since: datetime | None = None,
    before: datetime | None = None,
) -> Q:
    q = Q(organization_id=organization_id)
    if since is not None:
        q &= Q(history_date__gte=since)
    if before is not None:
        q &= Q(history_date__lt=before)
    links = _links(model)
    if child_id is not None and links is not None:
        link, column = links
        linked = link.objects.filter(organization_id=organization_id, child_id=child_id)
        q &= Q(id__in=linked.values(column))
    elif child_id is not None:
        q &= Q(id=child_id) if model is Child else Q(child_id=child_id)
    if user is not None:
        q &= Q(history_user=user)
    return q


def changes(
    organization_id: Any,
    *,
    child_id: Any = None,
    user: Any = None,
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int = 200,
) -> list[Change]:
    """Return the latest changes to child records, newest first (one query per model,
    then one per model their changed links point at, to name them: ``describe``)."""
    result: list[Change] = []
    for model in versioned_models():
        where = _history_filter(
            model, organization_id, child_id=child_id, user=user, since=since, before=before
        )
        rows = list(
            model.history.filter(where)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")[: limit * 4]
        )
        fields = [f for f in model._meta.concrete_fields if f.attname not in IGNORED_FIELDS]
        child_of = _children_of(model, organization_id, rows, child_id)
        for _pk, versions in groupby(rows, key=lambda r: r.id):
            previous: Any = None
            for version in versions:
                diff = []
                for f in fields:
                    new = getattr(version, f.attname)
                    old = getattr(previous, f.attname) if previous is not None else None
                    if previous is None and version.history_type == "+" and new in ("", None):
                        continue
                    if previous is None or new != old:
                        diff.append((f.attname, old, new))
                result.append(
                    Change(
                        at=version.history_date,
                        kind=KINDS.get(version.history_type, version.history_type),
                        record=model._meta.verbose_name,
                        label=str(getattr(version, "code", "") or ""),
                        user=version.history_user,
                        child_id=child_of(version),
                        fields=diff if version.history_type != "-" else [],
                        model=model,
                    )
                )
                previous = version
    result.sort(key=lambda c: c.at, reverse=True)
    return describe(organization_id, result[:limit])


def _children_of(
    model: Any, organization_id: Any, rows: list[Any], child_id: Any
) -> Callable[[Any], Any]:
    """How to name the child of a version: its own, or for a shared record the child
    asked for, else one of its children (one query for all the rows)."""
    if model is Child:
        return lambda version: version.id
    links = _links(model)
    if links is None:
        return lambda version: version.child_id
    if child_id is not None:
        return lambda version: child_id
    link, column = links
    pairs = link.objects.filter(
        organization_id=organization_id, **{f"{column}__in": {r.id for r in rows}}
    ).values_list(column, "child_id")
    first: dict[Any, Any] = {}
    for record_id, linked_child in pairs:
        first.setdefault(record_id, linked_child)
    return lambda version: first.get(version.id)
