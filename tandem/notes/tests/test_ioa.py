"""Inter-observer agreement against hand-worked examples.

Formulas: Cooper, J. O., Heron, T. E., & Heward, W. L. (2020). *Applied Behavior
Analysis* (3rd ed.), chapter 5, "Improving and Assessing the Quality of Behavioral
Measurement": total count IOA, mean and exact count-per-interval IOA, trial-by-trial
IOA, interval-by-interval (and scored-/unscored-interval) IOA, total duration IOA.
"""

import json
from types import SimpleNamespace

import pytest

from tandem.notes import ioa, narrative
from tandem.notes.models import GoalData
from tandem.notes.tests.helpers import make_note
from tandem.plans import actions as plan_actions
from tandem.plans.tests.helpers import goal_fields, make_plan
from tandem.progress.services import readings_newest_first

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def test_total_count_ioa_is_smaller_over_larger():
    # Observer 1 counts 9, observer 2 counts 10: 9 / 10 × 100 = 90 %.
    assert ioa.total_count(9, 10) == 90.0
    assert ioa.total_count(10, 9) == 90.0
    # 2 / 3 × 100 = 66.666… → 66.7 %.
    assert ioa.total_count(2, 3) == 66.7
    assert ioa.total_count(0, 0) == 100.0  # both saw nothing: they agree
    assert ioa.total_count(0, 4) == 0.0
    assert ioa.total_count(None, 4) is None


def test_mean_count_per_interval_ioa():
    # Intervals 1–4: (1,1) → 1; (0,2) → 0; (3,2) → 2/3; (2,4) → 2/4.
    # (1 + 0 + 0.6667 + 0.5) / 4 = 0.5417 → 54.2 %.
    assert ioa.mean_count_per_interval([1, 0, 3, 2], [1, 2, 2, 4]) == 54.2
    assert ioa.mean_count_per_interval([0, 0], [0, 0]) == 100.0
    assert ioa.mean_count_per_interval([1], [1, 2]) is None


def test_exact_count_per_interval_ioa():
    # Six intervals, the counts the same in intervals 1, 3, 4 and 6: 4 / 6 = 66.7 %.
    assert ioa.exact_count_per_interval([2, 1, 0, 3, 1, 0], [2, 0, 0, 3, 2, 0]) == 66.7
    assert ioa.exact_count_per_interval([], []) is None


def test_trial_by_trial_ioa():
    # Ten trials, the observers disagree on trials 3 and 8:
    # 8 agreements / (8 + 2) × 100 = 80 %.
    first = [True, True, False, True, True, False, True, True, True, False]
    second = [True, True, True, True, True, False, True, False, True, False]
    assert ioa.item_by_item(first, second) == 80.0


def test_interval_by_interval_scored_and_unscored_ioa():
    # Ten intervals (+ scored, − not): agreements in 7, disagreements in 3 → 70 %.
    first = [True, True, False, False, True, False, True, False, False, True]
    second = [True, False, False, True, True, False, True, False, True, True]
    assert ioa.item_by_item(first, second) == 70.0
    # Scored-interval IOA: intervals either scored are 1, 2, 4, 5, 7, 9, 10 (7); both
    # scored 1, 5, 7, 10 (4 agreements): 4 / 7 = 57.1 %.
    assert ioa.scored_interval(first, second) == 57.1
    # Unscored-interval IOA: intervals either left unscored are 2, 3, 4, 6, 8, 9 (6); both
    # unscored 3, 6, 8 (3 agreements): 3 / 6 = 50 %.
    assert ioa.unscored_interval(first, second) == 50.0


def test_task_step_ioa_leaves_out_steps_neither_observer_scored():
    # Trial-by-trial IOA (Cooper, Heron & Heward, ch. 5) counts only the trials both
    # observers could score: a task step neither observer scored ("" — not taught that
    # session) is not a trial, so it is neither an agreement nor a disagreement.
    # Ten steps; both observers score steps 1 and 2 and disagree on both:
    # 0 agreements / (0 + 2) × 100 = 0 % (not 8 / 10 = 80 %).
    first = ["independent", "verbal"] + [""] * 8
    second = ["gestural", "independent"] + [""] * 8
    entry = SimpleNamespace(step_prompts=first, second_observer={"step_prompts": second})
    assert ioa.for_entry(entry, "task_analysis") == ("trial_by_trial", 0.0)
    # Steps 1–4: agree on 1 and 3, disagree on 2, only one observer scored 4
    # (a disagreement): 2 / 4 = 50 %; steps 5–10 unscored by both, left out.
    first = ["independent", "verbal", "model", "independent"] + [""] * 6
    second = ["independent", "gestural", "model", ""] + [""] * 6
    assert ioa.scored_steps(first, second) == 50.0
    # Nothing scored by either observer: no IOA at all.
    assert ioa.scored_steps([""] * 3, [""] * 3) is None
    entry = SimpleNamespace(step_prompts=[""] * 3, second_observer={"step_prompts": [""] * 3})
    assert ioa.for_entry(entry, "task_analysis") == ("trial_by_trial", None)


