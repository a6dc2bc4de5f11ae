"""A task analysis's steps and chaining through the goals API: set and read back, refused
with the goal form's rules (422, nothing changed), a retried creation counted once, and
outsiders and readers kept out."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.plans import actions
from tandem.plans.models import MAX_TASK_STEPS, Goal, Plan
from tandem.plans.tests.helpers import goal_fields, make_plan

pytestmark = pytest.mark.urls("tandem.plans.tests.api_urls")

STEPS = ["Pull up the trousers", "Fasten the button", "Zip up"]


def goals_path(child):
    return f"/api/v1/children/{child.id}/goals"


def goal_path(goal):
    return f"{goals_path(goal.child)}/{goal.id}"


def task_goal(plan, **changes):
    data = goal_fields(**{"measurement_type": "task_analysis", "mastery_value": 80, **changes})
    data["target_date"] = data["target_date"].isoformat()
    data["plan_id"] = str(plan.id)
    return data


def send(client, method, path, data, **headers):
    return client.generic(method, path, json.dumps(data), "application/json", **headers)


def test_a_task_analysis_is_added_with_its_steps_and_chaining(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    client = client_as(world.therapist)
    response = send(
        client,
        "POST",
        goals_path(world.child),
        task_goal(plan, task_steps=STEPS, chaining="backward"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["task_steps"] == STEPS
    assert body["chaining"] == "backward"
    goal = Goal.objects.get(pk=body["id"])
    assert goal.step_list == STEPS  # the form's one-step-a-line text
    assert client.get(goal_path(goal)).json()["task_steps"] == STEPS


def test_steps_and_chaining_are_changed_and_cleared_on_the_goals_version(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    goal = actions.add_goal(
        plan, **goal_fields(measurement_type="task_analysis", mastery_value=80, task_steps="A\nB")
    )
    client = client_as(world.therapist)
    changed = send(
        client,
        "PATCH",
        goal_path(goal),
        {"version": goal.version, "task_steps": STEPS, "chaining": "forward"},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["task_steps"], changed.json()["chaining"]) == (STEPS, "forward")
    cleared = send(
        client,
        "PATCH",
        goal_path(goal),
        {"version": changed.json()["version"], "task_steps": None, "chaining": None},
    )
    assert cleared.status_code == 200, cleared.content
    goal.refresh_from_db()
    assert (goal.task_steps, goal.chaining) == ("", "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"task_steps": ["Pull up", "  "]}, "task_steps"),  # an empty step name
        ({"task_steps": ["Pull up\nand zip"]}, "task_steps"),  # two steps in one
        ({"task_steps": ["Pull up\u2028and zip"]}, "task_steps"),  # a line break all the same
        ({"task_steps": [f"Step {n}" for n in range(MAX_TASK_STEPS + 1)]}, "task_steps"),
        ({"chaining": "sideways"}, "chaining"),
        ({"measurement_type": "percent_trials", "task_steps": STEPS}, "task_steps"),
        ({"measurement_type": "frequency", "chaining": "forward"}, "chaining"),
    ],
)
def test_bad_steps_are_a_json_422_and_nothing_is_added(world, client_as, changes, field):
    plan = make_plan(world.child, world.therapist, goals=0)
    response = send(
        client_as(world.therapist), "POST", goals_path(world.child), task_goal(plan, **changes)
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/json")
    assert field in response.content.decode()
    assert not Goal.objects.filter(plan=plan).exists()
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_too_many_steps_say_what_the_form_says(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    steps = [f"Step {n}" for n in range(MAX_TASK_STEPS + 1)]
    response = send(
        client_as(world.therapist),
        "POST",
        goals_path(world.child),
        task_goal(plan, task_steps=steps),
    )
    assert response.json()["detail"]["task_steps"] == [f"At most {MAX_TASK_STEPS} steps in a task."]


def test_a_goal_measured_otherwise_loses_its_steps(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    goal = actions.add_goal(
        plan,
        **goal_fields(
            measurement_type="task_analysis",
            mastery_value=80,
            task_steps="A\nB",
            chaining="forward",
        ),
    )
    response = send(
        client_as(world.therapist),
        "PATCH",
        goal_path(goal),
        {"version": goal.version, "measurement_type": "percent_trials"},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["task_steps"], response.json()["chaining"]) in ((None, None), ([], ""))
    goal.refresh_from_db()
    assert (goal.measurement_type, goal.task_steps, goal.chaining) == ("percent_trials", "", "")


def test_a_bad_change_of_steps_changes_nothing(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=1)
    goal = plan.goals.get()  # measured in % of trials
    client = client_as(world.therapist)
    for payload in (
        {"version": goal.version, "task_steps": STEPS},
        {"version": goal.version, "measurement_type": "task_analysis", "chaining": "upwards"},
        {"version": goal.version, "measurement_type": "task_analysis", "task_steps": [""]},
    ):
        response = send(client, "PATCH", goal_path(goal), payload)
        assert response.status_code == 422, payload
    fresh = Goal.objects.get(pk=goal.pk)
    assert (fresh.version, fresh.task_steps, fresh.chaining) == (goal.version, "", "")
    assert fresh.measurement_type == "percent_trials"


def test_a_retried_goal_is_added_once(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    client = client_as(world.therapist)
    payload = task_goal(plan, task_steps=STEPS, chaining="total_task")

    def add():
        return send(
            client, "POST", goals_path(world.child), payload, HTTP_IDEMPOTENCY_KEY="goal-0001"
        )

    first, again = add(), add()
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Goal.objects.filter(plan=plan).count() == 1
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1


def test_outsiders_get_404_and_readers_403(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=1)
    goal = plan.goals.get()
    change = {"version": goal.version, "task_steps": STEPS}
    for member in (world.other_guardian, world.collaborator, world.foreign_admin):
        client = client_as(member)
        assert send(client, "POST", goals_path(world.child), task_goal(plan)).status_code == 404
        assert send(client, "PATCH", goal_path(goal), change).status_code == 404
    for member in (world.guardian, world.consulting_therapist):
        client = client_as(member)
        assert send(client, "POST", goals_path(world.child), task_goal(plan)).status_code == 403
        assert send(client, "PATCH", goal_path(goal), change).status_code == 403
    assert Goal.objects.filter(plan=plan).count() == 1
    assert Goal.objects.get(pk=goal.pk).version == goal.version


def test_families_read_the_steps_of_an_active_plan(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    actions.add_goal(
        plan,
        **goal_fields(
            measurement_type="task_analysis", mastery_value=80, task_steps="\n".join(STEPS)
        ),
    )
    body = client_as(world.guardian).get(goals_path(world.child)).json()
    assert body[0]["task_steps"] == STEPS
    assert body[0]["statement"] is None  # the clinical statement stays with the team


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_steps_cost_no_query_per_goal(world, client_as, django_assert_max_num_queries):
    plan = make_plan(world.child, world.therapist, goals=0)
    client = client_as(world.therapist)
    actions.add_goal(plan, **goal_fields(measurement_type="task_analysis", mastery_value=80))
    _count(client, goals_path(world.child))  # the first read fills the caches
    few = _count(client, goals_path(world.child))
    for n in range(10):
        actions.add_goal(
            plan,
            **goal_fields(
                measurement_type="task_analysis",
                mastery_value=80,
                statement=f"Task {n}",
                task_steps="\n".join(STEPS),
                chaining="forward",
            ),
        )
    assert _count(client, goals_path(world.child)) == few
    payload = task_goal(plan, task_steps=STEPS, chaining="forward")
    with django_assert_max_num_queries(19):
        assert send(client, "POST", goals_path(world.child), payload).status_code == 201


def test_the_refusal_is_in_the_callers_language(world, client_as):
    world.therapist.user.language = "es"
    world.therapist.user.save()
    plan = make_plan(world.child, world.therapist, goals=0)
    payload = task_goal(plan, measurement_type="frequency", task_steps=STEPS)
    response = send(client_as(world.therapist), "POST", goals_path(world.child), payload)
    assert response.status_code == 422
    assert response.json()["detail"]["task_steps"][0].startswith(
        "Solo un objetivo de análisis de tareas enumera pasos"
    )
