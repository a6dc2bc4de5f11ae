"""DocumentReference for signed session notes: each signed note is a document (its PDF on
its own page), typed with the LOINC progress note of its discipline, searched beside the
reports, read only by those who read the note on its page; a draft is no document."""

import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.conftest import World, sign_in
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.fhir.base import instant
from tandem.notes import actions
from tandem.notes.cosigning import cosign_note
from tandem.notes.models import NoteStatus
from tandem.notes.tests.helpers import goals_for, make_note

from .helpers import every_page, get, ids, ok, outcome

pytestmark = pytest.mark.django_db
LOINC = "http://loinc.org"


def _slp_note(child: Any, author: Any) -> Any:
    """A signed note of a speech-language session a week ago (the session's discipline
    is the note's)."""
    session = make_appointment(
        child, author, in_days(child, -7), status="attended", discipline="slp"
    ).encounter
    starts = session.starts_at.astimezone(clock.zone_for(child.organization))
    ends = starts + datetime.timedelta(minutes=session.duration_minutes)
    return make_note(
        child,
        author,
        goals=goals_for(child, author),
        sign=True,
        encounter=session,
        date=starts.date(),
        start_time=starts.time(),
        end_time=ends.time(),
    )


@pytest.fixture
def notes(world: World) -> dict[str, Any]:
    """Maya's signed OT note, signed SLP note, a draft and her assistant's note waiting for
    its co-signature; a signed note of another family's child."""
    ot = make_note(world.child, world.therapist, sign=True)
    assert ot.encounter.discipline == "ot"
    return {
        "ot": ot,
        "slp": _slp_note(world.child, world.therapist),
        "draft": make_note(world.child, world.therapist),
        "waiting": make_note(world.child, world.assistant, sign=True),
        "other": make_note(world.other_child, world.unassigned_therapist, sign=True),
    }


def _notes_found(client: Client, params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        e["resource"]["id"]: e["resource"]
        for e in every_page(client, "DocumentReference", params)
        if e["resource"]["id"].endswith(".note")
    }


