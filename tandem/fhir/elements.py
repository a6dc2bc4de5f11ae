"""``_elements``: a resource cut down to the top-level elements a client asks for.

FHIR R4 (search, 3.1.1.5.9): the server returns the listed elements and the mandatory
ones — ``resourceType``, ``id``, ``meta`` and each type's elements of minimum
cardinality 1 (below: a resource without them is no valid resource) — and marks what it
cut down with the ``SUBSETTED`` tag. Names that are no element of the resource are
ignored, as the specification says. Bulk Data's ``_elements`` (``Type.element`` or
``element``, root elements only) is the same cut, per type.
"""

import copy
import re
from typing import Any

from django.http import QueryDict

from .outcome import bad_request

SUBSETTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "SUBSETTED",
    "display": "subsetted",
}
# Kept whatever is asked: the resource's identity and what may change its meaning.
ALWAYS = frozenset({"resourceType", "id", "meta", "implicitRules", "modifierExtension"})
# Each served type's R4 elements of minimum cardinality 1.
MANDATORY: dict[str, frozenset[str]] = {
    "Appointment": frozenset({"status", "participant"}),
    "CarePlan": frozenset({"status", "intent", "subject"}),
    "Communication": frozenset({"status"}),
    "Condition": frozenset({"subject"}),
    "Consent": frozenset({"status", "scope", "category"}),
    "DocumentReference": frozenset({"status", "content"}),
    "Encounter": frozenset({"status", "class"}),
    "Goal": frozenset({"lifecycleStatus", "description", "subject"}),
    "Group": frozenset({"type", "actual"}),
    "Observation": frozenset({"status", "code"}),
    "Questionnaire": frozenset({"status"}),
    "QuestionnaireResponse": frozenset({"status"}),
    "RelatedPerson": frozenset({"patient"}),
}
_NAME = re.compile(r"^(?:([A-Z][A-Za-z]+)\.)?([a-z][A-Za-z0-9]*)$")


def asked(params: QueryDict) -> frozenset[str] | None:
    """The element names of ``_elements`` (comma lists, repeated or not); None without it."""
    values = params.getlist("_elements")
    if not values:
        return None
    return frozenset(name.strip() for value in values for name in value.split(",") if name.strip())


def subset(resource: dict[str, Any], wanted: frozenset[str] | None) -> dict[str, Any]:
    """The resource with only the wanted and mandatory top-level elements (tagged
    SUBSETTED when anything was left out); the resource itself when nothing is asked."""
    if wanted is None:
        return resource
    keep = ALWAYS | MANDATORY.get(resource["resourceType"], frozenset()) | wanted
    found = {key: value for key, value in resource.items() if key in keep}
    if len(found) == len(resource):
        return resource
    meta = copy.deepcopy(resource.get("meta", {}))
    tags = meta.setdefault("tag", [])
    if not any(t.get("code") == "SUBSETTED" for t in tags):
        tags.append(dict(SUBSETTED))
    found["meta"] = meta
    return found


def bulk_elements(raw: list[str], types: list[str]) -> dict[str, list[str]]:
    """Bulk Data's ``_elements``: each type's root elements (``""``: every type's), 400 on
    a name that is not ``[Type.]element`` or names a type the export does not hold."""
    found: dict[str, list[str]] = {}
    for value in raw:
        for name in (one.strip() for one in value.split(",")):
            match = _NAME.match(name)
            if not match:
                raise bad_request(
                    f"_elements: '{name}' is not an element name (use element or "
                    "Type.element, root elements only)."
                )
            kind, element = match.groups()
            if kind is not None and kind not in types:
                raise bad_request(f"_elements: '{kind}' is not a type this export holds.")
            found.setdefault(kind or "", []).append(element)
    return found


def for_type(elements: dict[str, list[str]] | None, resource_type: str) -> frozenset[str] | None:
    """The elements a bulk export keeps of this type (None: all of them)."""
    if not elements:
        return None
    named = elements.get(resource_type)
    every = elements.get("")
    if named is None and every is None:
        return None  # only other types' elements were named: this type is whole
    return frozenset([*(named or []), *(every or [])])
