"""ABC (antecedent–behavior–consequence) records on a session note: written on the
draft over the API, versioned and sealed with the note, shown on it, listed for the
child to clinical readers only, and never drafted into the Objective (which families
and collaborators read on the signed note)."""

import json

import pytest
from django.urls import reverse

from tandem.notes import abc, actions, narrative, views
from tandem.notes.models import GoalData, NoteLocked, SessionNote
from tandem.notes.reading import read_note
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

RECORD = {
    "time": "09:10",
    "antecedent": "Asked to put the blocks away",
    "behavior": "Threw two blocks",
    "consequence": "Break card offered; took a 1-minute break",
}


def send(client, method, path, data):
    return client.generic(method, path, json.dumps(data, default=str), "application/json")


def abc_path(note):
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/abc-records"


@pytest.mark.parametrize(
    "records",
    [
        [{**RECORD, "behavior": " "}],
        [{**RECORD, "time": "9:10"}],
        [{**RECORD, "colour": "red"}],
        [RECORD] * 51,
        "not a list",
    ],
)
def test_bad_records_are_refused(records):
    assert abc.problem(records) is not None


def test_records_are_written_on_the_draft_and_sealed_with_it(world, client_as):
    note = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    response = send(client, "PUT", abc_path(note), {"version": note.version, "records": [RECORD]})
    assert response.status_code == 200, response.content
    assert response.json()["abc_records"] == [RECORD]
    assert response.json()["version"] == note.version + 1
    stale = send(client, "PUT", abc_path(note), {"version": note.version, "records": []})
    assert stale.status_code == 409
    bad = {"version": note.version + 1, "records": [{**RECORD, "behavior": ""}]}
    assert send(client, "PUT", abc_path(note), bad).status_code == 422
    # Another therapist may not write on the author's draft.
    assert send(client_as(world.admin), "PUT", abc_path(note), bad).status_code in (403, 422)

    sign_path = abc_path(note).replace("abc-records", "sign")
    signed = send(client, "POST", sign_path, {"version": note.version + 1})
    assert signed.status_code == 200, signed.content
    note = SessionNote.objects.get(organization=note.organization, pk=note.pk)
    entries = list(GoalData.objects.filter(organization=note.organization, note=note))
    assert note.compute_hash(entries) == note.content_hash
    note.abc_records = [{**RECORD, "behavior": "Threw one block"}]
    assert note.compute_hash(entries) != note.content_hash  # the seal covers them
    with pytest.raises(NoteLocked):
        note.save()
    locked = send(client, "PUT", abc_path(note), {"version": note.version, "records": []})
    assert locked.status_code == 409


def test_the_child_lists_them_for_clinical_readers_only(world, client_as):
    note = make_note(world.child, world.therapist)
    abc.set_records(note, world.therapist, expected_version=note.version, records=[RECORD])
    path = f"/api/v1/children/{world.child.id}/abc-records"
    listed = client_as(world.therapist).get(path).json()
    assert listed == [{"note_id": str(note.id), "date": note.date.isoformat(), **RECORD}]
    assert client_as(world.guardian).get(path).json() == []
    assert client_as(world.foreign_therapist).get(path).status_code == 404
    page = client_as(world.therapist).get(reverse("notes:detail", args=[world.child.id, note.id]))
    assert "Threw two blocks" in page.content.decode()


def test_the_draft_objective_leaves_them_out_in_both_languages(world):
    # Families and collaborators read the signed Objective; ABC records are for the
    # clinical staff, who read them on the note.
    note = make_note(world.child, world.therapist)
    note = abc.set_records(note, world.therapist, expected_version=note.version, records=[RECORD])
    for lang in ("en", "es"):
        text = narrative.objective(note, [], lang)
        assert text  # the session line is still drafted
        assert "ABC" not in text and "Threw two blocks" not in text
        assert "Asked to put the blocks away" not in text and "break" not in text


def test_the_note_page_shows_them_to_clinical_staff_only(world, client_as, rf):
    # Noah's family shares his session notes with the teacher (a consented collaborator):
    # the teacher reads the signed note (on their shared page), never its ABC records.
    author = world.unassigned_therapist  # Noah's lead therapist
    note = make_note(world.other_child, author)
    note = abc.set_records(note, author, expected_version=note.version, records=[RECORD])
    note = actions.sign_note(note, author, expected_version=note.version)
    page = reverse("notes:detail", args=[world.other_child.id, note.id])
    assert "Threw two blocks" in client_as(author).get(page).content.decode()
    guardian = client_as(world.other_guardian).get(page)
    assert guardian.status_code == 200 and "Threw two blocks" not in guardian.content.decode()
    teacher = world.consented_collaborator
    shared = client_as(teacher).get(reverse("collaborators:notes", args=[world.other_child.id]))
    assert shared.status_code == 200 and "Threw two blocks" not in shared.content.decode()
    # The note page itself, rendered for the teacher: no ABC table either.
    request = rf.get(page)
    request.user, request.membership = teacher.user, teacher
    body = views._render_detail(request, read_note(teacher, note)).content.decode()
    assert 'id="soap-h"' in body and "Threw two blocks" not in body
