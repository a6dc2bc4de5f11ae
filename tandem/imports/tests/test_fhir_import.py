"""Importing a FHIR Bundle of Patient, RelatedPerson and Condition: validated, one issue
per problem, nothing written on any error, idempotent by identifier; and the round trip
Patient → FHIR read → import into a second clinic → read again."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import ApiToken, TokenScope
from tandem.children import actions as children
from tandem.children.models import Child, Diagnosis, GuardianLink
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.fhir.tests.helpers import ok, validate
from tandem.imports.models import ChildIdentifier

from .helpers import upload

pytestmark = pytest.mark.django_db
URL = reverse("imports:fhir_bundle")
MRN = "https://riverside.example/mrn"


def patient(value: str = "P-1", **fields: Any) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": MRN, "value": value}],
        "name": [{"use": "official", "family": "Ruiz", "given": ["Lucía"]}],
        "birthDate": "2019-08-01",
        "gender": "female",
        **fields,
    }


def bundle(*resources: dict[str, Any], kind: str = "transaction") -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": kind,
        "entry": [{"fullUrl": f"urn:uuid:{n}", "resource": r} for n, r in enumerate(resources)],
    }


PARENT = {
    "resourceType": "RelatedPerson",
    "patient": {"reference": "Patient/p1"},
    "relationship": [{"coding": [{"system": "x", "code": "MTH"}]}],
    "name": [{"family": "Ruiz", "given": ["Carmen"]}],
    "telecom": [{"system": "email", "value": "carmen.ruiz@example.com"}],
}
AUTISM = {
    "resourceType": "Condition",
    "subject": {"reference": "Patient/p1"},
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "F84.0"}]},
}


def post(client: Client, body: Any, **headers: str) -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    response = client.post(URL, text, content_type="application/fhir+json", headers=headers)
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    validate(outcome)
    return response.status_code, outcome


def test_a_bundle_is_imported_once(world: World, client_as: ClientAs) -> None:
    admin = client_as(world.admin)
    status, outcome = post(admin, bundle(patient(), PARENT, AUTISM))
    assert status == 200, outcome
    assert outcome["issue"][0]["diagnostics"] == "create"
    child = Child.objects.get(organization=world.org, first_name="Lucía")
    assert Diagnosis.objects.get(child=child).code == "F84.0"
    link = GuardianLink.objects.get(child=child)
    assert link.relationship == "mother" and link.guardian.user.email == "carmen.ruiz@example.com"
    status, outcome = post(admin, bundle(patient(), PARENT, AUTISM, kind="collection"))
    assert status == 200 and outcome["issue"][0]["diagnostics"] == "unchanged"
    assert Child.objects.filter(organization=world.org, first_name="Lucía").count() == 1


def test_every_problem_is_an_issue_and_nothing_is_written(
    world: World, client_as: ClientAs
) -> None:
    children_before = Child.objects.count()
    broken = bundle(
        patient(birthDate="2020-02-31"),
        {"resourceType": "Observation", "status": "final", "code": {"text": "x"}},
        {**PARENT, "telecom": [], "patient": {"reference": "Patient/p2"}},
        patient("P-2", id="p2"),
    )
    status, outcome = post(client_as(world.admin), broken)
    assert status == 400
    where = {issue["expression"][0]: issue["diagnostics"] for issue in outcome["issue"]}
    assert "Bundle.entry[0].resource.birthDate" in where
    assert "Only Patient" in where["Bundle.entry[1].resource"]
    assert "email" in where["Bundle.entry[2].resource.telecom"]
    assert Child.objects.count() == children_before


def test_duplicates_are_refused_against_the_file_and_the_clinic(
    world: World, client_as: ClientAs
) -> None:
    maya = patient(
        "P-9",
        id="p9",
        name=[{"family": "Okafor", "given": ["Maya"]}],
        birthDate=world.child.date_of_birth.isoformat(),
    )
    status, outcome = post(client_as(world.admin), bundle(patient(), patient(id="p2"), maya))
    assert status == 422
    messages = [(i["expression"][0], i["diagnostics"]) for i in outcome["issue"]]
    same = "Entry 0 has the same identifier: a child is imported once."
    assert ("Bundle.entry[1].resource", same) in messages
    maya_entry = "Bundle.entry[2].resource"
    assert any(e == maya_entry and "already in the clinic" in m for e, m in messages)
    assert not ChildIdentifier.objects.filter(organization=world.org).exists()


def test_malformed_json_and_wrong_bundles(world: World, client_as: ClientAs) -> None:
    admin = client_as(world.admin)
    assert post(admin, "{not json")[0] == 400
    assert post(admin, {"resourceType": "Patient"})[0] == 400
    status, outcome = post(admin, bundle(patient(), kind="searchset"))
    assert status == 400 and outcome["issue"][0]["expression"] == ["Bundle.type"]


def test_a_token_that_may_write_imports_and_others_do_not(world: World, client: Client) -> None:
    def token(member: Any, scope: str) -> str:
        raw, digest = ApiToken.new_token()
        ApiToken.objects.create(
            membership=member, name="EHR", prefix=raw[:12], token_hash=digest, scope=scope
        )
        return f"Bearer {raw}"

    writes = token(world.admin, TokenScope.READ_WRITE)
    assert post(client, bundle(patient()), Authorization=writes)[0] == 200
    reads = token(world.admin, TokenScope.READ)
    assert post(client, bundle(patient()), Authorization=reads)[0] == 403
    therapist = token(world.therapist, TokenScope.READ_WRITE)
    assert post(client, bundle(patient()), Authorization=therapist)[0] == 403
    assert post(client, bundle(patient()), Authorization="Bearer tdm_x")[0] == 401


def test_patient_round_trips_into_another_clinic(world: World, client_as: ClientAs) -> None:
    maya = world.child
    ChildIdentifier(organization=world.org, child=maya, system=MRN, value="M-77").save()
    children.set_diagnoses(maya, [("F84.0", "Autistic disorder")])
    here, there = client_as(world.admin), client_as(world.foreign_admin)
    first = ok(here, f"Patient/{maya.pk}")
    family = ok(here, "RelatedPerson", {"patient": str(maya.pk)})["entry"]
    conditions = ok(here, "Condition", {"patient": str(maya.pk)})["entry"]
    resources = [first] + [e["resource"] for e in family + conditions]
    status, outcome = post(there, bundle(*resources, kind="collection"))
    assert status == 200, outcome
    copy = ChildIdentifier.objects.get(organization=world.foreign_org, value="M-77").child
    second = ok(there, f"Patient/{copy.pk}")
    assert _without_ids(second) == _without_ids(first)
    assert first["identifier"][1:] == [{"system": MRN, "value": "M-77"}]
    assert Diagnosis.objects.get(child=copy).code == "F84.0"
    assert GuardianLink.objects.filter(child=copy).count() == len(family)
    status, outcome = post(there, bundle(*resources, kind="collection"))
    assert outcome["issue"][0]["diagnostics"] == "unchanged"


def _without_ids(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource apart from its ids and meta (Tandem's own id, the clinic's)."""
    kept = {k: v for k, v in resource.items() if k not in ("id", "meta", "managingOrganization")}
    kept["identifier"] = [i for i in resource["identifier"] if i["system"] != "urn:tandem:id"]
    return kept


