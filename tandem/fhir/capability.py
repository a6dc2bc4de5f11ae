"""The CapabilityStatement: only what this server does (read and search, bulk $export,
JSON, R4 4.0.1)."""

from typing import Any

from django.http import HttpRequest

from .extensions import DECLARERS
from .include import includes_of
from .registry import SPECS
from .search import CONTROL

SEARCH_TYPES = {"id": "token", "reference": "reference", "date": "date", "token": "token"}
# Types whose records carry a version (meta.versionId and an ETag on reads).
VERSIONED = frozenset(
    {"Patient", "CarePlan", "Goal", "Appointment", "Encounter"}
    | {"DocumentReference", "QuestionnaireResponse"}
)
# Types only some of whose records carry a version: declared "no-version" (a client may
# not count on one), with a word on which do.
SOME_VERSIONED = {
    "Observation": (
        "Growth measurements carry meta.versionId (and an ETag on reads); goal data "
        "points have no version."
    ),
    "Group": (
        "Therapeutic groups carry meta.versionId (and an ETag on reads); caseloads "
        "(Group/caseload-<membership id>) have no version."
    ),
}
# When this statement last changed (a release date, not the time of the request).
DATE = "2026-12-05"


def capability_statement(request: HttpRequest) -> dict[str, Any]:
    resources = []
    for spec in SPECS.values():
        params = [
            {"name": name, "type": param.declared or SEARCH_TYPES[param.kind]}
            for name, param in spec.params.items()
        ]
        params += [{"name": "_count", "type": "number"}, {"name": "_elements", "type": "string"}]
        resources.append(
            {
                "type": spec.type,
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "versioning": "versioned" if spec.type in VERSIONED else "no-version",
                "readHistory": False,
                "searchParam": params,
            }
            | ({"documentation": SOME_VERSIONED[spec.type]} if spec.type in SOME_VERSIONED else {})
            | ({"searchInclude": includes_of(spec.type)} if includes_of(spec.type) else {})
        )
    statement: dict[str, Any] = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": DATE,
        "kind": "instance",
        "software": {"name": "Tandem"},
        "implementation": {
            "description": "Tandem's FHIR R4 read and search API",
            "url": request.build_absolute_uri("/fhir/R4/"),
        },
        "fhirVersion": "4.0.1",
        "format": ["json", "application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Read and search. Bearer personal API tokens or a signed-in "
                    "session; scopes user/*.read (staff), patient/*.read (guardians), "
                    "patient/Goal|CarePlan|Observation.read (collaborators); a token may "
                    "hold its own user/<Type>.read, user/*.read or system/*.read (admins: "
                    "bulk export), within its owner's. Paging with "
                    f"an opaque cursor ({', '.join(CONTROL)}). _elements on read and "
                    "search: the listed top-level elements with id, meta and the type's "
                    "mandatory ones, tagged SUBSETTED (unknown names are ignored; "
                    "_include's resources are whole)."
                ),
                "resource": resources,
            }
        ],
    }
    for declare in DECLARERS:  # $export: tandem.bulkdata
        statement = declare(statement)
    return statement
