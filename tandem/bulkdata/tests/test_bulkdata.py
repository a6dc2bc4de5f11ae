"""Bulk Data $export through HTTP, as a FHIR client does: kick-off, polling, the manifest,
the NDJSON files (each line parses with the fhir.resources R4B models), _type, _since,
cancel, expiry, errors as OperationOutcomes, who may export what, and the access log."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client

from tandem.audit.models import AccessLog
from tandem.bulkdata import actions
from tandem.bulkdata.models import BulkExport
from tandem.bulkdata.tasks import run_bulk_export
from tandem.conftest import World, sign_in
from tandem.core import clock
from tandem.fhir.registry import SPECS
from tandem.fhir.tests.data import records_of
from tandem.groups.tests.helpers import group_with

from .helpers import ASYNC, BASE, export, files, job_id, kick_off, status_path, token_client

pytestmark = pytest.mark.django_db
CORE = {
    *("Patient", "RelatedPerson", "Practitioner", "PractitionerRole", "Organization"),
    *("Condition", "CarePlan", "Goal", "Observation", "Appointment"),
}


@pytest.fixture
def records(world: World) -> dict[Any, dict[str, str]]:
    children = (world.child, world.sibling, world.other_child, world.foreign_child)
    return {child: records_of(child) for child in children}


def patients(found: dict[str, list[dict[str, Any]]]) -> set[str]:
    return {r["id"] for r in found.get("Patient", [])}


def outcome(response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return str(body["issue"][0]["diagnostics"])


def test_a_system_export_from_kick_off_to_files(world: World, records: Any) -> None:
    client = token_client(world.admin)
    kicked = kick_off(client)
    assert kicked.status_code == 202
    assert kicked["Content-Location"].startswith("http://testserver/fhir/R4/$export-status/")
    where = status_path(kicked)
    waiting = client.get(where)  # the worker has not run yet
    assert waiting.status_code == 202
    assert waiting["X-Progress"] == "0%" and waiting["Retry-After"].isdigit()

    assert run_bulk_export.call(job_id(kicked)) == "done"
    assert run_bulk_export.call(job_id(kicked)) == "gone"  # runs once
    done = client.get(where)
    assert done.status_code == 200 and done["Content-Type"] == "application/json"
    manifest = done.json()
    assert set(manifest) == {"transactionTime", "request", "requiresAccessToken", "output", "error"}
    assert manifest["request"] == "http://testserver/fhir/R4/$export"
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert manifest["transactionTime"].endswith("Z") and done["Expires"]
    found = files(client, manifest)
    # One file per type the registry serves that holds something for this clinic.
    assert set(found) <= set(SPECS) and set(found) >= CORE
    clinic = {str(c.pk) for c in (world.child, world.sibling, world.other_child)}
    assert patients(found) == clinic  # never another clinic's child
    assert all(r["subject"]["reference"][8:] in clinic for r in found["Observation"])
    assert [r["id"] for r in found["Organization"]] == [str(world.org.pk)]

    logged = AccessLog.objects.filter(organization=world.org, action=AccessLog.Action.EXPORT)
    assert logged.filter(route="fhir:export").count() == 1
    downloads = logged.filter(route="fhir:export-file")
    assert downloads.count() == len(manifest["output"])
    assert {c for c in downloads.children_shown()} == {
        world.child.pk,
        world.sibling.pk,
        world.other_child.pk,
    }


def test_the_file_is_only_the_askers_and_a_session_works_too(world: World, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    manifest = export(client)
    url = manifest["output"][0]["url"]
    path = url[url.index(BASE) :]
    assert client.get(path).status_code == 200
    status = BASE + "$export-status/" + path.rsplit("/", 2)[1]
    assert client.get(status).status_code == 200
    for other in (world.therapist, world.foreign_admin):
        outcome(sign_in(Client(), other).get(path), 404)
        outcome(sign_in(Client(), other).get(status), 404)
        outcome(sign_in(Client(), other).delete(status), 404)
    outcome(Client().get(path), 401)
    outcome(client.get(path.rsplit("/", 1)[0] + "/Nothing.ndjson"), 404)
    outcome(client.get(BASE + "$export-status/not-a-job"), 404)


def test_type_and_since(world: World, records: Any) -> None:
    client = token_client(world.admin)
    manifest = export(client, params={"_type": "Goal,Patient"})
    assert [e["type"] for e in manifest["output"]] == ["Patient", "Goal"]  # registry order
    assert manifest["request"].endswith("$export?_type=Goal%2CPatient")

    later = (clock.now() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert export(client, params={"_since": later})["output"] == []
    earlier = (clock.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    everything = {e["type"]: e["count"] for e in export(client)["output"]}
    dated = {name for name, spec in SPECS.items() if "_lastUpdated" in spec.params}
    since = {e["type"]: e["count"] for e in export(client, params={"_since": earlier})["output"]}
    assert since == {name: n for name, n in everything.items() if name in dated}


def test_since_keeps_only_what_changed(world: World, records: Any) -> None:
    client = token_client(world.admin)
    with time_machine.travel(clock.now() + datetime.timedelta(days=2), tick=False):
        world.child.first_name = "Changed"
        world.child.save()
        since = (clock.now() - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        manifest = export(client, params={"_since": since, "_type": "Patient"})
        found = files(client, manifest)
    assert patients(found) == {str(world.child.pk)}


def test_a_therapist_exports_their_patients_only(world: World, records: Any) -> None:
    client = token_client(world.therapist)
    outcome(kick_off(client), 404)  # the clinic's export needs system/*.read (admins)
    found = files(client, export(client, "Patient/$export"))
    assert patients(found) == {str(world.child.pk), str(world.sibling.pk)}
    assert "Practitioner" not in found and "Organization" not in found  # not a patient's


def test_a_group_export_is_the_groups_children_the_member_reads(world: World, records: Any) -> None:
    now = clock.now()
    group = group_with(world.therapist, [now], [world.child, world.other_child])
    foreign = group_with(world.foreign_therapist, [now], [world.foreign_child], name="Movers")
    admin, therapist = token_client(world.admin), token_client(world.therapist)
    found = files(admin, export(admin, f"Group/{group.pk}/$export"))
    assert patients(found) == {str(world.child.pk), str(world.other_child.pk)}
    found = files(therapist, export(therapist, f"Group/{group.pk}/$export"))
    assert patients(found) == {str(world.child.pk)}  # not Noah: not on his care team
    caseload = f"Group/caseload-{world.therapist.pk}/$export"
    found = files(therapist, export(therapist, caseload))
    assert patients(found) == {str(world.child.pk), str(world.sibling.pk)}
    found = files(admin, export(admin, caseload, {"_type": "Patient"}))
    assert patients(found) == {str(world.child.pk), str(world.sibling.pk)}
    # Another clinic's group, another therapist's caseload, no such group: 404.
    outcome(kick_off(admin, f"Group/{foreign.pk}/$export"), 404)
    outcome(kick_off(therapist, f"Group/caseload-{world.unassigned_therapist.pk}/$export"), 404)
    outcome(kick_off(admin, f"Group/caseload-{world.foreign_therapist.pk}/$export"), 404)
    outcome(kick_off(admin, "Group/nothing/$export"), 404)


def test_who_may_not_export(world: World, records: Any) -> None:
    for member in (world.guardian, world.consented_collaborator):
        client = sign_in(Client(), member)
        outcome(kick_off(client, "Patient/$export"), 404)
        outcome(kick_off(client), 404)
    outcome(Client().get(BASE + "$export", headers={"Prefer": "respond-async"}), 401)


@pytest.mark.parametrize(
    ("params", "headers", "says"),
    [
        ({}, {"Prefer": ""}, "respond-async"),
        ({}, {"Accept": "application/xml"}, "application/fhir+json"),
        ({"_type": "Patient,Nope"}, {}, "'Nope' is not a type"),
        ({"_since": "2026-02-30T00:00:00Z"}, {}, "not a time that exists"),
        ({"_since": "2026-01-01"}, {}, "FHIR instant"),
        ({"_outputFormat": "text/csv"}, {}, "NDJSON"),
        ({"colour": "red"}, {}, "Unknown parameter"),
        ({"includeAssociatedData": "LatestProvenanceResources"}, {}, "not supported"),
    ],
)
def test_bad_kick_offs_are_400_and_store_nothing(
    world: World, params: dict[str, str], headers: dict[str, str], says: str
) -> None:
    client = token_client(world.admin)
    assert says in outcome(kick_off(client, "$export", params, **headers), 400)
    assert not BulkExport.objects.exists()


def test_a_post_without_its_headers_or_body_is_400(world: World) -> None:
    client = token_client(world.admin)
    assert "respond-async" in outcome(client.post(BASE + "$export"), 400)
    assert "Parameters" in outcome(client.post(BASE + "$export", headers=ASYNC), 400)


def test_cancel_deletes_the_files_and_forgets_the_job(world: World, records: Any) -> None:
    client = token_client(world.admin)
    kicked = kick_off(client)
    where = status_path(kicked)
    assert run_bulk_export.call(job_id(kicked)) == "done"
    job = BulkExport.objects.get()
    names = [entry["name"] for entry in job.output]
    assert names and all(default_storage.exists(name) for name in names)
    cancelled = client.delete(where)
    assert cancelled.status_code == 202
    assert not any(default_storage.exists(name) for name in names)
    outcome(client.get(where), 404)
    outcome(client.delete(where), 404)
    assert AccessLog.objects.filter(route="fhir:export-cancel").count() == 1


def test_cancel_before_the_worker_runs(world: World, records: Any) -> None:
    client = token_client(world.admin)
    kicked = kick_off(client)
    client.handler.enforce_csrf_checks = True  # a FHIR client sends no CSRF token
    assert client.delete(status_path(kicked)).status_code == 202
    assert run_bulk_export.call(job_id(kicked)) == "gone"


def test_cancel_while_the_worker_writes(
    world: World, records: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker learns of the cancel at its next batch and deletes what it wrote."""
    from tandem.bulkdata import export as writer

    monkeypatch.setattr(writer, "BATCH", 1)
    client = token_client(world.admin)
    kicked = kick_off(client)
    saved = writer.default_storage.save
    names: list[str] = []

    def save_then_cancel(name: str, content: Any) -> str:
        names.append(saved(name, content))
        actions.cancel(BulkExport.objects.get())  # the member pressed cancel
        return names[-1]

    monkeypatch.setattr(writer.default_storage, "save", save_then_cancel)
    assert run_bulk_export.call(job_id(kicked)) == "cancelled"
    assert names and not any(default_storage.exists(name) for name in names)


