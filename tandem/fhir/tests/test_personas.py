"""Every type × every persona × a record of their own child, another family's and another
clinic's: read and search answer exactly what the roles allow (PRODUCT.md's roles table),
stated here as data, not read from the access code. Out of scope is 404."""

import re
from typing import Any

import pytest
from django.test import Client

from tandem.conftest import sign_in
from tandem.core.testing.matrix.rules import PERSONAS, shared_parts, visible_children

from .helpers import get, validate

# The roles that read each type of a child's record they see.
READERS = {
    "Patient": {"admin", "therapist", "guardian", "front_desk", "billing"},
    "RelatedPerson": {"admin", "therapist", "guardian", "front_desk"},
    "Condition": {"admin", "therapist", "guardian", "billing"},
    "CarePlan": {"admin", "therapist", "guardian"},
    "Goal": {"admin", "therapist", "guardian"},
    # Goal data of signed notes (growth is the team's: test_api).
    "Observation": {"admin", "therapist", "guardian"},
    "Appointment": {"admin", "therapist", "guardian", "front_desk", "billing"},
    "CareTeam": {"admin", "therapist", "guardian", "front_desk"},
    "Encounter": {"admin", "therapist", "guardian"},
    "QuestionnaireResponse": {"admin", "therapist"},
    "Communication": {"admin", "therapist", "guardian"},
    "Consent": {"admin", "guardian"},
    "DocumentReference": {"admin", "therapist", "guardian"},
}
# What a consent's progress summary shows a collaborator; the only types in their scopes.
SUMMARY_TYPES = {"CarePlan", "Goal", "Observation"}
COLLABORATOR_TYPES = {"CarePlan", "Goal", "Observation"}


def may_read(world: Any, persona: str, resource_type: str, child: Any) -> bool:
    role = getattr(world, persona).role
    if role == "collaborator":
        return resource_type in SUMMARY_TYPES and "summary" in shared_parts(world, persona, child)
    return role in READERS[resource_type] and child in visible_children(world, persona)


def in_scope(world: Any, persona: str, resource_type: str) -> bool:
    role = getattr(world, persona).role
    return role != "collaborator" or resource_type in COLLABORATOR_TYPES


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_and_finds_only_what_is_theirs(
    matrix_world: Any, db: None, persona: str
) -> None:
    w = matrix_world
    client = sign_in(Client(), getattr(w, persona))
    failures = []
    for child in (w.child, w.other_child, w.foreign_child):
        for resource_type in READERS:
            resource_id = w.fhir[child][resource_type]
            expected = 200 if may_read(w, persona, resource_type, child) else 404
            response = get(client, f"{resource_type}/{resource_id}")
            if response.status_code != expected:
                failures.append(f"read {resource_type} of {child} → {response.status_code}")
            validate(response.json())
            key = "_id" if resource_type == "Patient" else "patient"
            found = get(client, resource_type, {key: str(child.pk)})
            if not in_scope(w, persona, resource_type):
                if found.status_code != 404:
                    failures.append(f"search {resource_type} out of scope → {found.status_code}")
                continue
            total = found.json()["total"]
            if (total > 0) != (expected == 200):
                failures.append(f"search {resource_type} of {child} → {total} found")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_search_never_shows_a_child_one_may_not_see(
    matrix_world: Any, db: None, persona: str
) -> None:
    w = matrix_world
    client = sign_in(Client(), getattr(w, persona))
    everyone = (w.child, w.sibling, w.other_child, w.foreign_child)
    for resource_type in READERS:
        response = get(client, resource_type, {"_count": 100})
        if not in_scope(w, persona, resource_type):
            assert response.status_code == 404
            continue
        body = response.content.decode()
        allowed = {c for c in everyone if may_read(w, persona, resource_type, c)}
        for child in set(everyone) - allowed:
            assert str(child.pk) not in body, f"{persona} {resource_type} shows {child}"
            # As a word: a foreign child named Lind is not in "Linda Rogers".
            named = re.search(rf"\b{re.escape(child.last_name)}\b", body)
            assert not named or child.last_name in {c.last_name for c in allowed}


# Who names the clinic's therapeutic groups (caseloads: their therapist and the office;
# test_group.py). A group names only the children one may see.
GROUP_READERS = {"admin", "therapist", "front_desk"}
CASELOAD_READERS = {"admin", "therapist", "front_desk"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_groups_name_only_children_one_may_see(matrix_world: Any, db: None, persona: str) -> None:
    w = matrix_world
    member = getattr(w, persona)
    client = sign_in(Client(), member)
    response = get(client, "Group", {"_count": 100})
    validate(response.json())
    if not in_scope(w, persona, "Group"):
        assert response.status_code == 404
        return
    found = [e["resource"] for e in response.json().get("entry", [])]
    seen = {str(c.pk) for c in visible_children(w, persona)}
    for group in found:
        named = {m["entity"]["reference"].removeprefix("Patient/") for m in group.get("member", [])}
        assert named <= seen, f"{persona} Group/{group['id']} names {named - seen}"
    caseloads = [g for g in found if g["id"].startswith("caseload-")]
    assert bool(caseloads) == (member.role in CASELOAD_READERS)
    assert bool(len(found) - len(caseloads)) == (member.role in GROUP_READERS)
