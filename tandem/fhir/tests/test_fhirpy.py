"""A FHIR client library we did not write (fhirpy's SyncFHIRClient, over HTTP against the
live server) searches a clinic with paging — following the ``next`` links — and reads
every resource type the CapabilityStatement lists. The same on the demo clinic, and its
bulk export validated in full: ``test_demo_fhir.py``."""

from typing import Any

import pytest
from fhirpy import SyncFHIRClient
from pytest_django.live_server_helper import LiveServer

from tandem.accounts.models import ApiToken
from tandem.conftest import build_world
from tandem.core.testing import factories as f

from .data import records_of
from .helpers import validate

pytestmark = pytest.mark.django_db(transaction=True)


def _token(member: Any) -> str:
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(membership=member, name="fhirpy", prefix=raw[:12], token_hash=digest)
    return raw


@pytest.fixture
def clinic(transactional_db: None, live_server: LiveServer) -> Any:
    world = build_world()
    for child in (world.child, world.other_child, world.foreign_child):
        records_of(child)
    for n in range(3):
        kid = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Client")
        f.CareTeamMemberFactory(child=kid, therapist=world.therapist, role="lead")
        f.GuardianLinkFactory(child=kid)
        records_of(kid, measurements=2)
    return world


def test_fhirpy_pages_searches_and_reads_every_type(clinic: Any, live_server: LiveServer) -> None:
    client = SyncFHIRClient(
        f"{live_server.url}/fhir/R4", authorization=f"Bearer {_token(clinic.admin)}"
    )
    statement = client.execute("metadata", method="get")
    validate(statement)
    types = [r["type"] for r in statement["rest"][0]["resource"]]
    assert len(types) == 18
    read_types = []
    for resource_type in types:
        found = client.resources(resource_type).limit(2).fetch_all()  # follows ``next``
        total = client.resources(resource_type).limit(2).fetch_raw()["total"]
        assert len(found) == total, resource_type
        assert len({r.id for r in found}) == total
        assert found, f"nothing of {resource_type} in the clinic"
        for resource in found[:3]:
            read = client.reference(resource_type, resource.id).to_resource()
            assert read.serialize() == resource.serialize()
            validate(read.serialize())
        read_types.append(resource_type)
    assert read_types == types
    # Patients' search parameters and paging as a client builds them.
    kids = client.resources("Patient").search(family="Client").limit(1).fetch_all()
    assert sorted(p["name"][0]["given"][0] for p in kids) == ["Kid0", "Kid1", "Kid2"]
    kid = kids[0]
    observations = (
        client.resources("Observation")
        .search(patient=f"Patient/{kid.id}", category="vital-signs")
        .limit(3)
        .fetch_all()
    )
    assert len(observations) == 2 * 4
    included = (
        client.resources("Encounter")
        .search(patient=kid.id)
        .include("Encounter", "patient")
        .fetch_raw()
    )
    modes = sorted(e["search"]["mode"] for e in included["entry"])
    assert modes == ["include", "match"]
