"""FHIR's answers: resources as ``application/fhir+json`` and OperationOutcome on errors."""

import json
from typing import Any

from django.http import HttpResponse

CONTENT_TYPE = "application/fhir+json; charset=utf-8"


class FhirError(Exception):
    """An error answered as an OperationOutcome with this status and issue code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_request(message: str) -> FhirError:
    return FhirError(400, "invalid", message)


def not_found(message: str = "No such resource, or it is not yours to see.") -> FhirError:
    return FhirError(404, "not-found", message)


def operation_outcome(code: str, message: str, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": message}],
    }


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    extra = {"WWW_Authenticate": 'Bearer realm="tandem"'} if error.status == 401 else {}
    return fhir_response(operation_outcome(error.code, error.message), error.status, **extra)
