"""The one-screen editor: per-goal data entry, htmx autosave, versions and conflicts."""

import json

import pytest
from django.urls import reverse

from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import active_goals, editor_data, make_note
from tandem.plans import actions as plan_actions
from tandem.plans.tests.helpers import goal_fields, make_plan

HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(note):
    return reverse("notes:edit", args=[note.child_id, note.id])


@pytest.fixture
def goals(world):
    """One active goal of each measurement type."""
    plan = make_plan(world.child, world.therapist, goals=1)  # percent of trials
    for kind, mastery in (
        ("frequency", 5),
        ("duration", 60),
        ("rating", 4),
        ("task_analysis", 80),
        ("gas_only", None),
    ):
        plan_actions.add_goal(
            plan,
            **goal_fields(
                measurement_type=kind, mastery_value=mastery, statement=f"A {kind} goal."
            ),
        )
    return {g.measurement_type: g for g in active_goals(world.child)}


@pytest.fixture
def draft(world, goals):
    return make_note(world.child, world.therapist, goals=list(goals.values()), data={})


def test_each_goal_gets_the_fields_of_its_measurement(world, client_as, goals, draft):
    body = client_as(world.therapist).get(edit_url(draft)).content.decode()
    expected = {
        "percent_trials": ["trials", "prompt"],
        "frequency": ["count"],
        "duration": ["duration"],
        "rating": ["rating"],
        "task_analysis": ["steps_done", "steps_total"],
        "gas_only": [],
    }
    every = {"trials", "prompt", "count", "duration", "rating", "steps_done", "steps_total"}
    for kind, names in expected.items():
        prefix = f"goal-{goals[kind].id}-"
        for name in every:
            assert (f'name="{prefix}{name}"' in body) == (name in names), (kind, name)
        assert f'name="{prefix}gas_level"' in body
    assert body.count('data-trial="correct"') == 1
    assert "Partial physical" in body and "Full physical" in body
    assert "+2 — Buttons a coat and a shirt independently" in body  # the goal's own GAS words


