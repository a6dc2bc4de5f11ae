"""Adding and editing goals: validation messages, the goal bank, versions, status changes."""

import datetime

import pytest
from django.urls import reverse

from tandem.plans.models import Goal, GoalBankEntry, GoalStatus, Plan
from tandem.plans.tests.helpers import TODAY, first_goal, goal_fields, make_plan


def form_data(**changes):
    data = {k: ("" if v is None else v) for k, v in goal_fields().items()}
    data["target_date"] = data["target_date"].isoformat()
    data.update({"mastery_sessions": 3, "gas_weight": 1, "gas_baseline": -2})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def new_url(plan):
    return reverse("plans:goal_new", args=[plan.child_id, plan.id])


def edit_url(goal):
    return reverse("plans:goal_edit", args=[goal.child_id, goal.id])


@pytest.fixture
def plan(world):
    return make_plan(world.child, world.therapist, goals=0)


def test_therapist_adds_a_goal_and_the_plan_version_goes_up(world, client_as, plan):
    response = client_as(world.therapist).post(new_url(plan), form_data(family_priority=1))
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan)
    assert goal.discipline == plan.discipline
    assert goal.family_priority == 1
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"target_date": (TODAY - datetime.timedelta(days=30)).isoformat()},
            "The target date must be after the plan",
        ),
        ({"gas_plus_1": ""}, "This field is required."),
        ({"gas_plus_1": "Buttons three buttons  INDEPENDENTLY"}, "reads the same as another one"),
        ({"mastery_value": ""}, "Give the value that counts as mastery"),
        ({"mastery_value": "140"}, "between 0 and 100"),
        ({"child_words": "I want to do it", "child_chosen": False}, "Only a goal the child chose"),
        ({"statement": ""}, "This field is required."),
    ],
)
def test_bad_goal_gets_a_clear_message_and_nothing_changes(
    world, client_as, plan, changes, message
):
    response = client_as(world.therapist).post(new_url(plan), form_data(**changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'role="alert"' in body
    assert not Goal.objects.filter(plan=plan).exists()
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_gas_only_goal_needs_no_mastery_value(world, client_as, plan):
    response = client_as(world.therapist).post(
        new_url(plan), form_data(measurement_type="gas_only", mastery_value="")
    )
    assert response.status_code == 302


def test_child_chosen_goal_keeps_the_childs_words(world, client_as, plan):
    client_as(world.therapist).post(
        new_url(plan), form_data(child_chosen="on", child_words="I want to ride my bike")
    )
    goal = Goal.objects.get(plan=plan)
    assert goal.child_chosen and goal.child_words == "I want to ride my bike"


def test_consulting_therapist_and_guardian_cannot_add_goals(world, client_as, plan):
    for member in (world.consulting_therapist, world.guardian):
        client = client_as(member)
        assert client.get(new_url(plan)).status_code == 404
        assert client.post(new_url(plan), form_data()).status_code == 403
    assert not Goal.objects.filter(plan=plan).exists()


def test_foreign_admin_cannot_add_goals(world, client_as, plan):
    assert client_as(world.foreign_admin).post(new_url(plan), form_data()).status_code == 404


def bank_entry(org, **changes):
    fields = {
        "organization": org,
        "discipline": "ot",
        "domain": "self_care",
        "statement": "{child} will put on a coat independently in 4 of 5 opportunities.",
        "baseline_example": "{child} needs full help with sleeves.",
        "measurement_type": "percent_trials",
        "mastery_value": 80,
        "mastery_criterion": "80 % over 3 sessions",
        "gas_levels": {
            "-2": "Full help",
            "-1": "Help with one sleeve",
            "0": "{child} puts it on",
            "1": "Puts it on and zips",
            "2": "Puts it on, zips and hangs it up",
        },
        "strategies": ["Backward chaining", "Visual sequence"],
        "min_age_months": 36,
        "max_age_months": 96,
    }
    fields.update(changes)
    return GoalBankEntry.objects.create(**fields)


def test_goal_bank_entry_prefills_the_form_with_the_childs_name(world, client_as, plan):
    entry = bank_entry(world.org)
    response = client_as(world.therapist).get(new_url(plan) + f"?bank={entry.id}")
    body = response.content.decode()
    assert "Maya will put on a coat independently" in body
    assert "Maya puts it on" in body
    assert "Backward chaining" in body
    assert "{child}" not in body


def test_preferred_name_is_used_in_the_prefill(world, client_as, plan):
    world.child.preferred_name = "Mimi"
    world.child.save()
    entry = bank_entry(world.org)
    body = client_as(world.therapist).get(new_url(plan) + f"?bank={entry.id}").content.decode()
    assert "Mimi will put on a coat" in body


def test_another_clinics_bank_entry_is_ignored(world, client_as, plan):
    entry = bank_entry(world.foreign_org, statement="{child} secret foreign goal")
    body = client_as(world.therapist).get(new_url(plan) + f"?bank={entry.id}").content.decode()
    assert "secret foreign goal" not in body


def test_goal_started_from_the_bank_remembers_its_entry(world, client_as, plan):
    entry = bank_entry(world.org)
    client_as(world.therapist).post(new_url(plan), form_data(bank_entry=entry.id))
    assert Goal.objects.get(plan=plan).bank_entry == entry


def test_bank_picker_filters_by_discipline_domain_and_age(world, client_as, plan):
    bank_entry(world.org, statement="{child} fits")
    bank_entry(
        world.org, statement="{child} is too young for this", min_age_months=120, max_age_months=200
    )
    bank_entry(world.org, statement="{child} speech goal", discipline="slp", domain="communication")
    url = reverse("plans:goal_bank_pick", args=[world.child.id, plan.id])
    client = client_as(world.therapist)
    body = client.get(url).content.decode()  # defaults: the plan's discipline, the child's age
    assert "Maya fits" in body and "{child}" not in body
    assert "too young" not in body and "speech goal" not in body
    partial = client.get(url, {"discipline": "slp"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "speech goal" in text and "fits" not in text
    assert "<html" not in text


def test_editing_a_goal_bumps_goal_and_plan_versions_and_keeps_history(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    response = client_as(world.therapist).post(
        edit_url(goal), form_data(statement="Buttons five buttons", version=goal.version)
    )
    assert response.status_code == 302
    updated = Goal.objects.get(pk=goal.pk)
    assert updated.statement == "Buttons five buttons"
    assert updated.version == goal.version + 1
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1
    assert updated.history.first().prev_record.statement == goal.statement


def test_stale_goal_edit_is_a_conflict(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    client_as(world.admin).post(edit_url(goal), form_data(statement="First", version=goal.version))
    response = client_as(world.therapist).post(
        edit_url(goal), form_data(statement="Second", version=goal.version)
    )
    assert response.status_code == 409
    assert Goal.objects.get(pk=goal.pk).statement == "First"


def status_url(goal):
    return reverse("plans:goal_status", args=[goal.child_id, goal.id])


def test_goal_marked_met(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    client_as(world.therapist).post(status_url(goal), {"status": "met", "version": goal.version})
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.MET
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1


def test_discontinuing_needs_a_reason(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    client = client_as(world.therapist)
    response = client.post(
        status_url(goal),
        {"status": "discontinued", "reason": "", "version": goal.version},
        follow=True,
    )
    assert "Say why the goal was discontinued." in response.content.decode()
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.ACTIVE
    client.post(
        status_url(goal),
        {"status": "discontinued", "reason": "Family moved focus", "version": goal.version},
    )
    goal = Goal.objects.get(pk=goal.pk)
    assert goal.status == GoalStatus.DISCONTINUED and goal.status_reason == "Family moved focus"


def test_goal_on_hold_and_back(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    client = client_as(world.assistant)
    client.post(status_url(goal), {"status": "on_hold", "version": goal.version})
    client.post(status_url(goal), {"status": "active", "version": goal.version + 1})
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.ACTIVE
    assert Goal.objects.get(pk=goal.pk).version == goal.version + 2


def test_guardian_cannot_change_goal_status(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    response = client_as(world.guardian).post(
        status_url(goal), {"status": "met", "version": goal.version}
    )
    assert response.status_code == 403
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.ACTIVE
