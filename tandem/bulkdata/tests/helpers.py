"""Kicking off, running and reading bulk exports in tests, as a FHIR client does."""

import json
from typing import Any

from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from tandem.accounts.models import ApiToken
from tandem.bulkdata.tasks import run_bulk_export

ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}
BASE = "/fhir/R4/"


def token_client(member: Any) -> Client:
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(membership=member, name="EHR", prefix=raw[:12], token_hash=digest)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def kick_off(client: Client, path: str = "$export", params: Any = None, **headers: str) -> Any:
    """The kick-off's answer (the test's transaction never commits: the worker waits)."""
    return client.get(BASE + path, params or {}, headers={**ASYNC, **headers})


def status_path(kicked: Any) -> str:
    assert kicked.status_code == 202, kicked.content
    location = str(kicked["Content-Location"])
    return location[location.index(BASE) :]


def job_id(kicked: Any) -> str:
    return status_path(kicked).rsplit("/", 1)[1]


def export(client: Client, path: str = "$export", params: Any = None) -> dict[str, Any]:
    """Kick off, run the worker, and return the manifest."""
    kicked = kick_off(client, path, params)
    where = status_path(kicked)
    assert run_bulk_export.call(job_id(kicked)) == "done"
    done = client.get(where)
    assert done.status_code == 200, done.content
    manifest: dict[str, Any] = done.json()
    return manifest


def lines(client: Client, url: str) -> list[dict[str, Any]]:
    """A file's resources, each parsed with the fhir.resources R4B models."""
    response = client.get(url[url.index(BASE) :])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    found = [json.loads(line) for line in body.splitlines()]
    for resource in found:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    return found


def files(client: Client, manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found = {}
    for entry in manifest["output"]:
        found[entry["type"]] = lines(client, entry["url"])
        assert len(found[entry["type"]]) == entry["count"]
        assert all(r["resourceType"] == entry["type"] for r in found[entry["type"]])
    return found
