"""The behavior-analytic data types: their checks, values, API, seal and narrative.

Values are worked by hand in each test's comment.
"""

import json

import pytest

from tandem.notes import datatypes, narrative
from tandem.notes.goal_data import value_of
from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import make_note
from tandem.plans import actions as plan_actions
from tandem.plans.tests.helpers import goal_fields, make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

STEPS = "Take the toothbrush\nPut paste on\nBrush top teeth\nBrush bottom teeth\nRinse"


def send(client, method, path, data):
    return client.generic(method, path, json.dumps(data, default=str), "application/json")


def goal_path(note, goal):
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/goal-data/{goal.id}"


def add_goal(world, kind, **fields):
    plan = make_plan(world.child, world.therapist, goals=0)
    return plan_actions.add_goal(
        plan,
        **goal_fields(measurement_type=kind, mastery_value=80, statement=f"A {kind}.", **fields),
    )


# --- Pure rules -------------------------------------------------------------------------


def test_step_percent_counts_independent_steps_of_the_scored_ones():
    # 2 independent of 4 scored (one step not scored) = 50 %.
    prompts = ["independent", "verbal", "", "independent", "model"]
    assert datatypes.step_counts(prompts) == (2, 4)
    assert datatypes.step_percent(prompts) == 50.0
    assert datatypes.step_percent(["", ""]) is None


def test_rate_is_count_per_minute():
    assert datatypes.rate(12, 8.0) == 1.5  # 12 / 8
    assert datatypes.rate(10, 3.0) == 3.33  # 3.333… to two decimals
    assert datatypes.rate(5, None) is None
    assert datatypes.rate(None, 4.0) is None


def test_interval_percent_is_scored_intervals_over_all():
    assert datatypes.interval_percent([True, False, True, True]) == 75.0  # 3 / 4
    assert datatypes.interval_percent([True, False, False]) == 33.3  # 1 / 3
    assert datatypes.interval_percent([]) is None


def test_intervals_are_typed_as_digits():
    assert datatypes.parse_intervals("1101") == [True, True, False, True]
    assert datatypes.parse_intervals("+ − 1, 0") == [True, False, True, False]
    assert datatypes.format_intervals([True, False]) == "10"
    with pytest.raises(ValueError):
        datatypes.parse_intervals("12")


@pytest.mark.parametrize(
    ("intervals", "seconds", "bad"),
    [
        ([True], None, True),  # no interval length
        ([True], 0, True),
        ("1", 10, True),
        ([1, 0], 10, True),  # not booleans
        ([True] * 721, 10, True),
        ([True, False], 10, False),
        ([], None, False),
    ],
)
def test_interval_records_are_checked(intervals, seconds, bad):
    assert (datatypes.intervals_problem(intervals, seconds) is not None) is bad


# --- Through the note API ---------------------------------------------------------------


def test_a_task_analysis_records_each_steps_prompt_level(world, client_as):
    goal = add_goal(world, "task_analysis", task_steps=STEPS, chaining="backward")
    assert goal.step_list[0] == "Take the toothbrush" and len(goal.step_list) == 5
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    prompts = ["independent", "independent", "verbal", "", "full_physical"]
    response = send(
        client_as(world.therapist),
        "PUT",
        goal_path(note, goal),
        {"version": note.version, "step_prompts": prompts},
    )
    assert response.status_code == 200, response.content
    entry = response.json()["goal_data"][0]
    # 2 independent of 4 scored = 50 %.
    assert entry["step_prompts"] == prompts
    assert (entry["steps_done"], entry["steps_total"], entry["value"]) == (2, 4, 50.0)


def test_a_step_list_of_the_wrong_length_is_refused(world, client_as):
    goal = add_goal(world, "task_analysis", task_steps=STEPS)
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    client = client_as(world.therapist)
    for prompts in (["independent"], ["shouted"] * 5):
        payload = {"version": note.version, "step_prompts": prompts}
        response = send(client, "PUT", goal_path(note, goal), payload)
        assert response.status_code == 422, prompts
    assert SessionNote.objects.get(pk=note.pk).version == note.version


def test_a_task_without_listed_steps_keeps_steps_done_and_total(world, client_as):
    goal = add_goal(world, "task_analysis")
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    client = client_as(world.therapist)
    ok = {"version": note.version, "steps_done": 3, "steps_total": 6}
    response = send(client, "PUT", goal_path(note, goal), ok)
    assert response.json()["goal_data"][0]["value"] == 50.0
    refused = {"version": response.json()["version"], "step_prompts": ["independent"]}
    assert send(client, "PUT", goal_path(note, goal), refused).status_code == 422


