"""What the CapabilityStatement says of bulk export (``tandem.fhir.capability`` asks)."""

from typing import Any

IG = "http://hl7.org/fhir/uv/bulkdata"
DOCUMENTATION = (
    " Bulk Data $export (HL7 Bulk Data Access IG v2): system ($export, clinic admins, "
    "system/*.read), Patient/$export and Group/[id]/$export (a therapeutic group's id, or "
    "caseload-<therapist id>); kick-off by GET (query) or POST (a Parameters resource, "
    "application/fhir+json); Prefer: respond-async; _type, _since, _outputFormat "
    "application/fhir+ndjson; _typeFilter (Type?parameters with the type's search "
    "parameters above; a type's queries are or-ed; an unknown type or parameter is 400); "
    "_elements (element or Type.element, root elements: the mandatory ones are kept, "
    "SUBSETTED tag); patient (POST, Patient and Group exports). includeAssociatedData "
    "is not supported (400). Files kept 24 hours."
)


def declare_bulk(statement: dict[str, Any]) -> dict[str, Any]:
    """Add the three export operations to the statement (in place) and return it."""
    statement["instantiates"] = [f"{IG}/CapabilityStatement/bulk-data"]
    rest = statement["rest"][0]
    rest["documentation"] += DOCUMENTATION
    # Group is no resource served here (no read or search): its $export is declared
    # beside the system's, with the IG's group-export definition.
    rest["operation"] = [
        {"name": "export", "definition": f"{IG}/OperationDefinition/export"},
        {"name": "export", "definition": f"{IG}/OperationDefinition/group-export"},
    ]
    for resource in rest["resource"]:
        if resource["type"] == "Patient":
            resource["operation"] = [
                {"name": "export", "definition": f"{IG}/OperationDefinition/patient-export"}
            ]
    return statement
