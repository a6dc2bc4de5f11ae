"""The notes API: reading, drafts with versions, goal data, signing, co-signing, addenda."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.audit.models import AccessLog
from tandem.notes.models import Addendum, GoalData, NoteStatus, SessionNote
from tandem.notes.tests.helpers import TODAY, active_goals, make_note
from tandem.plans import actions as plan_actions
from tandem.plans.tests.helpers import goal_fields, make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def api(path):
    return "/api/v1" + path


def notes_path(child):
    return api(f"/children/{child.id}/notes")


def note_path(note, rest=""):
    return api(f"/children/{note.child_id}/notes/{note.id}{rest}")


def send(client, method, path, data):
    return client.generic(method, path, json.dumps(data, default=str), "application/json")


def new_note(**changes):
    data = {
        "date": TODAY.isoformat(),
        "start_time": "10:00",
        "end_time": "10:30",
        "location": "school",
        "objective": "Cutting along a line.",
        "regulation": "calm",
    }
    data.update(changes)
    return data


def test_team_reads_notes_and_families_read_signed_ones(world, client_as):
    signed = make_note(world.child, world.therapist, sign=True)
    draft = make_note(world.child, world.therapist, date=TODAY - datetime.timedelta(days=1))
    for member in (world.therapist, world.consulting_therapist, world.assistant, world.admin):
        body = client_as(member).get(notes_path(world.child)).json()
        assert body["count"] == 2
        assert [n["id"] for n in body["items"]] == [str(signed.id), str(draft.id)]
    body = client_as(world.guardian).get(notes_path(world.child)).json()
    assert [n["id"] for n in body["items"]] == [str(signed.id)]
    assert client_as(world.guardian).get(note_path(draft)).status_code == 404
    one = client_as(world.guardian).get(note_path(signed)).json()
    assert one["goal_data"][0]["trials"][0] == {"correct": True, "prompt": "independent"}
    assert one["goal_data"][0]["value"] == 75.0
    assert one["content_intact"] is True
    assert one["billable_units"] == 3
    # Four team lists, the family list and the signed note; the refused read writes nothing.
    assert AccessLog.objects.filter(child=world.child, action=AccessLog.Action.VIEW).count() == 6


def test_outsiders_get_404(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    for member in (world.other_guardian, world.unassigned_therapist, world.foreign_admin):
        client = client_as(member)
        assert client.get(notes_path(world.child)).status_code == 404
        assert client.get(note_path(note)).status_code == 404
        assert send(client, "POST", notes_path(world.child), new_note()).status_code == 404


def test_a_therapist_starts_a_draft_with_goals(world, client_as):
    make_plan(world.child, world.therapist, goals=2)
    goals = active_goals(world.child)
    response = send(
        client_as(world.therapist),
        "POST",
        notes_path(world.child),
        new_note(goal_ids=[str(g.id) for g in goals]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["location"] == "school"
    assert body["regulation"] == "calm"
    assert [d["goal_id"] for d in body["goal_data"]] == [str(g.id) for g in goals]
    assert body["version"] == 1


def test_a_retried_new_note_starts_one_draft(world, client_as):
    make_plan(world.child, world.therapist, goals=1)
    client = client_as(world.therapist)
    data = json.dumps(new_note(goal_ids=[str(active_goals(world.child)[0].id)]))

    def start():
        return client.post(
            notes_path(world.child),
            data,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="new-note-0001",
        )

    first, again = start(), start()
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert SessionNote.objects.filter(child=world.child).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"location": "moon"}, "location"),
        ({"engagement": 7}, "engagement"),
        ({"surprise": 1}, "surprise"),
        ({"goal_ids": ["00000000-0000-0000-0000-000000000001"]}, "goal_ids"),
        # A session's times are the clinic's clock: a time zone was a 500 (found by fuzzing).
        ({"start_time": "10:00:00Z"}, "start_time"),
        ({"end_time": "10:30+18:46"}, "end_time"),
    ],
)
def test_bad_input_is_refused_with_a_json_422(world, client_as, changes, field):
    response = send(
        client_as(world.therapist), "POST", notes_path(world.child), new_note(**changes)
    )
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not SessionNote.objects.exists()


def test_readers_get_403_on_writes(world, client_as):
    note = make_note(world.child, world.therapist)
    for member in (world.consulting_therapist, world.guardian):
        client = client_as(member)
        assert send(client, "POST", notes_path(world.child), new_note()).status_code == 403
        assert send(client, "PATCH", note_path(note), {"version": 1}).status_code in (403, 404)
    assert SessionNote.objects.count() == 1


def test_a_draft_is_changed_on_its_version_and_a_stale_one_is_409(world, client_as):
    note = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    response = send(
        client, "PATCH", note_path(note), {"version": note.version, "subjective": "Tired today."}
    )
    assert response.status_code == 200
    assert response.json()["version"] == note.version + 1
    response = send(client, "PATCH", note_path(note), {"version": note.version, "mood": "happy"})
    assert response.status_code == 409
    assert response.json()["current_version"] == note.version + 1
    note.refresh_from_db()
    assert (note.subjective, note.mood) == ("Tired today.", "")


def test_only_the_author_changes_a_draft(world, client_as):
    note = make_note(world.child, world.therapist)
    response = send(client_as(world.admin), "PATCH", note_path(note), {"version": note.version})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_goal_data_is_recorded_on_the_goals_own_scale(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=1)
    rating = plan_actions.add_goal(
        plan, **goal_fields(measurement_type="rating", mastery_value=4, statement="Rates calm.")
    )
    trials_goal = active_goals(world.child)[0]
    note = make_note(world.child, world.therapist, goals=[trials_goal], data={})
    client = client_as(world.therapist)
    payload = {
        "version": note.version,
        "trials": [{"correct": True, "prompt": "verbal"}, {"correct": False}],
        "gas_level": -1,
    }
    response = send(client, "PUT", note_path(note, f"/goal-data/{trials_goal.id}"), payload)
    assert response.status_code == 200, response.content
    entry = response.json()["goal_data"][0]
    assert entry["value"] == 50.0
    assert entry["trials"][1] == {"correct": False, "prompt": "independent"}
    # A goal not yet on the draft is added when its data comes in.
    version = response.json()["version"]
    response = send(
        client, "PUT", note_path(note, f"/goal-data/{rating.id}"), {"version": version, "rating": 4}
    )
    assert response.status_code == 200
    assert GoalData.objects.get(note=note, goal=rating).value == 4.0


def test_bad_goal_data_is_refused(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    steps = plan_actions.add_goal(
        plan, **goal_fields(measurement_type="task_analysis", mastery_value=80)
    )
    note = make_note(world.child, world.therapist, goals=[steps], data={})
    client = client_as(world.therapist)
    path = note_path(note, f"/goal-data/{steps.id}")
    for payload in (
        {"version": note.version, "steps_done": 5, "steps_total": 4},
        {"version": note.version, "rating": 9},
        {"version": note.version, "count": 3},  # a count does not apply to task steps
        {"version": note.version, "trials": [{"correct": True, "prompt": "shouted"}]},
    ):
        assert send(client, "PUT", path, payload).status_code == 422, payload
    other = make_plan(world.sibling, world.therapist)
    foreign_goal = active_goals(other.child)[0]
    path = note_path(note, f"/goal-data/{foreign_goal.id}")
    assert send(client, "PUT", path, {"version": note.version}).status_code == 422
    assert SessionNote.objects.get(pk=note.pk).version == note.version


def test_signing_locks_the_note_against_every_change(world, client_as):
    note = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    response = send(client, "POST", note_path(note, "/sign"), {"version": note.version})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "signed"
    assert len(body["content_hash"]) == 64
    version = body["version"]
    goal_id = body["goal_data"][0]["goal_id"]
    for method, path, payload in (
        ("PATCH", note_path(note), {"version": version, "objective": "Changed"}),
        ("PUT", note_path(note, f"/goal-data/{goal_id}"), {"version": version, "gas_level": 2}),
        ("POST", note_path(note, "/sign"), {"version": version}),
    ):
        response = send(client, method, path, payload)
        assert response.status_code == 409, (method, path)
        assert "Add an addendum" in response.json()["detail"]
    assert SessionNote.objects.get(pk=note.pk).objective != "Changed"


def test_signing_needs_a_complete_note(world, client_as):
    note = make_note(world.child, world.therapist, assessment="")
    response = send(
        client_as(world.therapist), "POST", note_path(note, "/sign"), {"version": note.version}
    )
    assert response.status_code == 422
    assert "assessment" in response.content.decode()


def test_the_supervisor_co_signs_an_assistants_note(world, client_as):
    note = make_note(world.child, world.assistant)
    response = send(
        client_as(world.assistant), "POST", note_path(note, "/sign"), {"version": note.version}
    )
    assert response.json()["status"] == NoteStatus.AWAITING_COSIGN
    version = response.json()["version"]
    refused = send(client_as(world.admin), "POST", note_path(note, "/cosign"), {"version": version})
    assert refused.status_code == 403
    response = send(
        client_as(world.therapist), "POST", note_path(note, "/cosign"), {"version": version}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "signed"
    assert response.json()["cosigned_by"]["id"] == str(world.therapist.id)


def test_addenda_go_on_signed_notes(world, client_as):
    signed = make_note(world.child, world.therapist, sign=True)
    draft = make_note(world.child, world.therapist)
    client = client_as(world.assistant)
    response = send(client, "POST", note_path(signed, "/addenda"), {"text": "Seen at school too."})
    assert response.status_code == 201
    assert response.json()["author"]["id"] == str(world.assistant.id)
    assert send(client, "POST", note_path(draft, "/addenda"), {"text": "x"}).status_code == 422
    assert send(client, "POST", note_path(signed, "/addenda"), {"text": ""}).status_code == 422
    guardian = client_as(world.guardian)
    assert send(guardian, "POST", note_path(signed, "/addenda"), {"text": "x"}).status_code == 403
    assert Addendum.objects.count() == 1
    body = client_as(world.guardian).get(note_path(signed)).json()
    assert [a["text"] for a in body["addenda"]] == ["Seen at school too."]


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_notes_or_goals(world, client_as):
    client = client_as(world.therapist)
    first = make_note(world.child, world.therapist, sign=True)
    few_list, few_one = _count(client, notes_path(world.child)), _count(client, note_path(first))
    plan = make_plan(world.child, world.therapist, discipline="slp", goals=4)
    for day in range(1, 8):
        make_note(world.child, world.therapist, date=TODAY - datetime.timedelta(days=day))
    many = make_note(world.child, world.therapist, goals=active_goals(plan.child), sign=True)
    actions_added = [
        send(client, "POST", note_path(many, "/addenda"), {"text": f"Note {n}"}) for n in range(3)
    ]
    assert all(r.status_code == 201 for r in actions_added)
    assert _count(client, notes_path(world.child)) <= few_list
    assert _count(client, note_path(many)) <= few_one


def test_the_schemas_choices_are_the_models_choices():
    """The API spells the models' choices out as literals; they must not drift apart."""
    from typing import get_args

    from tandem.notes import api as notes_api
    from tandem.notes.models import Location, PromptLevel, Regulation, ServiceType

    pairs = [
        (notes_api.ServiceTypeValue, ServiceType),
        (notes_api.LocationValue, Location),
        (notes_api.RegulationValue, Regulation),
        (notes_api.PromptValue, PromptLevel),
        (notes_api.StatusValue, NoteStatus),
    ]
    for literal, choices in pairs:
        assert list(get_args(literal)) == list(choices.values), choices.__name__