def test_a_signed_note_is_a_document_of_its_disciplines_type(world: World, notes: Any) -> None:
    client = sign_in(Client(), world.therapist)
    note = notes["ot"]
    response = get(client, f"DocumentReference/{note.pk}.note")
    document = ok(client, f"DocumentReference/{note.pk}.note")  # schema and R4B models
    assert document["id"] == f"{note.pk}.note"
    assert document["status"] == "current" and document["docStatus"] == "final"
    assert document["type"]["coding"] == [
        {"system": LOINC, "code": "11507-1", "display": "Occupational therapy Progress note"}
    ]
    assert document["category"][0]["coding"][0]["code"] == "clinical-note"
    assert document["subject"] == {"reference": f"Patient/{world.child.pk}"}
    assert document["date"] == instant(note.signed_at)
    assert document["author"][0]["reference"] == f"Practitioner/{world.therapist.pk}"
    assert document["context"]["period"] == {
        "start": note.date.isoformat(),
        "end": note.date.isoformat(),
    }
    assert document["context"]["encounter"] == [{"reference": f"Encounter/{note.pk}"}]
    attachment = document["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf" and "data" not in attachment
    assert urlsplit(attachment["url"]).path == reverse(
        "notes:note_pdf", args=[world.child.pk, note.pk]
    )
    assert attachment["title"].startswith("Occupational therapy session note")
    assert response["ETag"] == f'W/"{document["meta"]["versionId"]}"'
    slp = ok(client, f"DocumentReference/{notes['slp'].pk}.note")
    assert slp["type"]["coding"][0]["code"] == "11512-1"
    assert slp["type"]["coding"][0]["display"] == "Speech-language pathology Progress note"


def test_the_team_finds_signed_notes_never_a_draft(world: World, notes: Any) -> None:
    client = sign_in(Client(), world.therapist)
    found = _notes_found(client, {"patient": str(world.child.pk), "_count": 2})
    assert set(found) == {f"{notes[k].pk}.note" for k in ("ot", "slp", "waiting")}
    assert notes["waiting"].status == NoteStatus.AWAITING_COSIGN
    assert found[f"{notes['waiting'].pk}.note"]["docStatus"] == "preliminary"
    outcome(get(client, f"DocumentReference/{notes['draft'].pk}.note"), 404)
    outcome(get(client, f"DocumentReference/{notes['ot'].pk}.progress"), 404)  # not a plan


def test_search_notes_by_type_date_and_period(world: World, notes: Any) -> None:
    client = sign_in(Client(), world.admin)
    child = str(world.child.pk)
    ot, slp = f"{notes['ot'].pk}.note", f"{notes['slp'].pk}.note"
    speech = ok(client, "DocumentReference", {"patient": child, "type": f"{LOINC}|11512-1"})
    assert ids(speech) == [slp]
    either = ok(client, "DocumentReference", {"type": "11512-1,11507-1", "patient": child})
    assert set(ids(either)) == {ot, slp, f"{notes['waiting'].pk}.note"}
    # 11506-3: the progress reports (and notes of disciplines with no code of their own).
    assert not [
        i for i in ids(ok(client, "DocumentReference", {"type": "11506-3"})) if ".note" in i
    ]
    week_ago = notes["slp"].date.isoformat()
    on_the_day = _notes_found(client, {"patient": child, "period": week_ago})
    assert set(on_the_day) == {slp}
    signed = notes["slp"].signed_at
    since = {"patient": child, "date": f"gt{instant(signed + datetime.timedelta(seconds=1))}"}
    assert slp not in _notes_found(client, since)
    assert slp in _notes_found(client, {"patient": child, "date": f"le{instant(signed)}"})
    assert ok(client, "DocumentReference", {"_id": f"{ot},{slp}"})["total"] == 2
    assert ok(client, "DocumentReference", {"_id": f"{notes['draft'].pk}.note"})["total"] == 0
    later = {"patient": child, "_lastUpdated": "gt2999-01-01", "type": "11507-1"}
    assert ok(client, "DocumentReference", later)["total"] == 0
    status = {"patient": child, "status": "current", "category": "clinical-note"}
    assert {ot, slp} <= set(_notes_found(client, status))


def test_a_guardian_finds_their_childs_signed_notes_only(world: World, notes: Any) -> None:
    family = sign_in(Client(), world.guardian)
    found = _notes_found(family, {})
    assert set(found) == {f"{notes['ot'].pk}.note", f"{notes['slp'].pk}.note"}
    for hidden in ("draft", "waiting", "other"):  # a draft, not co-signed, another family's
        outcome(get(family, f"DocumentReference/{notes[hidden].pk}.note"), 404)
    ot = f"DocumentReference/{notes['ot'].pk}.note"
    other = sign_in(Client(), world.other_guardian)
    outcome(get(other, ot), 404)
    assert set(_notes_found(other, {})) == {f"{notes['other'].pk}.note"}
    for member in (world.front_desk, world.billing, world.unassigned_therapist):
        outcome(get(sign_in(Client(), member), ot), 404)
    outcome(get(sign_in(Client(), world.consented_collaborator), ot), 404)  # not in scope
    outcome(get(sign_in(Client(), world.foreign_admin), ot), 404)


def test_an_addendum_gives_the_document_a_new_version(world: World, notes: Any) -> None:
    client = sign_in(Client(), world.therapist)
    path = f"DocumentReference/{notes['ot'].pk}.note"
    before = ok(client, path)
    actions.add_addendum(notes["ot"], world.therapist, "The coat had a zip, not buttons.")
    after = ok(client, path)
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["meta"]["lastUpdated"] >= before["meta"]["lastUpdated"]
    assert after["docStatus"] == "amended"
    assert get(client, path)["ETag"] == f'W/"{after["meta"]["versionId"]}"'
    changed = {"_lastUpdated": f"ge{after['meta']['lastUpdated']}", "type": "11507-1"}
    assert f"{notes['ot'].pk}.note" in ids(ok(client, "DocumentReference", changed))


def test_co_signing_gives_the_document_a_new_version(world: World, notes: Any) -> None:
    client = sign_in(Client(), world.therapist)
    path = f"DocumentReference/{notes['waiting'].pk}.note"
    before = ok(client, path)
    cosign_note(notes["waiting"], world.therapist, expected_version=notes["waiting"].version)
    after = ok(client, path)
    assert after["docStatus"] == "final"
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    family = sign_in(Client(), world.guardian)
    assert ok(family, path)["id"] == f"{notes['waiting'].pk}.note"  # now the family's too


def test_a_page_of_notes_costs_the_same_queries_with_more_notes(
    world: World, notes: Any, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.therapist)
    params = {"type": "11507-1,11512-1", "_count": 3}
    ok(client, "DocumentReference", params)  # warms the process's caches
    with django_assert_max_num_queries(12) as small:
        ok(client, "DocumentReference", params)
    for n in range(3):
        kid = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Load")
        f.CareTeamMemberFactory(child=kid, therapist=world.therapist, role="lead")
        make_note(kid, world.therapist, sign=True)
        actions.add_addendum(make_note(kid, world.therapist, sign=True), world.therapist, "More.")
    with django_assert_max_num_queries(12) as large:
        found = ok(client, "DocumentReference", params)
    assert found["total"] > 3 and len(found["entry"]) == 3
    assert len(large.captured_queries) == len(small.captured_queries)
