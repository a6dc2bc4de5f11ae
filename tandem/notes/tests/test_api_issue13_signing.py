"""Signing through the API minds copied-forward text as the editor does: a draft whose
text copied from the last signed note is unchanged is refused (JSON 422, nothing signed)
unless the request says ``copied_text_reviewed``; changed text needs no confirmation; a
retry of a done signature is a 409; outsiders learn nothing."""

import datetime
import json

import pytest

from tandem.notes.models import NoteStatus, SessionNote
from tandem.notes.tests.helpers import TODAY, make_note
from tandem.notes.tests.test_copy_forward import ACTIVITIES, PLAN
from tandem.plans.tests.helpers import make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def sign_path(note):
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/sign"


def sign(client, note, **data):
    payload = {"version": note.version, **data}
    return client.post(sign_path(note), json.dumps(payload), "application/json")


@pytest.fixture
def copied(world):
    """Last week's signed note, and today's draft still holding its activities and plan."""
    make_plan(world.child, world.therapist, goals=1)
    make_note(
        world.child,
        world.therapist,
        sign=True,
        date=TODAY - datetime.timedelta(days=7),
        activities=ACTIVITIES,
        plan_next=PLAN,
    )
    return make_note(world.child, world.therapist, activities=ACTIVITIES, plan_next=PLAN)


def test_unchanged_copied_text_is_not_signed_without_review(world, client_as, copied):
    response = sign(client_as(world.therapist), copied)
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "I have read the copied text" in response.content.decode()
    note = SessionNote.objects.get(pk=copied.pk)
    assert (note.status, note.version, note.content_hash) == ("draft", copied.version, "")


def test_it_signs_once_the_therapist_has_read_it(world, client_as, copied):
    response = sign(client_as(world.therapist), copied, copied_text_reviewed=True)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == NoteStatus.SIGNED
    assert SessionNote.objects.get(pk=copied.pk).is_locked


def test_changed_copied_text_needs_no_confirmation(world, client_as, copied):
    client = client_as(world.therapist)
    path = f"/api/v1/children/{copied.child_id}/notes/{copied.id}"
    change = {"version": copied.version, "activities": "Swing, then her coat."}
    change["plan_next"] = "Zips next week."
    changed = client.patch(path, json.dumps(change), "application/json").json()
    note = SessionNote.objects.get(pk=copied.pk)
    assert changed["version"] == note.version
    assert sign(client, note).status_code == 200
    assert SessionNote.objects.get(pk=copied.pk).is_locked


def test_a_note_with_nothing_copied_signs_as_before(world, client_as):
    note = make_note(world.child, world.therapist)
    assert sign(client_as(world.therapist), note).status_code == 200


def test_a_stale_version_is_409_before_the_copied_text(world, client_as, copied):
    response = client_as(world.therapist).post(
        sign_path(copied), json.dumps({"version": copied.version - 1}), "application/json"
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == copied.version


def test_bad_input_is_a_json_422(world, client_as, copied):
    for data in ({"copied_text_reviewed": "maybe"}, {"copied_read": True}):
        response = sign(client_as(world.therapist), copied, **data)
        assert response.status_code == 422, data
        assert "copied" in response.content.decode()
    assert SessionNote.objects.get(pk=copied.pk).status == NoteStatus.DRAFT


def test_a_retried_signature_is_signed_once(world, client_as, copied):
    client = client_as(world.therapist)
    first = sign(client, copied, copied_text_reviewed=True)
    again = sign(client, copied, copied_text_reviewed=True)
    assert first.status_code == 200
    assert again.status_code == 409  # the note is signed: nothing signs it twice
    note = SessionNote.objects.get(pk=copied.pk)
    assert note.version == first.json()["version"]


def test_others_cannot_sign_and_outsiders_learn_nothing(world, client_as, copied):
    for member in (world.admin, world.assistant):
        assert sign(client_as(member), copied, copied_text_reviewed=True).status_code == 403
    # Readers of the child's notes may not write them: 403 before the note is looked up.
    assert sign(client_as(world.consulting_therapist), copied).status_code == 403
    assert sign(client_as(world.guardian), copied, copied_text_reviewed=True).status_code == 403
    for member in (
        world.other_guardian,
        world.collaborator,
        world.unassigned_therapist,
        world.foreign_therapist,
    ):
        response = sign(client_as(member), copied, copied_text_reviewed=True)
        assert response.status_code == 404
    assert SessionNote.objects.get(pk=copied.pk).status == NoteStatus.DRAFT


def test_signing_costs_a_bounded_number_of_queries(
    world, client_as, copied, django_assert_max_num_queries
):
    client = client_as(world.therapist)
    with django_assert_max_num_queries(28):
        assert sign(client, copied, copied_text_reviewed=True).status_code == 200
