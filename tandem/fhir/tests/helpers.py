"""Calling /fhir/R4/ in tests, and checking what it answers: the official FHIR R4 JSON
schema (``schema.py``) and the fhir.resources R4B models."""

from typing import Any

from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from .schema import assert_schema_valid

BASE = "/fhir/R4/"


def validate(resource: dict[str, Any]) -> None:
    """Check a resource (and a bundle's entries) against the R4 JSON schema and parse it
    with the fhir.resources R4B models."""
    assert_schema_valid(resource)
    _parse(resource)


def _parse(resource: dict[str, Any]) -> None:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for entry in resource.get("entry", []):
        _parse(entry["resource"])


def get(client: Client, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.get(BASE + path, params or {}, headers=headers)


def ok(client: Client, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
    response = get(client, path, params, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    validate(body)
    return body


def outcome(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    validate(body)
    assert body["resourceType"] == "OperationOutcome"
    return str(body["issue"][0]["diagnostics"])


def every_page(client: Client, path: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Every entry of a search, following ``next`` links until there is none."""
    bundle = ok(client, path, params)
    total = bundle["total"]
    entries = list(bundle.get("entry", []))
    while nxt := next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None):
        response = client.get(nxt)
        assert response.status_code == 200
        bundle = response.json()
        validate(bundle)
        assert bundle["total"] == total
        entries += bundle.get("entry", [])
    assert len(entries) == total
    return entries


def ids(bundle_or_entries: Any) -> list[str]:
    entries = (
        bundle_or_entries.get("entry", [])
        if isinstance(bundle_or_entries, dict)
        else bundle_or_entries
    )
    return [entry["resource"]["id"] for entry in entries]