def test_rate_needs_the_minutes_and_frequency_stays_a_count(world, client_as):
    rate_goal = add_goal(world, "rate")
    count_goal = add_goal(world, "frequency")
    note = make_note(world.child, world.therapist, goals=[rate_goal, count_goal], data={})
    client = client_as(world.therapist)
    no_minutes = {"version": note.version, "count": 12}
    assert send(client, "PUT", goal_path(note, rate_goal), no_minutes).status_code == 422
    payload = {"version": note.version, "count": 12, "observation_minutes": 8}
    response = send(client, "PUT", goal_path(note, rate_goal), payload)
    assert response.status_code == 200, response.content
    payload = {"version": response.json()["version"], "count": 4}
    response = send(client, "PUT", goal_path(note, count_goal), payload)
    values = {e["goal_id"]: e["value"] for e in response.json()["goal_data"]}
    assert values == {str(rate_goal.id): 1.5, str(count_goal.id): 4.0}  # 12 / 8; a count
    minutes_on_count = {"version": response.json()["version"], "observation_minutes": 3}
    assert send(client, "PUT", goal_path(note, count_goal), minutes_on_count).status_code == 422


def test_latency_is_seconds(world, client_as):
    goal = add_goal(world, "latency", lower_is_better=True)
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    payload = {"version": note.version, "duration_seconds": 7}
    response = send(client_as(world.therapist), "PUT", goal_path(note, goal), payload)
    assert response.json()["goal_data"][0]["value"] == 7.0


@pytest.mark.parametrize("kind", ["partial_interval", "whole_interval", "momentary_sampling"])
def test_interval_recording_is_the_percent_of_intervals(world, client_as, kind):
    goal = add_goal(world, kind)
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    client = client_as(world.therapist)
    intervals = [True, False, True, True, False, False, True, False]  # 4 of 8
    payload = {"version": note.version, "interval_seconds": 10, "intervals": intervals}
    response = send(client, "PUT", goal_path(note, goal), payload)
    assert response.status_code == 200, response.content
    entry = response.json()["goal_data"][0]
    assert (entry["value"], entry["interval_seconds"], entry["intervals"]) == (50.0, 10, intervals)
    no_length = {"version": response.json()["version"], "intervals": [True]}
    assert send(client, "PUT", goal_path(note, goal), no_length).status_code == 422


def test_the_seal_covers_the_new_fields(world):
    goal = add_goal(world, "partial_interval")
    data = {"interval_seconds": 10, "intervals": [True, False]}
    note = make_note(world.child, world.therapist, goals=[goal], data=data, sign=True)
    entries = list(GoalData.objects.filter(note=note))
    assert note.hash_version == 5 and note.compute_hash(entries) == note.content_hash
    entries[0].intervals = [True, True]  # changed around the app: no longer matches
    assert note.compute_hash(entries) != note.content_hash


def test_value_of_ignores_the_new_fields_for_the_old_types():
    entry = GoalData(count=4, observation_minutes=2.0, intervals=[True])
    assert value_of(entry, "frequency") == 4.0


# --- The drafted narrative --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data", "en", "es"),
    [
        (
            "task_analysis",
            {"step_prompts": ["independent", "verbal", "", "independent", "model"]},
            "2 of 4 scored task steps done independently (50 %), backward chaining",
            "2 de 4 pasos puntuados de la tarea hechos de forma independiente (50 %), "
            "encadenamiento hacia atrás",
        ),
        (
            "rate",
            {"count": 12, "observation_minutes": 8},
            "12 occurrences in 8 minutes observed (1.5 a minute)",
            "12 ocurrencias en 8 minutos de observación (1,5 por minuto)",
        ),
        ("latency", {"duration_seconds": 75}, "latency 1 min 15 s", "latencia de 1 min 15 s"),
        (
            "partial_interval",
            {"interval_seconds": 10, "intervals": [True, False, True, True]},
            "scored in 3 of 4 10-second intervals (75 %, partial interval)",
            "registrada en 3 de 4 intervalos de 10 segundos (75 %, intervalo parcial)",
        ),
    ],
)
def test_the_draft_says_what_each_type_recorded(world, kind, data, en, es):
    goal = add_goal(world, kind, task_steps=STEPS, chaining="backward")
    note = make_note(world.child, world.therapist, goals=[goal], data=data)
    entry = GoalData.objects.select_related("goal").get(note=note)
    # The sentence starts with a capital letter.
    assert en.casefold() in narrative.data_sentence(entry, "en").casefold()
    assert es.casefold() in narrative.data_sentence(entry, "es").casefold()
    assert narrative.family_line(entry, {}, "Emma", "en")
    assert narrative.family_line(entry, {}, "Emma", "es")
