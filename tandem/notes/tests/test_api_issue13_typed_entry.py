"""Typed trials ("8/10 V") through the API: added to a goal's trials of the author's draft,
each entry with its prompt level; unreadable text or a goal measured otherwise is a JSON
422 that changes nothing; a retry with the same key adds nothing twice; only the draft's
author types into it."""

import json

import pytest

from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import TRIALS, goals_for, make_note
from tandem.plans import actions as plan_actions
from tandem.plans.tests.helpers import goal_fields

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def typed_path(note, goal):
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/goal-data/{goal.id}/typed"


def send(client, note, goal, data, **headers):
    return client.post(typed_path(note, goal), json.dumps(data), "application/json", **headers)


@pytest.fixture
def goal(world):
    return goals_for(world.child, world.therapist)[0]  # measured in % of trials


@pytest.fixture
def note(world, goal):
    return make_note(world.child, world.therapist, goals=[goal])  # 4 trials tapped


def trials_of(note, goal):
    return GoalData.objects.get(note=note, goal=goal).trials


def test_typed_trials_are_added_each_with_its_prompt_level(world, client_as, note, goal):
    payload = {"text": "2/3 V, 1/1", "prompt": "model", "version": note.version}
    response = send(client_as(world.therapist), note, goal, payload)
    assert response.status_code == 200, response.content
    added = [
        {"correct": True, "prompt": "verbal"},
        {"correct": True, "prompt": "verbal"},
        {"correct": False, "prompt": "verbal"},
        {"correct": True, "prompt": "model"},  # no level named: the one given
    ]
    assert trials_of(note, goal) == TRIALS + added
    body = response.json()
    assert body["version"] == note.version + 1
    assert body["goal_data"][0]["trials"] == TRIALS + added
    assert body["goal_data"][0]["value"] == 75.0  # 6 of 8


def test_without_a_version_trials_go_onto_the_note_as_it_is(world, client_as, note, goal):
    client = client_as(world.therapist)
    key = {"HTTP_IDEMPOTENCY_KEY": "typed-no-version-1"}
    assert send(client, note, goal, {"text": "1/1 I"}, **key).status_code == 200
    key = {"HTTP_IDEMPOTENCY_KEY": "typed-no-version-2"}
    assert send(client, note, goal, {"text": "0/1 FP"}, **key).status_code == 200
    assert len(trials_of(note, goal)) == len(TRIALS) + 2


def test_neither_a_version_nor_a_key_is_422_and_adds_nothing(world, client_as, note, goal):
    """A plain retry of such a request would add the trials twice."""
    response = send(client_as(world.therapist), note, goal, {"text": "1/1 I"})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.content.decode()
    assert trials_of(note, goal) == TRIALS


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"text": "8/10 X"}, "is not a prompt level"),
        ({"text": "11/10 V"}, "more than the 10 trials"),
        ({"text": "eight/10"}, "is not a number of trials"),
        ({"text": "0/0 V"}, "at least one trial"),
        ({"text": "201/201 V"}, "At most 200 trials"),
        ({"text": " , ;"}, "cannot be read"),
        ({"text": ""}, "text"),
        ({"text": "8/10", "prompt": "shouted"}, "prompt"),
        ({"text": "8/10", "surprise": 1}, "surprise"),
    ],
)
def test_bad_input_is_a_json_422_and_changes_nothing(
    world, client_as, note, goal, payload, message
):
    response = send(client_as(world.therapist), note, goal, payload)
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert message in response.content.decode()
    assert trials_of(note, goal) == TRIALS
    assert SessionNote.objects.get(pk=note.pk).version == note.version


def test_a_goal_not_measured_in_trials_or_not_on_the_note_is_422(world, client_as, goal):
    plan = goal.plan
    count = plan_actions.add_goal(
        plan, **goal_fields(measurement_type="frequency", mastery_value=5, statement="Counts.")
    )
    note = make_note(world.child, world.therapist, goals=[goal, count])
    client = client_as(world.therapist)
    refused = send(client, note, count, {"text": "3/4 V", "version": note.version})
    assert refused.status_code == 422
    assert "does not apply" in refused.content.decode()
    other = make_note(world.child, world.therapist, goals=[count])
    on_other = {"text": "3/4 V", "version": other.version}
    assert send(client, other, goal, on_other).status_code == 422  # not on it
    assert SessionNote.objects.get(pk=note.pk).version == note.version


def test_a_stale_version_is_409(world, client_as, note, goal):
    response = send(client_as(world.therapist), note, goal, {"text": "1/1", "version": 1})
    assert response.status_code == 409
    assert trials_of(note, goal) == TRIALS


def test_a_retried_entry_is_counted_once(world, client_as, note, goal):
    client = client_as(world.therapist)
    first = send(client, note, goal, {"text": "8/10 V"}, HTTP_IDEMPOTENCY_KEY="typed-0001")
    again = send(client, note, goal, {"text": "8/10 V"}, HTTP_IDEMPOTENCY_KEY="typed-0001")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert len(trials_of(note, goal)) == len(TRIALS) + 10
    other = send(client, note, goal, {"text": "8/10 V"}, HTTP_IDEMPOTENCY_KEY="typed-0002")
    assert other.status_code == 200  # another key is another entry
    assert len(trials_of(note, goal)) == len(TRIALS) + 20


def test_a_signed_note_is_409(world, client_as, goal):
    signed = make_note(world.child, world.therapist, goals=[goal], sign=True)
    response = send(client_as(world.therapist), signed, goal, {"text": "1/1"})
    assert response.status_code == 409
    assert trials_of(signed, goal) == TRIALS


def test_only_the_author_types_and_outsiders_learn_nothing(world, client_as, note, goal):
    for member in (world.admin, world.assistant):  # may write notes, not this draft
        assert send(client_as(member), note, goal, {"text": "1/1"}).status_code == 403
    # Readers of the child's notes may not write them: 403 before the note is looked up.
    assert (
        send(client_as(world.consulting_therapist), note, goal, {"text": "1/1"}).status_code == 403
    )
    assert send(client_as(world.guardian), note, goal, {"text": "1/1"}).status_code == 403
    for member in (
        world.other_guardian,
        world.collaborator,
        world.unassigned_therapist,
        world.foreign_therapist,
    ):
        assert send(client_as(member), note, goal, {"text": "1/1"}).status_code == 404
    assert trials_of(note, goal) == TRIALS


def test_typing_costs_a_bounded_number_of_queries(
    world, client_as, note, goal, django_assert_max_num_queries
):
    client = client_as(world.therapist)
    with django_assert_max_num_queries(34):
        payload = {"text": "8/10 V", "version": note.version}
        assert send(client, note, goal, payload).status_code == 200
