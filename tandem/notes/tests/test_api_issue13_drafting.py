""" "Draft the note" through the API: the draft fills the empty fields as the editor's button
does, in the caller's language; ``use`` replaces a written field, ``save: false`` only
answers; a stale version or bad input changes nothing; a retry is answered once; only
the draft's author drafts it."""

import json

import pytest

from tandem.notes import drafting
from tandem.notes.api_drafting import DraftedField
from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import goals_for, make_note
from tandem.notes.tests.test_drafting import ASSESSMENT, OBJECTIVE, last_week_then_draft
from tandem.plans.tests.helpers import make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def draft_path(note):
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/draft"


def send(client, note, data, **headers):
    return client.post(draft_path(note), json.dumps(data), "application/json", **headers)


@pytest.fixture
def draft(world):
    return last_week_then_draft(world, goals_for(world.child, world.therapist)[0])


def test_the_draft_fills_the_empty_fields_as_the_editor_does(world, client_as, draft):
    response = send(client_as(world.therapist), draft, {"version": draft.version})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["drafted"]["objective"] == OBJECTIVE
    assert body["drafted"]["assessment"] == ASSESSMENT
    assert body["filled"] == list(drafting.DRAFTED)
    assert body["kept"] == [] and body["saved"] is True
    assert body["note"]["objective"] == OBJECTIVE
    assert body["note"]["version"] == draft.version + 1
    summary = body["family_summary"]
    assert summary["en"].startswith("Today Maya worked on 1 goal with us.\n")
    assert summary["es"].startswith("Hoy Maya trabajó en 1 objetivo con nosotros.\n")
    assert summary["share"] is True  # shared on signing unless the therapist unticks it
    note = SessionNote.objects.get(pk=draft.pk)
    assert (note.objective, note.assessment) == (OBJECTIVE, ASSESSMENT)
    assert note.family_summary_en == summary["en"] and note.share_summary


def test_the_draft_is_in_the_callers_language(world, client_as, draft):
    world.therapist.user.language = "es"
    world.therapist.user.save()
    body = send(client_as(world.therapist), draft, {"version": draft.version}).json()
    assert body["drafted"]["objective"].startswith(
        "Maya trabajó en 1 objetivo en una sesión de 45 minutos.\n"
    )
    assert SessionNote.objects.get(pk=draft.pk).assessment.startswith(
        "Goal 1: button three buttons: 75 %, más que en la sesión anterior (50 %)"
    )


def test_written_fields_are_kept_unless_used(world, client_as, draft):
    client = client_as(world.therapist)
    path = f"/api/v1/children/{draft.child_id}/notes/{draft.id}"
    written = {"version": draft.version, "objective": "My own words."}
    assert client.patch(path, written, "application/json").status_code == 200
    body = send(client, draft, {"version": draft.version + 1}).json()
    assert "objective" in body["kept"] and "objective" not in body["filled"]
    assert body["note"]["objective"] == "My own words."
    assert body["drafted"]["objective"] == OBJECTIVE  # shown beside, as in the editor
    used = send(client, draft, {"version": draft.version + 2, "use": ["objective"]})
    assert used.status_code == 200, used.content
    assert used.json()["filled"] == ["objective"]
    assert SessionNote.objects.get(pk=draft.pk).objective == OBJECTIVE


def test_save_false_only_answers_the_draft(world, client_as, draft):
    body = send(client_as(world.therapist), draft, {"version": draft.version, "save": False})
    assert body.json()["drafted"]["objective"] == OBJECTIVE
    assert body.json()["saved"] is False
    note = SessionNote.objects.get(pk=draft.pk)
    assert (note.objective, note.version) == ("", draft.version)


@pytest.mark.parametrize(
    "payload",
    [
        {"version": 1, "use": ["subjective"]},  # not a drafted field
        {"version": 1, "surprise": True},
        {"use": ["objective"]},  # no version
        {"version": "one"},
    ],
)
def test_bad_input_is_a_json_422_and_changes_nothing(world, client_as, draft, payload):
    response = send(client_as(world.therapist), draft, payload)
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert SessionNote.objects.get(pk=draft.pk).version == draft.version


def test_a_stale_version_is_409_and_drafts_nothing(world, client_as, draft):
    response = send(client_as(world.therapist), draft, {"version": draft.version - 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == draft.version
    assert SessionNote.objects.get(pk=draft.pk).objective == ""


def test_a_retried_draft_is_answered_once(world, client_as, draft):
    client = client_as(world.therapist)
    payload = {"version": draft.version}
    first = send(client, draft, payload, HTTP_IDEMPOTENCY_KEY="draft-0001")
    again = send(client, draft, payload, HTTP_IDEMPOTENCY_KEY="draft-0001")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert SessionNote.objects.get(pk=draft.pk).version == draft.version + 1


def test_a_signed_note_is_409(world, client_as, draft):
    signed = SessionNote.objects.filter(child=world.child, status="signed").get()
    response = send(client_as(world.therapist), signed, {"version": signed.version})
    assert response.status_code == 409
    assert "Add an addendum" in response.json()["detail"]


def test_only_the_author_drafts_and_outsiders_learn_nothing(world, client_as, draft):
    payload = {"version": draft.version}
    for member in (world.admin, world.assistant):  # may write notes, not this draft
        assert send(client_as(member), draft, payload).status_code == 403
    # Readers of the child's notes may not write them: 403 before the note is looked up.
    assert send(client_as(world.consulting_therapist), draft, payload).status_code == 403
    assert send(client_as(world.guardian), draft, payload).status_code == 403
    for member in (
        world.other_guardian,
        world.collaborator,
        world.unassigned_therapist,
        world.foreign_therapist,
    ):
        assert send(client_as(member), draft, payload).status_code == 404
    assert SessionNote.objects.get(pk=draft.pk).version == draft.version


def test_drafting_costs_the_same_queries_whatever_the_goals(
    world, client_as, draft, django_assert_max_num_queries
):
    client = client_as(world.therapist)
    with django_assert_max_num_queries(32) as one_goal:
        assert send(client, draft, {"version": draft.version}).status_code == 200
    make_plan(world.child, world.therapist, goals=3)
    many = make_note(world.child, world.therapist, goals=None, objective="", assessment="")
    assert GoalData.objects.filter(note=many).count() >= 3
    with django_assert_max_num_queries(len(one_goal.captured_queries)):
        assert send(client, many, {"version": many.version}).status_code == 200


def test_the_schemas_fields_are_the_drafted_ones():
    assert DraftedField.__args__ == drafting.DRAFTED
