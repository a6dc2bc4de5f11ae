"""Every resource the API produces, for every type served, validates against the official
FHIR R4 JSON schema and parses with the fhir.resources R4B models (``helpers.validate``)."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tandem.conftest import sign_in
from tandem.fhir.registry import SPECS

from . import schema
from .data import records_of
from .helpers import every_page, get, ok, outcome, validate

pytestmark = pytest.mark.django_db


def test_every_resource_of_every_type_is_valid_r4(world: Any) -> None:
    for child in (world.child, world.other_child, world.foreign_child):
        records_of(child, measurements=2)
    ok(Client(), "metadata")  # validated by ``ok``
    for persona in (world.admin, world.guardian, world.consented_collaborator):
        client = sign_in(Client(), persona)
        for resource_type in SPECS:
            response = get(client, resource_type, {"_count": 7})
            if response.status_code == 404:  # outside the persona's scopes
                outcome(response, 404)
                continue
            entries = every_page(client, resource_type, {"_count": 7})
            if persona is world.admin:
                assert entries, f"no {resource_type} in the test world"
            for entry in entries:
                resource = entry["resource"]
                validate(ok(client, f"{resource_type}/{resource['id']}"))
    outcome(get(sign_in(Client(), world.admin), "Patient", {"bogus": "1"}), 400)


def test_the_schema_catches_what_r4_forbids() -> None:
    good = {"resourceType": "Patient", "id": "a", "gender": "female", "birthDate": "2020-01-01"}
    assert schema.schema_errors(good) == []
    bad = {**good, "gender": "woman", "birthDate": "2020-1-1", "nickname": "x"}
    errors = "\n".join(schema.schema_errors(bad))
    assert "gender" in errors and "birthDate" in errors and "nickname" in errors
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": bad}]}
    assert any("entry[0]" in error for error in schema.schema_errors(bundle))


def test_a_missing_schema_fails_and_says_how_to_install_it(monkeypatch: Any) -> None:
    monkeypatch.setattr(schema, "SCHEMA", Path("/nonexistent/fhir.schema.json"))
    schema._schema.cache_clear()
    schema._validator.cache_clear()
    try:
        with pytest.raises(pytest.fail.Exception, match="make axe-core"):
            schema.schema_errors({"resourceType": "Patient"})
    finally:
        schema._schema.cache_clear()
        schema._validator.cache_clear()
