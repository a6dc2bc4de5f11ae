"""Reading and searching every type served: valid R4 (fhir.resources R4B), paging, dates,
bad input as an OperationOutcome, tokens, ETags and the access log."""

import datetime
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken
from tandem.audit.models import AccessLog
from tandem.conftest import sign_in
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.fhir.registry import SPECS
from tandem.plans.models import Goal

from .data import records_of
from .helpers import every_page, get, ids, ok, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world: Any) -> dict[Any, dict[str, str]]:
    return {
        child: records_of(child) for child in (world.child, world.other_child, world.foreign_child)
    }


def token_for(member: Any) -> str:
    raw, digest = ApiToken.new_token()
    ApiToken.objects.create(membership=member, name="EHR", prefix=raw[:12], token_hash=digest)
    return raw


def test_metadata_tells_what_is_served(client: Client) -> None:
    statement = ok(client, "metadata")
    assert statement["fhirVersion"] == "4.0.1"
    assert statement["format"] == ["json", "application/fhir+json"]
    [rest] = statement["rest"]
    assert [r["type"] for r in rest["resource"]] == list(SPECS)
    for resource in rest["resource"]:
        assert {i["code"] for i in resource["interaction"]} == {"read", "search-type"}


def test_every_type_searches_and_reads_as_valid_r4(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    for resource_type in SPECS:
        bundle = ok(client, resource_type)
        assert bundle["type"] == "searchset"
        assert bundle["total"] >= 1, resource_type
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert entry["fullUrl"].endswith(f"/fhir/R4/{resource_type}/{resource['id']}")
            response = get(client, f"{resource_type}/{resource['id']}")
            assert response.status_code == 200
            assert response.json() == resource
            version = resource["meta"].get("versionId")
            assert response.get("ETag") == (f'W/"{version}"' if version else None)


def test_mapping_uses_the_standard_codes(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.therapist)
    child = world.child
    condition = ok(client, "Condition", {"patient": f"Patient/{child.pk}"})["entry"][0]["resource"]
    assert condition["code"]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/icd-10-cm",
        "code": "F84.0",
        "display": "Autistic disorder",
    }
    observations = every_page(
        client, "Observation", {"subject": str(child.pk), "category": "vital-signs"}
    )
    codes = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"]["valueQuantity"]["code"]
        for e in observations
    }
    assert codes == {"29463-7": "kg", "8302-2": "cm", "9843-4": "cm", "39156-5": "kg/m2"}
    weight = ok(
        client, "Observation", {"code": "http://loinc.org|29463-7", "patient": str(child.pk)}
    )
    assert weight["total"] == 1
    assert weight["entry"][0]["resource"]["valueQuantity"]["system"] == "http://unitsofmeasure.org"
    by_id = ok(client, "Observation", {"_id": weight["entry"][0]["resource"]["id"]})
    assert ids(by_id) == ids(weight)


def test_goals_read_in_the_family_words_by_families(world: Any, records: Any) -> None:
    goal = Goal.objects.get(pk=records[world.child]["Goal"])
    staff = ok(sign_in(Client(), world.therapist), f"Goal/{goal.pk}")
    family = ok(sign_in(Client(), world.guardian), f"Goal/{goal.pk}")
    teacher = ok(sign_in(Client(), world.consented_collaborator), f"Goal/{goal.pk}")
    assert staff["description"]["text"] == goal.statement
    for seen in (family, teacher):
        assert goal.statement not in str(seen)
        assert "note" not in seen


def test_paging_follows_next_links_until_exhausted(world: Any, records: Any) -> None:
    for n in range(4):
        kid = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Paging")
        f.CareTeamMemberFactory(child=kid, therapist=world.therapist, role="lead")
        records_of(kid, measurements=2)
    client = sign_in(Client(), world.therapist)
    patients = every_page(client, "Patient", {"_count": 2})
    assert len(set(ids(patients))) == len(patients) == 6
    observations = every_page(client, "Observation", {"_count": 3})
    # Per child: 4 growth values per measurement, and a value and a GAS level for each of
    # the 2 goals of its signed note (the world's child and sibling, and the 4 kids).
    growth = 4 * (1 + 4 * 2)
    assert len(set(ids(observations))) == len(observations) == growth + 4 * (1 + 4)
    second = client.get(ok(client, "Patient", {"_count": 2})["link"][1]["url"]).json()
    assert [link["relation"] for link in second["link"]] == ["self", "next", "previous"]
    assert ok(client, "Patient", {"_count": 500})["total"] == 6  # capped at 100, all fit


