"""Bulk Data kick-offs by POST (a ``Parameters`` resource), ``_typeFilter`` (the FHIR
search's own parameters: a file holds what the search finds), ``_elements`` and
``patient``, through HTTP as a FHIR client sends them; bad kick-offs are 400
OperationOutcomes and store nothing."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from tandem.bulkdata.models import BulkExport
from tandem.bulkdata.tasks import run_bulk_export
from tandem.conftest import World
from tandem.core import clock
from tandem.fhir.tests.data import records_of
from tandem.fhir.tests.helpers import every_page, validate

from .helpers import ASYNC, BASE, export, files, job_id, status_path, token_client

pytestmark = pytest.mark.django_db
FHIR_JSON = "application/fhir+json"


@pytest.fixture
def records(world: World) -> dict[Any, dict[str, str]]:
    children = (world.child, world.sibling, world.other_child, world.foreign_child)
    return {child: records_of(child, measurements=2) for child in children}


def parameters(*entries: tuple[str, str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Parameters",
        "parameter": [{"name": name, kind: value} for name, kind, value in entries],
    }


def post(client: Client, path: str, body: Any, content_type: str = FHIR_JSON) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(BASE + path, data, content_type=content_type, headers=ASYNC)


def run(client: Client, kicked: Any) -> dict[str, list[dict[str, Any]]]:
    assert run_bulk_export.call(job_id(kicked)) == "done"
    done = client.get(status_path(kicked))
    assert done.status_code == 200, done.content
    return files(client, done.json())


def outcome(response: Any) -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    validate(body)
    return str(body["issue"][0]["diagnostics"])


def test_a_post_kick_off_exports_what_the_same_get_does(world: World, records: Any) -> None:
    client = token_client(world.admin)
    since = (clock.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = parameters(
        ("_type", "valueString", "Patient,Goal"),
        ("_type", "valueString", "Condition"),
        ("_since", "valueInstant", since),
        ("_outputFormat", "valueString", "application/fhir+ndjson"),
    )
    kicked = post(client, "$export", body)
    assert kicked.status_code == 202
    assert kicked["Content-Location"].startswith("http://testserver/fhir/R4/$export-status/")
    posted = run(client, kicked)
    manifest = export(client, params={"_type": "Patient,Goal,Condition", "_since": since})
    got = files(client, manifest)
    assert list(posted) == ["Patient", "Condition", "Goal"]
    assert {k: [r["id"] for r in v] for k, v in posted.items()} == {
        k: [r["id"] for r in v] for k, v in got.items()
    }
    job = BulkExport.objects.get(pk=job_id(kicked))
    assert job.request_url == "http://testserver/fhir/R4/$export"  # a POST's: no parameters


def test_patient_names_the_children_of_a_patient_or_group_export(
    world: World, records: Any
) -> None:
    client = token_client(world.therapist)
    body = parameters(
        ("patient", "valueReference", {"reference": f"Patient/{world.sibling.pk}"}),
        ("_type", "valueString", "Patient,Observation"),
    )
    found = run(client, post(client, "Patient/$export", body))
    assert [r["id"] for r in found["Patient"]] == [str(world.sibling.pk)]
    assert {r["subject"]["reference"] for r in found["Observation"]} == {
        f"Patient/{world.sibling.pk}"
    }
    # A patient the member does not read is refused as one that is not there.
    for child in (world.other_child, world.foreign_child):
        ref = {"reference": f"Patient/{child.pk}"}
        refused = post(client, "Patient/$export", parameters(("patient", "valueReference", ref)))
        assert "not a patient you may export" in outcome(refused)
    admin = token_client(world.admin)
    ref = {"reference": f"Patient/{world.child.pk}"}
    system = post(admin, "$export", parameters(("patient", "valueReference", ref)))
    assert "Patient/$export" in outcome(system)
    assert BulkExport.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        ("{not json", FHIR_JSON, "not JSON"),
        ({"resourceType": "Bundle"}, FHIR_JSON, "Parameters resource"),
        ({"resourceType": "Parameters", "parameter": {"name": "_type"}}, FHIR_JSON, "a list"),
        ({"resourceType": "Parameters", "parameter": [{"valueString": "x"}]}, FHIR_JSON, "name"),
        (parameters(("_type", "valueCode", "Patient")), FHIR_JSON, "takes a valueString"),
        (parameters(("_since", "valueInstant", 2020)), FHIR_JSON, "takes a valueInstant"),
        (parameters(("_since", "valueInstant", "2020-01-01")), FHIR_JSON, "instant"),
        (parameters(("_type", "valueString", "Unicorn")), FHIR_JSON, "_type"),
        (parameters(("colour", "valueString", "red")), FHIR_JSON, "Unknown parameter"),
        (parameters(("_outputFormat", "valueString", "text/csv")), FHIR_JSON, "NDJSON"),
        (
            parameters(("includeAssociatedData", "valueCode", "LatestProvenanceResources")),
            FHIR_JSON,
            "not supported",
        ),
        (
            parameters(
                ("_outputFormat", "valueString", "ndjson"),
                ("_outputFormat", "valueString", "ndjson"),
            ),
            FHIR_JSON,
            "once",
        ),
        (
            parameters(("patient", "valueReference", {"reference": "Group/1"})),
            FHIR_JSON,
            "Patient/",
        ),
        (parameters(), "text/plain", "application/fhir+json"),
        (parameters(), "application/x-www-form-urlencoded", "application/fhir+json"),
    ],
)
def test_a_malformed_post_is_400_and_stores_nothing(
    world: World, body: Any, content_type: str, says: str
) -> None:
    client = token_client(world.therapist)
    assert says in outcome(post(client, "Patient/$export", body, content_type))
    assert not BulkExport.objects.exists()


def test_a_post_with_parameters_in_its_address_is_400(world: World) -> None:
    client = token_client(world.admin)
    assert "body" in outcome(post(client, "$export?_type=Patient", parameters()))
    assert post(client, "$export", parameters()).status_code == 202  # none: everything


def _ids(found: dict[str, list[dict[str, Any]]], kind: str) -> list[str]:
    return sorted(r["id"] for r in found.get(kind, []))


def _searched(client: Client, kind: str, params: dict[str, Any]) -> list[str]:
    return sorted(e["resource"]["id"] for e in every_page(client, kind, params | {"_count": 100}))


def test_type_filter_exports_what_the_search_finds(world: World, records: Any) -> None:
    client = token_client(world.admin)
    found = run(
        client,
        client.get(
            BASE + "$export",
            {
                "_type": "Observation,Patient,Goal",
                "_typeFilter": "Observation?category=vital-signs",
            },
            headers=ASYNC,
        ),
    )
    vital = _searched(client, "Observation", {"category": "vital-signs"})
    assert vital and _ids(found, "Observation") == vital
    assert len(_searched(client, "Observation", {})) > len(vital)  # goal data left out
    assert _ids(found, "Patient") == _searched(client, "Patient", {})  # not filtered: whole
    assert _ids(found, "Goal") == _searched(client, "Goal", {})


def test_type_filters_of_one_type_are_ored_and_each_resource_written_once(
    world: World, records: Any
) -> None:
    client = token_client(world.admin)
    queries = [
        f"Observation?code=http://loinc.org|29463-7&patient=Patient/{world.child.pk}",
        "Observation?code=8302-2",
        f"Observation?category=vital-signs&patient={world.child.pk}",  # overlaps both
    ]
    body = parameters(
        ("_type", "valueString", "Observation"),
        *(("_typeFilter", "valueString", query) for query in queries),
    )
    found = run(client, post(client, "$export", body))
    either = set(
        _searched(client, "Observation", {"code": "29463-7", "patient": world.child.pk})
        + _searched(client, "Observation", {"code": "8302-2"})
        + _searched(client, "Observation", {"category": "vital-signs", "patient": world.child.pk})
    )
    assert _ids(found, "Observation") == sorted(either)  # sorted: a duplicate would show
    # The same as a GET's comma list of the queries (encoded once, as the IG's example).
    got = run(
        client,
        client.get(
            BASE + "$export",
            {"_type": "Observation", "_typeFilter": ",".join(queries)},
            headers=ASYNC,
        ),
    )
    assert _ids(got, "Observation") == sorted(either)


def test_type_filter_within_since_and_a_group_of_staff(world: World, records: Any) -> None:
    client = token_client(world.admin)
    found = run(
        client,
        client.get(
            BASE + "$export",
            {
                "_type": "Practitioner,Condition",
                "_typeFilter": ["Practitioner?active=true", "Condition?_lastUpdated=gt2000-01-01"],
                "_since": "2000-01-01T00:00:00Z",
            },
            headers=ASYNC,
        ),
    )
    assert _ids(found, "Practitioner") == _searched(client, "Practitioner", {"active": "true"})
    assert _ids(found, "Condition") == _searched(client, "Condition", {})


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"_typeFilter": "Unicorn?name=x"}, "'Unicorn' is not a type this export holds"),
        ({"_type": "Patient", "_typeFilter": "Goal?_id=x"}, "'Goal' is not a type"),
        ({"_typeFilter": "Observation?colour=red"}, "Unknown search parameter 'colour'"),
        ({"_typeFilter": "Observation?date=31/02/2020"}, "not a FHIR date"),
        ({"_typeFilter": "Observation?_count=5"}, "'_count' is not a search filter"),
        ({"_typeFilter": "Observation?_elements=status"}, "not a search filter"),
        ({"_typeFilter": "Observation"}, "not a query"),
        ({"_typeFilter": "Observation?"}, "not a query"),
        ({"_typeFilter": "Observation?code=12345-6"}, "not an Observation code"),
        ({"_elements": "Patient.name.given"}, "not an element name"),
        ({"_elements": "Unicorn.horn"}, "'Unicorn' is not a type this export holds"),
        ({"patient": "Patient/x"}, "POST"),
    ],
)
def test_bad_type_filters_and_elements_are_400_at_the_kick_off(
    world: World, params: dict[str, str], says: str
) -> None:
    client = token_client(world.admin)
    path = "Patient/$export" if "patient" in params else "$export"
    assert says in outcome(client.get(BASE + path, params, headers=ASYNC))
    assert not BulkExport.objects.exists()


def test_elements_keeps_the_named_and_mandatory_elements(world: World, records: Any) -> None:
    client = token_client(world.admin)
    body = parameters(
        ("_type", "valueString", "Patient,Observation,Goal"),
        ("_elements", "valueString", "Patient.gender,Observation.subject"),
        ("_elements", "valueString", "Goal.target"),
    )
    found = run(client, post(client, "$export", body))
    for patient in found["Patient"]:
        assert set(patient) == {"resourceType", "id", "meta", "gender"}
        assert {"code": "SUBSETTED"}.items() <= patient["meta"]["tag"][0].items()
        validate(patient)
    for observation in found["Observation"]:  # status and code: mandatory
        assert set(observation) == {"resourceType", "id", "meta", "status", "code", "subject"}
        validate(observation)
    for goal in found["Goal"]:
        assert set(goal) <= {
            *("resourceType", "id", "meta", "target"),
            *("lifecycleStatus", "description", "subject"),
        }
        validate(goal)
    # An element named without its type is every type's.
    bare = run(
        client,
        client.get(BASE + "$export", {"_type": "Patient", "_elements": "birthDate"}, headers=ASYNC),
    )
    assert {frozenset(p) for p in bare["Patient"]} == {
        frozenset({"resourceType", "id", "meta", "birthDate"})
    }
