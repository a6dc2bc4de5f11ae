"""``_include``: the resources a page's matches refer to, for the common pairs.

``_include=<Type>:<param>`` (or ``<Type>:<param>:<Target>``) adds to a search's Bundle
the resources its matches name in that parameter's element, each entry with
``search.mode = "include"``. An included resource is read like any other: through its
own type's readers for the caller (``access.rows_for``), so what the caller may not see
is simply not included. A pair not listed here is a 400.
"""

from collections.abc import Iterator
from typing import Any

from django.http import QueryDict

from .outcome import bad_request

# "<Type>:<param>" → the element paths (in the rendered resource) that hold its references.
INCLUDES: dict[str, tuple[tuple[str, ...], ...]] = {
    "RelatedPerson:patient": (("patient",),),
    "PractitionerRole:practitioner": (("practitioner",),),
    "PractitionerRole:organization": (("organization",),),
    "CareTeam:patient": (("subject",),),
    "CareTeam:subject": (("subject",),),
    "CareTeam:participant": (("participant", "member"),),
    "Condition:patient": (("subject",),),
    "Condition:subject": (("subject",),),
    "CarePlan:patient": (("subject",),),
    "CarePlan:subject": (("subject",),),
    "CarePlan:goal": (("goal",),),
    "Goal:patient": (("subject",),),
    "Goal:subject": (("subject",),),
    "Observation:patient": (("subject",),),
    "Observation:subject": (("subject",),),
    "Observation:focus": (("focus",),),
    "Observation:encounter": (("encounter",),),
    "Encounter:patient": (("subject",),),
    "Encounter:subject": (("subject",),),
    "Encounter:participant": (("participant", "individual"),),
    "Appointment:patient": (("participant", "actor"),),
    "Appointment:actor": (("participant", "actor"),),
    "Appointment:practitioner": (("participant", "actor"),),
    "QuestionnaireResponse:patient": (("subject",),),
    "QuestionnaireResponse:subject": (("subject",),),
    "Communication:patient": (("subject",),),
    "Communication:subject": (("subject",),),
    "Communication:sender": (("sender",),),
    "Consent:patient": (("patient",),),
    "DocumentReference:patient": (("subject",),),
    "DocumentReference:subject": (("subject",),),
    "DocumentReference:author": (("author",),),
}
# Parameters whose references are all of one type (the others name it: ``:Target``).
TARGETS = {
    "patient": "Patient",
    "practitioner": "Practitioner",
    "goal": "Goal",
    "encounter": "Encounter",
    "organization": "Organization",
}


def includes_of(resource_type: str) -> list[str]:
    return [name for name in INCLUDES if name.partition(":")[0] == resource_type]


def asked(params: QueryDict, resource_type: str) -> list[tuple[str, str | None]]:
    """The (pair, target type or None) asked for (400 for a pair not served)."""
    found = []
    for value in params.getlist("_include"):
        source, _, rest = value.partition(":")
        param, _, target = rest.partition(":")
        pair = f"{source}:{param}"
        if source != resource_type or pair not in INCLUDES:
            served = ", ".join(includes_of(resource_type)) or "none"
            raise bad_request(
                f"_include={value} is not served for {resource_type} (served: {served})."
            )
        found.append((pair, target or TARGETS.get(param)))
    return found


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if isinstance(node, list):
        for one in node:
            yield from _walk(one, path)
        return
    if not path:
        yield node
        return
    if isinstance(node, dict) and path[0] in node:
        yield from _walk(node[path[0]], path[1:])


def references(
    resources: list[dict[str, Any]], wanted: list[tuple[str, str | None]]
) -> dict[str, list[str]]:
    """The ids each type is referred to by, in order, once each."""
    found: dict[str, list[str]] = {}
    for pair, target in wanted:
        for resource in resources:
            for path in INCLUDES[pair]:
                for reference in _walk(resource, path):
                    kind, _, pk = str((reference or {}).get("reference", "")).partition("/")
                    if not pk or (target and kind != target):
                        continue
                    if pk not in found.setdefault(kind, []):
                        found[kind].append(pk)
    return found