def test_date_prefixes(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    today = clinic_today()
    measured = today - datetime.timedelta(days=30)

    def total(path: str, **params: str) -> int:
        if path == "Observation":
            params["category"] = "vital-signs"
        return int(ok(client, path, params)["total"])

    child = str(world.child.pk)
    assert total("Observation", patient=child, date=measured.isoformat()) == 4
    assert total("Observation", patient=child, date=f"eq{measured:%Y-%m}") == 4
    assert total("Observation", patient=child, date=f"lt{measured.isoformat()}") == 0
    assert total("Observation", patient=child, date=f"le{measured.isoformat()}") == 4
    assert total("Observation", patient=child, date=f"gt{measured.isoformat()}") == 0
    assert total("Observation", patient=child, date=f"ge{measured.isoformat()}") == 4
    born = world.child.date_of_birth
    assert total("Patient", _id=child, birthdate=f"{born.year}") == 1
    assert total("Patient", _id=child, birthdate=f"gt{born.isoformat()}") == 0
    assert total("CarePlan", patient=child, date=f"le{today.isoformat()}", status="active") == 1
    assert total("CarePlan", patient=child, status="draft") == 0
    assert total("Patient", _id=child, _lastUpdated=f"ge{today.year - 1}") == 1
    assert total("Patient", _id=child, _lastUpdated="lt2000-01-01T00:00:00Z") == 0


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("Patient", {"name:contains": "x"}),
        ("Patient", {"bogus": "1"}),
        ("Observation", {"date": "2020-02-31"}),
        ("Observation", {"date": "31/02/2020"}),
        ("Observation", {"date": "ne2020-01-01"}),
        ("Observation", {"code": "1234-5"}),
        ("Patient", {"_count": "0"}),
        ("Patient", {"_count": "many"}),
        ("Patient", {"_cursor": "!!"}),
        ("Patient", {"_format": "xml"}),
        ("Goal", {"patient": "Patient/not-a-uuid"}),
        ("Goal", {"lifecycle-status": "bogus"}),
        ("Goal", {"patient": ""}),
        ("Immunization", {}),
        ("Encounter", {"class": "XYZ"}),
        ("Observation", {"date": "2020-13"}),
        ("Nonsense", {}),
    ],
)
def test_bad_input_is_a_400_operation_outcome(world: Any, path: str, params: Any) -> None:
    outcome(get(sign_in(Client(), world.admin), path, params), 400)


def test_not_found_is_a_404_operation_outcome(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    foreign = records[world.foreign_child]
    for key, resource_id in foreign.items():
        outcome(get(client, f"{key.partition('.')[0]}/{resource_id}"), 404)
    outcome(get(client, "Patient/not-a-uuid"), 404)
    outcome(get(client, "Observation/x.weight"), 404)
    outcome(get(client, f"Patient/{world.child.pk}/_history"), 404)
    outcome(get(client, "Patient/"), 404)
    outcome(get(client, ""), 400)
    assert get(client, "Patient", {"_id": str(world.foreign_child.pk)}).json()["total"] == 0


def test_signed_out_and_bad_tokens_are_401(client: Client, world: Any) -> None:
    outcome(get(client, "Patient"), 401)
    response = client.get("/fhir/R4/Patient", headers={"Authorization": "Bearer tdm_nothing"})
    outcome(response, 401)


def test_staff_tokens_read_their_own_caseload(client: Client, world: Any, records: Any) -> None:
    raw = token_for(world.therapist)
    auth = {"Authorization": f"Bearer {raw}"}
    bundle = client.get("/fhir/R4/Patient", headers=auth).json()
    assert set(ids(bundle)) == {str(world.child.pk), str(world.sibling.pk)}
    response = client.get(f"/fhir/R4/Patient/{world.other_child.pk}", headers=auth)
    outcome(response, 404)


def test_every_search_and_read_is_in_the_access_log(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.therapist)
    before = AccessLog.objects.count()
    ok(client, "Patient")
    row = AccessLog.objects.order_by("-at", "-id").first()
    assert row is not None and row.route == "fhir:patient-search"
    assert set(row.child_ids.split()) == {world.child.pk.hex, world.sibling.pk.hex}
    ok(client, f"Goal/{records[world.child]['Goal']}")
    assert AccessLog.objects.count() == before + 2
    assert AccessLog.objects.order_by("-at", "-id").first().child_id == world.child.pk  # type: ignore[union-attr]


def test_appointments_by_date_and_the_family_note(world: Any, records: Any) -> None:
    child = str(world.child.pk)
    guardian = ok(sign_in(Client(), world.guardian), "Appointment", {"patient": child})
    billing = ok(sign_in(Client(), world.billing), "Appointment", {"patient": child})
    [seen] = [e["resource"] for e in guardian["entry"]]
    assert seen["status"] == "fulfilled"
    assert seen["patientInstruction"] == "Please bring comfortable shoes."
    assert "patientInstruction" not in billing["entry"][0]["resource"]
    admin = sign_in(Client(), world.admin)
    day = seen["start"][:10]
    assert ok(admin, "Appointment", {"patient": child, "date": f"ge{day}"})["total"] == 1
    assert ok(admin, "Appointment", {"patient": child, "date": f"gt{seen['start']}"})["total"] == 0
    assert ok(admin, "Appointment", {"patient": child, "status": "booked"})["total"] == 0


def test_practitioners_carry_their_npi_and_discipline(world: Any) -> None:
    from tandem.billing.models import ProviderNumber

    ProviderNumber.objects.create(
        organization=world.org, membership=world.therapist, npi="1234567893", taxonomy="225X00000X"
    )
    client = sign_in(Client(), world.front_desk)
    found = ok(client, f"Practitioner/{world.therapist.pk}")
    assert {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"} in found[
        "identifier"
    ]
    roles = ok(client, "PractitionerRole", {"practitioner": f"Practitioner/{world.therapist.pk}"})
    [role] = [e["resource"] for e in roles["entry"]]
    assert role["specialty"][0]["coding"][0]["code"] == "ot"
    assert ok(client, "PractitionerRole", {"specialty": "slp"})["total"] == 1
    outcome(get(client, "PractitionerRole", {"practitioner": "Practitioner/x"}), 400)
    outcome(get(sign_in(Client(), world.guardian), f"Practitioner/{world.therapist.pk}"), 404)
