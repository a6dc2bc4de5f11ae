"""The issue's "done means" on the demo clinic (``manage.py demo_clinic``, built once for
this module and rolled back after, as the demo's own tests do):

- fhirpy, a FHIR client library we did not write, searches every type the
  CapabilityStatement lists with paging (following ``next`` links until there is none)
  and reads one of each;
- a system bulk export of the clinic validates 100 % — every NDJSON line against the
  FHIR R4 JSON schema and the fhir.resources R4B models.

fhirpy speaks HTTP through ``requests``; here its requests go to Django's WSGI handler
in this thread (a requests transport adapter) instead of a socket, so they read the
demo built in this module's transaction (a live server's thread would not see it).
"""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class
from fhirpy import SyncFHIRClient
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from tandem.accounts.models import ApiToken, Membership
from tandem.bulkdata.tests.helpers import export, token_client
from tandem.demo.tests.test_demo_clinic import demo  # noqa: F401 (the fixture)
from tandem.fhir.registry import SPECS

from .helpers import validate
from .schema import schema_errors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo"),
    pytest.mark.xdist_group("demo_fhir"),
]
SERVER = "http://testserver"
ADMIN = "admin@riverside.example"


class ToDjango(BaseAdapter):
    """A requests transport that hands each request to Django's test client."""

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def send(self, request: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url)
        # No compression: a socket's client would inflate it; this one reads it as sent.
        skip = {"content-length", "content-type", "host", "accept-encoding"}
        answer = self.client.generic(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            request.body or b"",
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
            headers={k: v for k, v in request.headers.items() if k.lower() not in skip},
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response._content = answer.content
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


@pytest.fixture
def fhirpy(monkeypatch: pytest.MonkeyPatch) -> Iterator[SyncFHIRClient]:
    member = Membership.objects.get(user__email=ADMIN)
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(membership=member, name="fhirpy", prefix=raw[:12], token_hash=digest)
    adapter = ToDjango(Client())
    original = requests.Session.get_adapter

    def get_adapter(session: requests.Session, url: str) -> BaseAdapter:
        return adapter if url.startswith(SERVER) else original(session, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    yield SyncFHIRClient(f"{SERVER}/fhir/R4", authorization=f"Bearer {raw}")


def test_fhirpy_searches_every_type_with_paging_and_reads_one_of_each(
    fhirpy: SyncFHIRClient,
) -> None:
    statement = fhirpy.execute("metadata", method="get")
    validate(statement)
    types = [r["type"] for r in statement["rest"][0]["resource"]]
    assert types == list(SPECS)
    pages: dict[str, int] = {}
    for resource_type in types:
        first = fhirpy.resources(resource_type).limit(100).fetch_raw()
        total = first["total"]
        found = fhirpy.resources(resource_type).limit(100).fetch_all()  # follows ``next``
        assert len(found) == total, resource_type
        assert len({r.id for r in found}) == total, resource_type
        assert found, f"the demo clinic has no {resource_type}"
        pages[resource_type] = -(-total // 100)
        read = fhirpy.reference(resource_type, found[0].id).to_resource()
        assert read.serialize() == found[0].serialize()
        validate(read.serialize())
    assert max(pages.values()) > 1, pages  # some type was paged


def test_a_system_export_of_the_demo_clinic_validates_in_full() -> None:
    client = token_client(Membership.objects.get(user__email=ADMIN))
    manifest = export(client)
    written = {entry["type"]: entry["count"] for entry in manifest["output"]}
    assert set(written) == set(SPECS), set(SPECS) - set(written)
    errors: list[str] = []
    lines = 0
    for entry in manifest["output"]:
        url = entry["url"]
        response = client.get(url[url.index("/fhir/R4/") :])
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        for number, line in enumerate(body.splitlines(), 1):
            resource = json.loads(line)
            assert resource["resourceType"] == entry["type"]
            errors += schema_errors(resource, f"{entry['type']}.ndjson line {number}")
            if not errors:
                get_fhir_model_class(entry["type"]).model_validate(resource)
            lines += 1
    assert not errors, "\n".join(errors[:30])
    assert lines == sum(written.values())