def test_total_duration_ioa_is_shorter_over_longer():
    # 90 s and 100 s: 90 / 100 = 90 %; 45 s and 60 s: 75 %.
    assert ioa.total_duration(90, 100) == 90.0
    assert ioa.total_duration(60, 45) == 75.0


# --- A second observer on a note --------------------------------------------------------


def send(client, method, path, data):
    return client.generic(method, path, json.dumps(data, default=str), "application/json")


def goal_path(note, goal):
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/goal-data/{goal.id}"


def add_goal(world, kind, **fields):
    plan = make_plan(world.child, world.therapist, goals=0)
    return plan_actions.add_goal(
        plan, **goal_fields(measurement_type=kind, mastery_value=5, statement=kind, **fields)
    )


@pytest.mark.parametrize(
    ("kind", "mine", "theirs", "method", "percent"),
    [
        ("frequency", {"count": 9}, {"count": 10}, "total_count", 90.0),
        (
            "rate",
            {"count": 12, "observation_minutes": 8},
            {"count": 16},
            "total_count",
            75.0,  # 12 / 16
        ),
        ("duration", {"duration_seconds": 90}, {"duration_seconds": 100}, "total_duration", 90.0),
        (
            "percent_trials",
            {"trials": [{"correct": c, "prompt": "independent"} for c in (1, 1, 0, 1)]},
            {"trials": [{"correct": c} for c in (True, False, False, True)]},
            "trial_by_trial",
            75.0,  # 3 of 4 trials agree
        ),
        (
            "partial_interval",
            {"interval_seconds": 10, "intervals": [True, True, False, False, True]},
            {"intervals": [True, False, False, False, True]},
            "interval_by_interval",
            80.0,  # 4 of 5 intervals agree
        ),
    ],
)
def test_a_second_observers_record_gives_the_ioa(
    world, client_as, kind, mine, theirs, method, percent
):
    goal = add_goal(world, kind)
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    if kind == "percent_trials":
        mine = {"trials": [{**t, "correct": bool(t["correct"])} for t in mine["trials"]]}
    payload = {"version": note.version, **mine, "second_observer": {"observer": "Sam", **theirs}}
    response = send(client_as(world.therapist), "PUT", goal_path(note, goal), payload)
    assert response.status_code == 200, response.content
    entry = response.json()["goal_data"][0]
    assert entry["ioa"] == {"method": method, "percent": percent}
    assert entry["second_observer"]["observer"] == "Sam"
    stored = GoalData.objects.select_related("goal").get(note=note)
    assert f"({method.replace('_', '-').replace('total-', 'total ')} IOA)" in (
        narrative.data_sentence(stored, "en")
    )
    assert "acuerdo entre observadores con Sam" in narrative.data_sentence(stored, "es")


def test_a_second_observers_record_is_checked(world, client_as):
    goal = add_goal(world, "frequency")
    note = make_note(world.child, world.therapist, goals=[goal], data={})
    client = client_as(world.therapist)
    for other in (
        {"observer": "Sam", "intervals": [True]},  # not what a count goal records
        {"observer": "", "count": 3},
        {"count": 3},
    ):
        payload = {"version": note.version, "count": 3, "second_observer": other}
        assert send(client, "PUT", goal_path(note, goal), payload).status_code == 422, other


def test_ioa_data_is_never_a_second_session(world):
    goal = add_goal(world, "frequency")
    data = {"count": 4, "second_observer": {"observer": "Sam", "count": 5}}
    note = make_note(world.child, world.therapist, goals=[goal], data=data, sign=True)
    readings = list(readings_newest_first(world.therapist, world.child, goal))
    assert [(value, note_id) for _date, value, _level, note_id in readings] == [(4.0, note.id)]
    entry = GoalData.objects.get(note=note)
    # The seal covers the second observer's record.
    entry.second_observer = {"observer": "Sam", "count": 4}
    assert note.compute_hash([entry]) != note.content_hash
