"""The full-record export: every row a clinic owns and every file those rows point at.

One canonical form — each table's rows as stored, ordered by primary key, written as
sorted JSON, with each stored file's SHA-256 — and one SHA-256 over it, so that two copies
of a clinic's records (before a backup and after its restore) are compared in one line
(``manage.py record_digest``).

Which rows are the clinic's is read from the app registry, so a new model is covered the
day it is added:

- the organization itself;
- rows with a foreign key to it (every clinical record, its versions, its memberships);
- its people: users with a membership in it, and rows pointing at those users (their
  e-mail addresses, authenticators, browser sessions);
- rows of link tables pointing at a row of the clinic (a home activity's goals).

Anything else (Django's sessions, the cache, the task queue, content types) belongs to no
clinic and is left out.
"""

import base64
import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models

from tandem.accounts.models import Membership, Organization

CHUNK = 1 << 20


@dataclass
class Record:
    """A clinic's records in canonical form: rows by table, and its files' hashes."""

    organization_id: str
    tables: dict[str, list[dict[str, Any]]]
    files: dict[str, str]

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.tables.values())

    def as_json(self) -> str:
        document = {
            "organization": self.organization_id,
            "tables": self.tables,
            "files": self.files,
        }
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def digest(self) -> str:
        return hashlib.sha256(self.as_json().encode()).hexdigest()


def _value(value: Any) -> Any:
    """One stable JSON value for a column, whichever database it came back from."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, memoryview | bytes | bytearray):
        return "base64:" + base64.b64encode(bytes(value)).decode()
    return value


def clinic_rows(model: type[models.Model], organization_id: Any) -> models.QuerySet | None:
    """The model's rows that belong to the organization, or None if none can."""
    user_model = get_user_model()
    rows = model._base_manager.all()
    if model is Organization:
        return rows.filter(pk=organization_id)
    people = Membership.objects.filter(organization_id=organization_id).values("user_id")
    if model is user_model:
        return rows.filter(pk__in=people)
    relations = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for field in relations:
        if field.related_model is Organization:
            return rows.filter(**{field.attname: organization_id})
    for field in relations:
        if field.related_model is user_model:
            return rows.filter(**{f"{field.attname}__in": people})
    for field in relations:
        target = field.related_model
        if not isinstance(target, type):
            continue
        if any(
            (f.many_to_one or f.one_to_one) and f.related_model is Organization
            for f in target._meta.concrete_fields
        ):
            owners = target._base_manager.filter(organization_id=organization_id).values("pk")
            return rows.filter(**{f"{field.attname}__in": owners})
    return None


def _file_hash(name: str) -> str:
    if not default_storage.exists(name):
        return "missing"
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def record_of(organization_id: Any) -> Record:
    """The organization's full record: every row it owns, and its stored files' hashes."""
    tables: dict[str, list[dict[str, Any]]] = {}
    names: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = clinic_rows(model, organization_id)
        if rows is None:
            continue
        file_columns = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        found = [{k: _value(v) for k, v in row.items()} for row in rows.values()]
        pk = model._meta.pk.attname
        found.sort(key=lambda row: str(row[pk]))
        tables[model._meta.label] = found
        names.update(row[c] for row in found for c in file_columns if row[c])
    return Record(
        organization_id=str(organization_id),
        tables=tables,
        files={name: _file_hash(name) for name in sorted(names)},
    )