def test_a_bundle_uploaded_on_the_page_gets_a_dry_run(
    world: World, client_as: ClientAs, django_capture_on_commit_callbacks: Any
) -> None:
    admin = client_as(world.admin)
    content = json.dumps(bundle(patient(), PARENT, AUTISM)).encode()
    response = upload(admin, content, name="caseload.json")
    page = response.content.decode()
    assert "To create: 1" in page and "Lucía Ruiz" in page and ">Entry<" in page
    url = response.request["PATH_INFO"]
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url)
    assert "Imported: 1 row." in admin.get(url).content.decode()
    assert ChildIdentifier.objects.get(organization=world.org, value="P-1").system == MRN


@pytest.mark.parametrize("born", ["2019-04", "2019", "2999-01-01"])
def test_a_partial_or_future_birth_date_is_an_issue(
    world: World, client_as: ClientAs, born: str
) -> None:
    admin = client_as(world.admin)
    status, outcome = post(admin, bundle(patient(birthDate=born)))
    assert status == 400, outcome
    where = [issue["expression"][0] for issue in outcome["issue"]]
    assert where == ["Bundle.entry[0].resource.birthDate"]
    response = upload(admin, json.dumps(bundle(patient(birthDate=born))).encode(), name="b.json")
    assert response.status_code == 200
    assert "Bundle.entry[0].resource.birthDate" in response.content.decode()
    assert not ChildIdentifier.objects.filter(organization=world.org).exists()
