"""Field-level changes as people read them: the field's label, old → new, links named.

A version's raw values are database values (ids, choice codes, booleans). ``describe``
turns them into what the record's page would show: the model field's verbose name; a
choice by its label; a yes/no; a date; a link (a ForeignKey) by the name of what it
points at, looked up in one query per linked model for all the changes shown (never one
per change); long text shortened, with the whole of it kept for a "show all" toggle.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child

SHORT = 80  # characters of a value shown before "show all"
# Concrete fields naming a record for people, tried in order, when a link points at it.
LABEL_FIELDS = ("name", "title", "code", "label", "description", "number")


@dataclass
class FieldChange:
    """One field of one version: its label, and the old and new values as text."""

    label: str
    old: str | None  # None: the record was created (nothing before)
    new: str
    # The same for machines (the CSV): dates and times ISO 8601, numbers not localized.
    old_iso: str | None = None
    new_iso: str = ""

    @property
    def old_short(self) -> str:
        return _short(self.old or "")

    @property
    def new_short(self) -> str:
        return _short(self.new)

    @property
    def is_long(self) -> bool:
        return len(self.old or "") > SHORT or len(self.new) > SHORT


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def _label_of(obj: Any) -> str:
    """A linked record's name without touching its own links (no query)."""
    if isinstance(obj, Membership):
        return obj.display_name
    if isinstance(obj, Child):
        return obj.display_name
    concrete = {f.attname for f in obj._meta.concrete_fields}
    for name in LABEL_FIELDS:
        if name in concrete and getattr(obj, name):
            return f"{obj._meta.verbose_name} {getattr(obj, name)}"
    return str(obj._meta.verbose_name)


def _names(organization_id: Any, wanted: dict[Any, set[Any]]) -> dict[tuple[Any, Any], str]:
    """Names of linked records: one query per linked model, within the clinic."""
    found: dict[tuple[Any, Any], str] = {}
    for model, ids in wanted.items():
        rows = model._default_manager.filter(pk__in=ids)
        if model is Membership:
            rows = rows.select_related("user")
        if any(f.name == "organization" for f in model._meta.concrete_fields):
            rows = rows.filter(organization_id=organization_id)
        for obj in rows:
            found[(model, obj.pk)] = _label_of(obj)
    return found


def _text(field: Any, value: Any, names: dict[tuple[Any, Any], str], *, iso: bool = False) -> str:
    if value is None or value == "":
        return "" if iso else "—"
    if iso and isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if iso and isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if field.is_relation:
        return names.get((field.related_model, value), _("(removed record)"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "STAMP_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "MEDIUM_DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value)
    return str(value)


def describe(organization_id: Any, changes: Iterable[Any]) -> list[Any]:
    """Fill each change's ``described`` from its raw ``fields`` (see the module's text)."""
    changes = list(changes)
    wanted: dict[Any, set[Any]] = defaultdict(set)
    columns: dict[Any, dict[str, Any]] = {}
    for change in changes:
        if change.model not in columns:
            columns[change.model] = {f.attname: f for f in change.model._meta.concrete_fields}
        for column, old, new in change.fields:
            field = columns[change.model][column]
            if field.is_relation:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
    names = _names(organization_id, wanted)
    for change in changes:
        fields = [(columns[change.model][c], old, new) for c, old, new in change.fields]
        change.described = [
            FieldChange(
                label=str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:],
                old=None if old is None and change.kind == "created" else _text(field, old, names),
                new=_text(field, new, names),
                old_iso=None if old is None else _text(field, old, names, iso=True),
                new_iso=_text(field, new, names, iso=True),
            )
            for field, old, new in fields
        ]
    return changes