def test_autosave_saves_the_draft_and_bumps_the_version(world, client_as, goals, draft):
    data = editor_data(
        draft,
        objective="Worked on buttons.",
        engagement="4",
        **{
            f"goal-{goals['frequency'].id}-count": "7",
            f"goal-{goals['duration'].id}-duration": "2:30",
            f"goal-{goals['rating'].id}-rating": "3",
            f"goal-{goals['task_analysis'].id}-steps_done": "3",
            f"goal-{goals['task_analysis'].id}-steps_total": "4",
            f"goal-{goals['gas_only'].id}-gas_level": "1",
        },
    )
    response = client_as(world.therapist).post(edit_url(draft), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft saved at" in body
    assert f'id="note-version" value="{draft.version + 1}" hx-swap-oob="true"' in body
    draft.refresh_from_db()
    assert draft.objective == "Worked on buttons."
    assert draft.engagement == 4
    values = {e.goal.measurement_type: e.value for e in GoalData.objects.filter(note=draft)}
    assert values == {
        "percent_trials": None,
        "frequency": 7.0,
        "duration": 150.0,
        "rating": 3.0,
        "task_analysis": 75.0,
        "gas_only": None,
    }
    assert GoalData.objects.get(note=draft, goal=goals["gas_only"]).gas_level == 1


def test_an_unchanged_autosave_keeps_the_version(world, client_as, draft):
    client = client_as(world.therapist)
    assert client.post(edit_url(draft), editor_data(draft), **HTMX).status_code == 200
    assert SessionNote.objects.get(pk=draft.pk).version == draft.version


def test_trial_counter_adds_and_undoes_trials_with_the_prompt_level(world, client_as, goals, draft):
    goal = goals["percent_trials"]
    client = client_as(world.therapist)
    prefix = f"goal-{goal.id}-"
    version = draft.version
    for what, prompt in (("correct", "verbal"), ("incorrect", "model"), ("correct", "gestural")):
        note = SessionNote.objects.get(pk=draft.pk)
        data = editor_data(note, trial=f"{goal.id}:{what}", **{prefix + "prompt": prompt})
        response = client.post(edit_url(draft), data, **HTMX)
        assert response.status_code == 200
        assert f'id="tally-{goal.id}"' in response.content.decode()
    entry = GoalData.objects.get(note=draft, goal=goal)
    assert entry.trials == [
        {"correct": True, "prompt": "verbal"},
        {"correct": False, "prompt": "model"},
        {"correct": True, "prompt": "gestural"},
    ]
    assert entry.value == pytest.approx(66.7)
    note = SessionNote.objects.get(pk=draft.pk)
    assert note.version == version + 3
    response = client.post(edit_url(draft), editor_data(note, trial=f"{goal.id}:undo"), **HTMX)
    assert "1 of 2 correct (50.0 %)" in response.content.decode()
    assert len(GoalData.objects.get(note=draft, goal=goal).trials) == 2


def test_trial_counter_works_without_javascript(world, client_as, goals, draft):
    goal = goals["percent_trials"]
    data = editor_data(draft, trial=f"{goal.id}:correct")
    response = client_as(world.therapist).post(edit_url(draft), data)
    assert response.status_code == 302
    assert response["Location"] == edit_url(draft) + f"#goal-{goal.id}"
    assert GoalData.objects.get(note=draft, goal=goal).trials == [
        {"correct": True, "prompt": "independent"}
    ]


def test_a_stale_version_is_refused_with_409_and_nothing_is_overwritten(world, client_as, draft):
    client = client_as(world.therapist)
    opened = editor_data(draft)
    assert client.post(edit_url(draft), {**opened, "objective": "First tab."}).status_code == 302
    response = client.post(edit_url(draft), {**opened, "objective": "Second tab."}, **HTMX)
    assert response.status_code == 409
    assert "Someone else saved this note while you were editing it." in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()  # the stale version stays stale
    response = client.post(edit_url(draft), {**opened, "objective": "Second tab."})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Nothing you typed was saved" in body
    assert "Second tab." in body  # what they typed is still in the form
    assert SessionNote.objects.get(pk=draft.pk).objective == "First tab."


def test_invalid_input_changes_nothing_and_says_why(world, client_as, goals, draft):
    data = editor_data(
        draft,
        objective="Changed",
        end_time="08:00",
        **{
            f"goal-{goals['task_analysis'].id}-steps_done": "5",
            f"goal-{goals['task_analysis'].id}-steps_total": "4",
            f"goal-{goals['duration'].id}-duration": "two minutes",
        },
    )
    response = client_as(world.therapist).post(edit_url(draft), data, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "The session must end after it starts." in body
    assert "Steps done cannot be more than the steps in the task." in body
    assert "Write the duration as minutes:seconds" in body
    note = SessionNote.objects.get(pk=draft.pk)
    assert (note.objective, note.version) == (draft.objective, draft.version)
    response = client_as(world.therapist).post(edit_url(draft), data)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_tampered_trials_are_refused(world, client_as, goals, draft):
    key = f"goal-{goals['percent_trials'].id}-trials"
    for bad in ("not json", json.dumps([{"correct": "yes", "prompt": "verbal"}])):
        data = editor_data(draft, **{key: bad})
        assert client_as(world.therapist).post(edit_url(draft), data, **HTMX).status_code == 422
    assert GoalData.objects.get(note=draft, goal=goals["percent_trials"]).trials == []


def test_goals_are_added_to_and_taken_off_a_draft(world, client_as, goals):
    note = make_note(world.child, world.therapist, goals=[goals["rating"]], data={})
    client = client_as(world.therapist)
    data = editor_data(note, goal_action="add", add_goal=str(goals["frequency"].id))
    response = client.post(edit_url(note), data, **HTMX)
    assert response["HX-Redirect"] == edit_url(note)
    on_note = set(GoalData.objects.filter(note=note).values_list("goal_id", flat=True))
    assert on_note == {goals["rating"].id, goals["frequency"].id}
    note.refresh_from_db()
    data = editor_data(note, goal_action=f"remove:{goals['rating'].id}")
    assert client.post(edit_url(note), data).status_code == 302
    on_note = set(GoalData.objects.filter(note=note).values_list("goal_id", flat=True))
    assert on_note == {goals["frequency"].id}


def test_only_the_author_edits_a_draft(world, client_as, draft):
    client = client_as(world.admin)
    response = client.get(edit_url(draft))
    assert response.status_code == 200
    assert "Only its author can change it." in response.content.decode()
    assert client.post(edit_url(draft), editor_data(draft, objective="Admin")).status_code == 403
    assert SessionNote.objects.get(pk=draft.pk).objective != "Admin"


def test_readers_and_outsiders_cannot_edit(world, client_as, draft):
    for member, status in (
        (world.consulting_therapist, 403),
        (world.guardian, 404),  # families never see drafts
        (world.unassigned_therapist, 404),
        (world.foreign_admin, 404),
    ):
        client = client_as(member)
        assert client.get(edit_url(draft)).status_code == 404
        response = client.post(edit_url(draft), editor_data(draft, objective="X"))
        assert response.status_code == status, member
    assert SessionNote.objects.get(pk=draft.pk).objective != "X"


def test_editor_query_count_is_bounded(
    world, client_as, goals, draft, django_assert_max_num_queries
):
    client = client_as(world.therapist)
    few_goals = make_note(world.child, world.therapist, goals=[goals["rating"]], data={})
    with django_assert_max_num_queries(22) as few:
        assert client.get(edit_url(few_goals)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(edit_url(draft)).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.post(edit_url(draft), editor_data(draft, objective="Q"), **HTMX)


def test_a_retried_tap_is_counted_once(world, client_as, goals, draft):
    goal = goals["percent_trials"]
    client = client_as(world.therapist)
    tap = editor_data(
        draft,
        trial=f"{goal.id}:correct",
        idempotency_key="tap-0001-verbal",
        **{f"goal-{goal.id}-prompt": "verbal"},
    )
    first = client.post(edit_url(draft), tap, **HTMX)
    again = client.post(edit_url(draft), tap, **HTMX)  # the phone resends: same key
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    version = f'id="note-version" value="{draft.version + 1}" hx-swap-oob="true"'
    assert version in first.content.decode() and version in again.content.decode()
    assert "1 of 1 correct" in again.content.decode()
    assert GoalData.objects.get(note=draft, goal=goal).trials == [
        {"correct": True, "prompt": "verbal"}
    ]
    assert SessionNote.objects.get(pk=draft.pk).version == draft.version + 1
    # A new tap has a new key and counts.
    note = SessionNote.objects.get(pk=draft.pk)
    tap2 = editor_data(note, trial=f"{goal.id}:incorrect", idempotency_key="tap-0002-model")
    tap2[f"goal-{goal.id}-prompt"] = "model"
    assert client.post(edit_url(draft), tap2, **HTMX).status_code == 200
    assert len(GoalData.objects.get(note=draft, goal=goal).trials) == 2


def test_a_late_retried_tap_answers_with_the_current_version_and_tally(
    world, client_as, goals, draft
):
    """A retry arriving after later taps saved must not put its old version back."""
    goal = goals["percent_trials"]
    client = client_as(world.therapist)
    tap_a = editor_data(draft, trial=f"{goal.id}:correct", idempotency_key="tap-000A-late")
    first = client.post(edit_url(draft), tap_a, **HTMX)
    assert f'id="note-version" value="{draft.version + 1}"' in first.content.decode()
    note = SessionNote.objects.get(pk=draft.pk)
    tap_b = editor_data(note, trial=f"{goal.id}:incorrect", idempotency_key="tap-000B-next")
    assert client.post(edit_url(draft), tap_b, **HTMX).status_code == 200
    late = client.post(edit_url(draft), tap_a, **HTMX)  # tap A's retry, after tap B
    body = late.content.decode()
    assert late.status_code == 200 and late["Idempotent-Replayed"] == "true"
    assert f'id="note-version" value="{draft.version + 2}" hx-swap-oob="true"' in body
    assert f'value="{draft.version + 1}"' not in body
    assert f'id="tally-{goal.id}"' in body and "1 of 2 correct" in body
    assert len(GoalData.objects.get(note=draft, goal=goal).trials) == 2
    # The editor goes on from the version the retry gave it: no conflict.
    after = editor_data(note, objective="Next.", idempotency_key="save-000C-after")
    after["version"] = str(draft.version + 2)
    assert client.post(edit_url(draft), after, **HTMX).status_code == 200
    assert SessionNote.objects.get(pk=draft.pk).version == draft.version + 3


def test_a_refused_save_gives_its_key_back(world, client_as, draft):
    client = client_as(world.therapist)
    stale = editor_data(draft, objective="Late.", idempotency_key="save-0001-stale")
    client.post(edit_url(draft), editor_data(draft, objective="First."), **HTMX)
    assert client.post(edit_url(draft), stale, **HTMX).status_code == 409
    fresh = {**stale, "version": str(SessionNote.objects.get(pk=draft.pk).version)}
    assert client.post(edit_url(draft), fresh, **HTMX).status_code == 200
    assert SessionNote.objects.get(pk=draft.pk).objective == "Late."


def test_a_malformed_key_is_refused(world, client_as, draft):
    data = editor_data(draft, objective="Hello.", idempotency_key="x" * 101)
    assert client_as(world.therapist).post(edit_url(draft), data, **HTMX).status_code == 400
    assert SessionNote.objects.get(pk=draft.pk).objective != "Hello."


def test_an_unreadable_second_observer_duration_is_refused(world, client_as, goals, draft):
    goal = goals["duration"]
    prefix = f"goal-{goal.id}-"
    client = client_as(world.therapist)
    for typed in ("abc", "1:75"):
        data = editor_data(
            draft,
            objective="Changed",
            **{
                prefix + "duration": "2:00",
                prefix + "ioa_observer": "Sam",
                prefix + "ioa_record": typed,
            },
        )
        response = client.post(edit_url(draft), data, **HTMX)
        assert response.status_code == 422, typed
        assert "Write the duration as minutes:seconds" in response.content.decode()
        note = SessionNote.objects.get(pk=draft.pk)
        assert (note.objective, note.version) == (draft.objective, draft.version)
        assert GoalData.objects.get(note=draft, goal=goal).second_observer in ({}, None)
    # A readable one is saved: 2:30 is 150 seconds.
    data = editor_data(draft, **{prefix + "ioa_observer": "Sam", prefix + "ioa_record": "2:30"})
    assert client.post(edit_url(draft), data, **HTMX).status_code == 200
    saved = GoalData.objects.get(note=draft, goal=goal).second_observer
    assert saved == {"observer": "Sam", "duration_seconds": 150}
