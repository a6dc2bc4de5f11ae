"""``_elements`` on search and read (the listed top-level elements and the mandatory
ones, tagged SUBSETTED; unknown names ignored), and Group's ``type`` and
``_lastUpdated`` search parameters beside ``_id`` and ``name``."""

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from tandem.conftest import World, sign_in
from tandem.core import clock
from tandem.fhir.elements import SUBSETTED
from tandem.fhir.registry import SPECS
from tandem.groups.tests.helpers import group_with

from .data import records_of
from .helpers import every_page, get, ids, ok, outcome

pytestmark = pytest.mark.django_db
SHAPE = {"resourceType", "id", "meta"}


@pytest.fixture
def records(world: World) -> dict[Any, dict[str, str]]:
    return {child: records_of(child) for child in (world.child, world.other_child)}


def _subsetted(resource: dict[str, Any]) -> bool:
    return SUBSETTED in resource["meta"].get("tag", [])


def test_search_returns_the_named_elements_and_the_mandatory_ones(
    world: World, records: Any
) -> None:
    client = sign_in(Client(), world.admin)
    bundle = ok(client, "Patient", {"_elements": "name,birthDate,unicorn"})  # validated
    assert bundle["total"] == 3  # the clinic's three children
    for entry in bundle["entry"]:
        patient = entry["resource"]
        assert set(patient) == SHAPE | {"name", "birthDate"}
        assert _subsetted(patient)
        assert patient["meta"]["lastUpdated"]  # meta kept whole, with the tag
    # Observation keeps status and code (mandatory) whatever is asked.
    observations = ok(client, "Observation", {"_elements": "subject", "_count": 5})
    for entry in observations["entry"]:
        assert set(entry["resource"]) == SHAPE | {"status", "code", "subject"}
    # Repeated, and with Type.element (no element name: ignored, as the spec says).
    repeated = ok(client, "Patient", {"_elements": ["gender", "Patient.name"]})
    assert {frozenset(e["resource"]) for e in repeated["entry"]} == {frozenset(SHAPE | {"gender"})}


def test_every_type_cut_to_its_id_is_still_a_valid_resource(world: World, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    for resource_type in SPECS:
        bundle = ok(client, resource_type, {"_elements": "id"})  # R4 schema and R4B models
        assert bundle["total"] >= 1, resource_type
        resource = bundle["entry"][0]["resource"]
        read = ok(client, f"{resource_type}/{resource['id']}", {"_elements": "id"})
        assert read == resource


def test_nothing_left_out_is_not_tagged_and_no_elements_is_the_whole(
    world: World, records: Any
) -> None:
    client = sign_in(Client(), world.admin)
    whole = ok(client, "Organization")["entry"][0]["resource"]
    every = ",".join(whole)
    assert ok(client, "Organization", {"_elements": every})["entry"][0]["resource"] == whole
    assert not _subsetted(whole)


def test_read_keeps_its_etag_and_paging_keeps_elements(world: World, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    response = get(client, f"Patient/{world.child.pk}", {"_elements": "gender"})
    assert response.status_code == 200
    assert set(response.json()) == SHAPE | {"gender"}
    assert response["ETag"] == f'W/"{response.json()["meta"]["versionId"]}"'
    entries = every_page(client, "Goal", {"_elements": "subject", "_count": 1})
    assert len(entries) >= 2
    for entry in entries:
        assert set(entry["resource"]) == SHAPE | {"subject", "lifecycleStatus", "description"}


def test_included_resources_are_whole(world: World, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    bundle = ok(
        client,
        "Encounter",
        {"patient": world.child.pk, "_include": "Encounter:patient", "_elements": "period"},
    )
    modes = {e["search"]["mode"]: e["resource"] for e in bundle["entry"]}
    assert set(modes["match"]) == SHAPE | {"status", "class", "period"}
    assert "name" in modes["include"] and not _subsetted(modes["include"])


def test_group_by_type_and_last_updated(world: World) -> None:
    client = sign_in(Client(), world.admin)
    with time_machine.travel(clock.now() - datetime.timedelta(days=10), tick=False):
        old = group_with(world.therapist, [clock.now()], [world.child], name="Old friends")
    new = group_with(world.therapist, [clock.now()], [world.sibling], name="New friends")
    everything = every_page(client, "Group", {"_count": 100})
    caseloads = [
        e["resource"]["id"] for e in everything if e["resource"]["id"].startswith("caseload-")
    ]
    assert caseloads and len(everything) == len(caseloads) + 2
    assert ok(client, "Group", {"type": "person"})["total"] == len(everything)
    assert ok(client, "Group", {"type": "http://hl7.org/fhir/group-type|person"})["total"] == len(
        everything
    )
    assert ok(client, "Group", {"type": "animal"})["total"] == 0
    assert ok(client, "Group", {"type": "animal,person", "name": "new"})["total"] == 1
    assert "not a value of type" in outcome(get(client, "Group", {"type": "cats"}), 400)

    five_days_ago = (clock.now() - datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = ids(ok(client, "Group", {"_lastUpdated": f"gt{five_days_ago}", "_count": 100}))
    assert str(new.pk) in recent and str(old.pk) not in recent
    assert ids(ok(client, "Group", {"_lastUpdated": f"lt{five_days_ago}"})) == [str(old.pk)]
    # A caseload's last update is its therapist's.
    therapist = world.therapist
    mine = f"caseload-{therapist.pk}"
    stamp = therapist.updated_at.astimezone(datetime.UTC)
    before = (stamp - datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(ok(client, "Group", {"_id": mine, "_lastUpdated": f"ge{before}"})) == [mine]
    later = (stamp + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ok(client, "Group", {"_id": mine, "_lastUpdated": f"ge{later}"})["total"] == 0
    assert "not a date that exists" in outcome(
        get(client, "Group", {"_lastUpdated": "gt2020-13"}), 400
    )


def test_the_capability_statement_says_so(client: Client) -> None:
    statement = ok(client, "metadata")
    [rest] = statement["rest"]
    assert "_elements" in rest["documentation"]
    group = next(r for r in rest["resource"] if r["type"] == "Group")
    assert {p["name"] for p in group["searchParam"]} >= {"_id", "name", "type", "_lastUpdated"}
    for resource in rest["resource"]:
        assert {"name": "_elements", "type": "string"} in resource["searchParam"]
