"""The types beyond the first slice — CareTeam, Encounter, goal-data Observations,
Questionnaire(Response), Communication, Consent, DocumentReference — and ``_include``."""

from typing import Any

import pytest
from django.test import Client

from tandem.conftest import sign_in
from tandem.consent.actions import withdraw_consent
from tandem.consent.models import ConsentGrant

from .data import records_of
from .helpers import every_page, get, ids, ok, outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world: Any) -> dict[Any, dict[str, str]]:
    return {
        child: records_of(child) for child in (world.child, world.other_child, world.foreign_child)
    }


def _resources(bundle: dict[str, Any], mode: str = "match") -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def test_care_team_encounter_and_goal_data(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.therapist)
    child = str(world.child.pk)
    team = ok(client, f"CareTeam/{child}")
    members = {p["member"]["reference"]: p["role"][0] for p in team["participant"]}
    assert members[f"Practitioner/{world.therapist.pk}"]["coding"][0]["code"] == "lead"
    assert any(ref.startswith("RelatedPerson/") for ref in members)
    assert (
        ok(client, "CareTeam", {"participant": f"Practitioner/{world.therapist.pk}"})["total"] == 2
    )  # the child and the sibling
    # Every team is active (status=active was a 500: a lookup given as a list).
    assert ok(client, "CareTeam", {"status": "active", "patient": child})["total"] == 1
    encounter = ok(client, f"Encounter/{records[world.child]['Encounter']}")
    assert encounter["status"] == "finished"
    assert encounter["class"]["code"] == "AMB"
    day = encounter["period"]["start"][:10]
    assert ok(client, "Encounter", {"patient": child, "date": f"ge{day}"})["total"] == 1
    assert ok(client, "Encounter", {"patient": child, "date": f"lt{day}"})["total"] == 0
    assert ok(client, "Encounter", {"patient": child, "class": "VR"})["total"] == 0
    therapy = every_page(client, "Observation", {"patient": child, "category": "therapy"})
    # One value the clinic never serves beside one it does: the served one's readings.
    either = {"patient": child, "category": "therapy,survey"}
    assert ok(client, "Observation", either)["total"] == len(therapy)
    by_code: dict[str, list[dict[str, Any]]] = {}
    for entry in therapy:
        resource = entry["resource"]
        by_code.setdefault(resource["code"]["coding"][0]["code"], []).append(resource)
        assert resource["focus"][0]["reference"].startswith("Goal/")
        assert resource["encounter"] == {"reference": f"Encounter/{encounter['id']}"}
    [gas, _] = by_code["107333-7"]
    assert gas["code"]["coding"][0]["system"] == "http://loinc.org"
    assert gas["valueInteger"] == 0
    [value, _] = by_code["goal-data"]
    assert value["valueQuantity"]["code"] == "%"
    gas_only = ok(client, "Observation", {"patient": child, "code": "http://loinc.org|107333-7"})
    assert gas_only["total"] == 2
    assert ok(client, "Observation", {"patient": child, "date": f"eq{day}"})["total"] == 4


def test_questionnaires_and_responses(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.therapist)
    assert set(ids(ok(client, "Questionnaire"))) == {
        "parent-intake",
        "psc-17",
        "sensory-behaviour",
    }
    psc17 = ok(client, "Questionnaire/psc-17")
    assert ids(ok(client, "Questionnaire", {"url": psc17["url"]})) == ["psc-17"]
    outcome(get(client, "Questionnaire/psc17"), 404)
    sensory = ok(client, "Questionnaire/sensory-behaviour")
    response = ok(client, f"QuestionnaireResponse/{records[world.child]['QuestionnaireResponse']}")
    assert response["questionnaire"] == f"{sensory['url']}|{sensory['version']}"
    assert response["status"] == "completed"
    answers = {i["linkId"]: i["answer"][0] for group in response["item"] for i in group["item"]}
    assert answers["touch-messy"] == {"valueInteger": 3}
    found = ok(client, "QuestionnaireResponse", {"questionnaire": sensory["url"]})
    assert found["total"] == 1  # the child's (the sibling has none)
    assert ok(client, "QuestionnaireResponse", {"questionnaire": psc17["url"]})["total"] == 0
    guardian = sign_in(Client(), world.guardian)
    assert ok(guardian, "QuestionnaireResponse")["total"] == 0  # the team's records
    assert ok(guardian, "Questionnaire")["total"] == 3


