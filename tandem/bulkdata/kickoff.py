"""A kick-off's parameters, by GET (the query) or by POST (a ``Parameters`` resource), as
the Bulk Data Access IG v2 defines them, checked before anything is stored (400 with an
OperationOutcome on anything this server does not do — never silently ignored):

- ``_type`` (comma lists; repeated in a POST), ``_since`` (an instant with its zone),
  ``_outputFormat`` (NDJSON only);
- ``_typeFilter`` (``Type?parameters``, the FHIR search's own parameters; repeated or a
  comma list; a type's queries are or-ed): ``export.type_filters``;
- ``_elements`` (``element`` or ``Type.element``, root elements only):
  ``tandem.fhir.elements.bulk_elements``;
- ``patient`` (POST only, Patient and Group exports): references to patients the member
  reads; a patient they do not read is refused as one that is not there is.

``includeAssociatedData`` is refused (not supported).
"""

import datetime
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from tandem.access import visible_children
from tandem.accounts.models import Membership
from tandem.fhir.elements import bulk_elements
from tandem.fhir.outcome import bad_request

from .export import asked_types, level_types, type_filters
from .models import BulkExport

OUTPUT_FORMATS = ("application/fhir+ndjson", "application/ndjson", "ndjson")
NOT_SUPPORTED = ("includeAssociatedData",)
KNOWN = ("_type", "_since", "_outputFormat", "_typeFilter", "_elements", "patient")
REPEATING = ("_typeFilter", "_elements", "_type", "patient")  # in a POST; GET: _typeFilter
# Each POST parameter's value[x].
VALUE = {
    "_type": "valueString",
    "_since": "valueInstant",
    "_outputFormat": "valueString",
    "_typeFilter": "valueString",
    "_elements": "valueString",
    "patient": "valueReference",
}
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass
class Asked:
    """What a kick-off asks for, checked."""

    types: list[str] = field(default_factory=list)  # empty: every type of the level
    since: datetime.datetime | None = None
    type_filters: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)
    patients: list[str] = field(default_factory=list)  # Patient ids (hex strings)


def _since(raw: str) -> datetime.datetime:
    raw = raw.replace(" ", "+")  # a '+' the client did not encode
    if not _INSTANT.match(raw):
        raise bad_request(f"_since must be a FHIR instant with its zone (not '{raw}').")
    try:
        return datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad_request(f"_since: '{raw}' is not a time that exists.") from exc


def _checked_name(name: str) -> None:
    if name in NOT_SUPPORTED:
        raise bad_request(f"The parameter '{name}' is not supported by this server.")
    if name not in KNOWN:
        raise bad_request(f"Unknown parameter '{name}' (use {', '.join(KNOWN)}).")


def from_query(query: QueryDict, level: str, membership: Membership) -> Asked:
    """A GET kick-off's parameters (``patient`` is a POST's only, as the IG says)."""
    for name in query:
        _checked_name(name)
        if name == "patient":
            raise bad_request("Send 'patient' in a POST kick-off's Parameters.")
        if name != "_typeFilter" and len(query.getlist(name)) > 1:
            raise bad_request(f"Send '{name}' once (a comma-separated list for _type).")
    return _asked(
        level,
        membership,
        types=query.getlist("_type"),
        since=query.get("_since"),
        output_format=query.get("_outputFormat"),
        filters=query.getlist("_typeFilter"),
        elements=query.getlist("_elements"),
        patients=[],
    )


def from_parameters(body: bytes, level: str, membership: Membership) -> Asked:
    """A POST kick-off's ``Parameters`` resource (400 on one that is not well formed)."""
    try:
        resource = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request("The body is not JSON: send a Parameters resource.") from exc
    if not isinstance(resource, dict) or resource.get("resourceType") != "Parameters":
        raise bad_request("The body must be a Parameters resource.")
    entries = resource.get("parameter", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise bad_request("Parameters.parameter must be a list of parameters.")
    values: dict[str, list[Any]] = {}
    for entry in entries:
        name = entry.get("name")
        if not isinstance(name, str):
            raise bad_request("Each parameter needs a name.")
        _checked_name(name)
        kind = VALUE[name]
        extra = [key for key in entry if key.startswith("value") and key != kind]
        if kind not in entry or extra:
            raise bad_request(f"The parameter '{name}' takes a {kind}.")
        values.setdefault(name, []).append(entry[kind])
    for name, found in values.items():
        if name not in REPEATING and len(found) > 1:
            raise bad_request(f"Send '{name}' once.")
        if any(not isinstance(v, dict if name == "patient" else str) for v in found):
            raise bad_request(f"The parameter '{name}' takes a {VALUE[name]}.")
    if values.get("patient") and level == BulkExport.Level.SYSTEM:
        raise bad_request("'patient' is for Patient/$export and Group/[id]/$export.")
    return _asked(
        level,
        membership,
        types=values.get("_type", []),
        since=(values.get("_since") or [None])[0],
        output_format=(values.get("_outputFormat") or [None])[0],
        filters=values.get("_typeFilter", []),
        elements=values.get("_elements", []),
        patients=[_patient(ref) for ref in values.get("patient", [])],
    )


def _patient(reference: dict[str, Any]) -> str:
    raw = reference.get("reference")
    if not isinstance(raw, str) or not raw.startswith("Patient/"):
        raise bad_request("'patient' takes references to patients (Patient/<id>).")
    try:
        return str(uuid.UUID(raw.removeprefix("Patient/")))
    except ValueError as exc:
        raise bad_request(f"'{raw}' is not a patient of this server.") from exc


def _asked(
    level: str,
    membership: Membership,
    *,
    types: list[str],
    since: str | None,
    output_format: str | None,
    filters: list[str],
    elements: list[str],
    patients: list[str],
) -> Asked:
    if output_format is not None and output_format not in OUTPUT_FORMATS:
        raise bad_request("Only NDJSON is written (_outputFormat=application/fhir+ndjson).")
    asked = asked_types(level, ",".join(types)) if types else []
    holds = asked or level_types(level)
    type_filters(filters, holds)  # 400 on a query the FHIR search would refuse
    bulk_elements(elements, holds)
    if patients:
        seen = {
            str(pk)
            for pk in visible_children(membership)
            .filter(pk__in=patients, archived_at__isnull=True)
            .values_list("pk", flat=True)
        }
        for pk in patients:
            if pk not in seen:
                raise bad_request(f"Patient/{pk} is not a patient you may export.")
    return Asked(
        types=asked,
        since=_since(since) if since else None,
        type_filters=filters,
        elements=elements,
        patients=sorted(set(patients)),
    )