def test_files_expire(world: World, records: Any) -> None:
    client = token_client(world.admin)
    manifest = export(client)
    job = BulkExport.objects.get()
    url = manifest["output"][0]["url"]
    with time_machine.travel(clock.now() + actions.EXPIRES_AFTER + datetime.timedelta(minutes=1)):
        outcome(client.get(url[url.index(BASE) :]), 404)
        outcome(client.get(BASE + f"$export-status/{job.pk}"), 404)
        assert actions.prune() == 1
    assert not BulkExport.objects.exists()
    assert not any(default_storage.exists(e["name"]) for e in job.output)


def test_too_many_at_once_is_429(world: World) -> None:
    client = token_client(world.admin)
    for _ in range(actions.MAX_ACTIVE):
        assert kick_off(client).status_code == 202
    busy = kick_off(client)
    assert "wait for one" in outcome(busy, 429) and busy["Retry-After"]


def test_a_member_no_longer_allowed_gets_nothing(world: World, records: Any) -> None:
    client = token_client(world.admin)
    kicked = kick_off(client)
    world.admin.role = "therapist"
    world.admin.save()
    assert run_bulk_export.call(job_id(kicked)) == "failed"
    failed = client.get(status_path(kicked))
    assert "may no longer export" in outcome(failed, 500)