def test_messages_consents_and_documents(world: Any, records: Any) -> None:
    child = str(world.child.pk)
    family = sign_in(Client(), world.guardian)
    [message] = _resources(ok(family, "Communication", {"patient": child}))
    assert message["payload"] == [{"contentString": "See you on Tuesday."}]
    assert message["sender"]["reference"].startswith("Practitioner/")
    assert ok(family, "Communication", {"patient": child, "category": "family"})["total"] == 0
    consents = _resources(ok(family, "Consent", {"patient": child, "status": "active"}))
    assert {c["provision"]["code"][0]["coding"][0]["code"] for c in consents} == {"summary"}
    grant = ConsentGrant.objects.get(pk=records[world.child]["Consent"])
    withdraw_consent(world.guardian, grant)
    assert ok(family, f"Consent/{grant.pk}")["status"] == "inactive"
    evaluations = {"patient": child, "type": "51848-0"}  # the plan's reports: their own tests
    [document] = _resources(ok(family, "DocumentReference", evaluations))
    attachment = document["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf"
    assert "data" not in attachment
    assert attachment["url"].startswith("http://testserver/")
    page = family.get(attachment["url"].removeprefix("http://testserver"))
    assert page.status_code == 200  # the export page that has the PDF made


def test_include_adds_what_the_caller_may_read(world: Any, records: Any) -> None:
    child = str(world.child.pk)
    therapist = sign_in(Client(), world.therapist)
    bundle = ok(
        therapist,
        "Observation",
        {"patient": child, "_include": ["Observation:patient", "Observation:focus"]},
    )
    included = _resources(bundle, "include")
    assert {r["resourceType"] for r in included} == {"Patient", "Goal"}
    assert [r["id"] for r in included if r["resourceType"] == "Patient"] == [child]
    team = ok(therapist, "CareTeam", {"patient": child, "_include": "CareTeam:participant"})
    assert {r["resourceType"] for r in _resources(team, "include")} == {
        "Practitioner",
        "RelatedPerson",
    }
    narrowed = ok(
        therapist,
        "CareTeam",
        {"patient": child, "_include": "CareTeam:participant:Practitioner"},
    )
    assert {r["resourceType"] for r in _resources(narrowed, "include")} == {"Practitioner"}
    encounters = ok(therapist, "Encounter", {"_include": "Encounter:patient"})
    assert {r["id"] for r in _resources(encounters, "include")} == {child}
    # Access applies to what is included: a guardian reads no staff records, a
    # collaborator no Patient.
    family = sign_in(Client(), world.guardian)
    team = ok(family, "CareTeam", {"patient": child, "_include": "CareTeam:participant"})
    assert {r["resourceType"] for r in _resources(team, "include")} == {"RelatedPerson"}
    teacher = sign_in(Client(), world.consented_collaborator)
    seen = ok(teacher, "Observation", {"_include": ["Observation:patient", "Observation:focus"]})
    assert seen["total"] > 0
    assert {r["resourceType"] for r in _resources(seen, "include")} == {"Goal"}


@pytest.mark.parametrize(
    "params", [{"_include": "Observation:bogus"}, {"_include": "Patient:organization"}]
)
def test_unknown_includes_are_400(world: Any, params: dict[str, str]) -> None:
    outcome(get(sign_in(Client(), world.admin), "Observation", params), 400)


def test_includes_cost_a_bounded_number_of_queries(
    world: Any, records: Any, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.admin)
    ok(client, "Observation", {"_count": 5})
    wanted = {"_count": 5, "_include": ["Observation:patient", "Observation:focus"]}
    with django_assert_max_num_queries(16):
        ok(client, "Observation", wanted)
    with django_assert_max_num_queries(14):
        ok(client, "CareTeam", {"_count": 5, "_include": "CareTeam:participant"})


def test_the_capability_statement_tells_what_is_served(world: Any, records: Any) -> None:
    client = sign_in(Client(), world.admin)
    [rest] = ok(client, "metadata")["rest"]
    for declared in rest["resource"]:
        kind = declared["type"]
        for pair in declared.get("searchInclude", []):
            ok(client, kind, {"_include": pair, "_count": 3})
        entries = every_page(client, kind, {"_count": 50})
        versions = ["versionId" in e["resource"].get("meta", {}) for e in entries]
        if declared["versioning"] == "versioned":
            assert entries and all(versions), kind
        elif "documentation" in declared:  # some records carry a version, others not
            assert "version" in declared["documentation"], kind
        else:
            assert not any(versions), kind
        for param in declared["searchParam"]:
            if param["type"] == "date":
                ok(client, kind, {param["name"]: "ge2000-01-01"})
        unknown = get(client, kind, {"not-a-parameter": "x"})
        assert "not-a-parameter" in outcome(unknown, 400)
