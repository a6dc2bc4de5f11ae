"""The OpenAPI schema is a contract: any change to it must be deliberate.

The schema is compared with ``snapshots/openapi.json``. After an intended change,
rewrite the snapshot and review its diff with the code:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tandem/api/tests/test_openapi.py
"""

import json
import os
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import Client
from ninja import Schema

from tandem.api_v1 import api

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def current_schema() -> str:
    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, default=str) + "\n"


def test_the_schema_matches_the_snapshot() -> None:
    schema = current_schema()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(schema)
        pytest.skip("snapshot rewritten; review and commit its diff")
    assert SNAPSHOT.exists(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1"
    assert json.loads(schema) == json.loads(SNAPSHOT.read_text()), (
        "the API schema changed: if that was intended, run with UPDATE_SNAPSHOTS=1"
    )


def test_every_input_schema_refuses_unknown_fields() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    inputs = [name for name in schemas if name.endswith(("In", "Patch"))]
    assert inputs
    assert all(schemas[name].get("additionalProperties") is False for name in inputs), inputs


def test_each_schema_name_is_one_schema() -> None:
    """Schemas are listed by class name: two of one name shared one entry, and operations
    documented the other's fields (an addendum's author, a workshop place's body…)."""
    found: dict[str, set[str]] = defaultdict(set)
    classes: list[type] = [Schema]
    while classes:
        cls = classes.pop()
        classes += cls.__subclasses__()
        if cls.__module__.startswith("tandem.") and ".tests" not in cls.__module__:
            found[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    schema = api.get_openapi_schema()
    text = json.dumps(schema)
    used = [n for n in schema["components"]["schemas"] if f'"#/components/schemas/{n}"' in text]
    shared = {name: sorted(found[name]) for name in used if len(found[name]) > 1}
    assert not shared


def test_the_idempotent_writes_declare_their_key_header() -> None:
    paths = api.get_openapi_schema()["paths"]
    with_header = sorted(
        (method, path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if any(
            p["in"] == "header" and p["name"] == "Idempotency-Key"
            for p in operation.get("parameters", [])
        )
    )
    # An 835 import needs no key: the same file is recognised and posted once.
    assert with_header == [
        ("post", "/api/v1/billing/claim-batches"),
        ("post", "/api/v1/billing/fees"),
        ("post", "/api/v1/billing/payers"),
        ("post", "/api/v1/children/{child_id}/adjustments"),
        ("post", "/api/v1/children/{child_id}/authorizations"),
        ("post", "/api/v1/children/{child_id}/goals"),
        ("post", "/api/v1/children/{child_id}/messages"),
        ("post", "/api/v1/children/{child_id}/notes"),
        ("post", "/api/v1/children/{child_id}/notes/{note_id}/draft"),
        ("post", "/api/v1/children/{child_id}/notes/{note_id}/goal-data/{goal_id}/typed"),
        ("post", "/api/v1/children/{child_id}/observations"),
        ("post", "/api/v1/children/{child_id}/payments"),
        ("post", "/api/v1/children/{child_id}/policies"),
        ("post", "/api/v1/children/{child_id}/practice-logs"),
        ("post", "/api/v1/children/{child_id}/school-plans"),
        ("post", "/api/v1/children/{child_id}/school-plans/{school_plan_id}/goals"),
        ("post", "/api/v1/groups"),
    ]


def test_both_ways_to_sign_in_are_documented() -> None:
    schemes = api.get_openapi_schema()["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_the_docs_and_schema_are_served(client: Client) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