def test_the_capability_statement_declares_the_exports(client: Client) -> None:
    statement = client.get(BASE + "metadata").json()
    [rest] = statement["rest"]
    definitions = {op["definition"].rsplit("/", 1)[1] for op in rest["operation"]}
    assert definitions == {"export", "group-export"}
    patient = next(r for r in rest["resource"] if r["type"] == "Patient")
    assert patient["operation"][0]["definition"].endswith("/patient-export")
    from fhir.resources.R4B.capabilitystatement import CapabilityStatement

    CapabilityStatement.model_validate(statement)


def test_parts_and_batches_do_not_change_what_is_exported(
    world: World, records: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tandem.bulkdata import export as writer

    client = token_client(world.admin)
    whole = files(client, export(client))
    monkeypatch.setattr(writer, "BATCH", 2)
    monkeypatch.setattr(writer, "CHILDREN_PER_PART", 1)
    parted = files(client, export(client))
    assert {k: sorted(r["id"] for r in v) for k, v in parted.items()} == {
        k: sorted(r["id"] for r in v) for k, v in whole.items()
    }


def test_cancel_and_prune_delete_files_of_a_job_killed_half_way(world: World, records: Any) -> None:
    """The worker died after saving a file: ``output`` names none; its folder still goes."""
    from django.core.files.base import ContentFile

    from tandem.bulkdata import export as writer

    client = token_client(world.admin)
    first, second = kick_off(client), kick_off(client)
    jobs = {str(job.pk): job for job in BulkExport.objects.all()}
    orphans = [
        default_storage.save(writer.storage_name(jobs[job_id(k)], "Patient"), ContentFile(b"{}"))
        for k in (first, second)
    ]
    assert client.delete(status_path(first)).status_code == 202
    assert not default_storage.exists(orphans[0]) and default_storage.exists(orphans[1])
    with time_machine.travel(clock.now() + actions.GIVE_UP_AFTER + datetime.timedelta(hours=1)):
        actions.prune()  # the second is given up (no worker finished it)...
    with time_machine.travel(clock.now() + actions.GIVE_UP_AFTER + datetime.timedelta(hours=2)):
        assert actions.prune() == 1  # ...then it expires, and its folder goes
    assert not default_storage.exists(orphans[1])
    assert not BulkExport.objects.filter(pk=job_id(second)).exists()
