"""Observations in everyday settings, and the skill × setting view of where a skill is seen."""

import datetime

import pytest
from django.urls import reverse

from tandem.homeprogram.models import Observation
from tandem.plans.models import Goal

from .helpers import goal_of, observe, today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def family_url(child):
    return reverse("homeprogram:observation_new", args=[child.id])


staff_url = family_url  # one page; its words fit who opens it


def data(goal, **changes):
    values = {
        "goal": str(goal.id),
        "setting": "school",
        "independence": "independent",
        "observed_on": today().isoformat(),
        "who_was_there": "Her teacher, Ms Ruiz",
        "note": "Buttoned her coat for break time.",
    }
    return values | changes


def test_guardian_records_a_school_observation(world, client_as):
    goal = goal_of(world.child, world.therapist)
    response = client_as(world.guardian).post(family_url(world.child), data(goal))
    assert response.status_code == 302
    assert response["Location"] == reverse("homeprogram:goal", args=[world.child.id, goal.id])
    saved = Observation.objects.get()
    assert (saved.setting, saved.independence, saved.recorder_role) == (
        "school",
        "independent",
        "family",
    )
    assert saved.recorded_by == world.guardian
    assert saved.history.count() == 1


def test_the_form_is_phone_friendly_and_preselects_the_goal(world, client_as):
    goal = goal_of(world.child, world.therapist)
    body = client_as(world.guardian).get(family_url(world.child) + f"?goal={goal.id}")
    text = body.content.decode()
    assert "Where was it?" in text and "How much help did Maya need?" in text
    assert f'value="{goal.id}"' in text and "checked" in text


def test_future_day_is_refused_and_nothing_is_saved(world, client_as):
    goal = goal_of(world.child, world.therapist)
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    response = client_as(world.guardian).post(
        family_url(world.child), data(goal, observed_on=tomorrow)
    )
    assert response.status_code == 200
    assert "This day is still to come" in response.content.decode()
    assert not Observation.objects.exists()


def test_goal_of_another_child_is_refused(world, client_as):
    goal_of(world.child, world.therapist)
    other = goal_of(world.other_child, world.unassigned_therapist)
    response = client_as(world.guardian).post(family_url(world.child), data(other))
    assert response.status_code == 200
    assert not Observation.objects.exists()


def test_goals_of_a_draft_plan_are_not_offered_to_families(world, client_as):
    from tandem.plans.tests.helpers import make_plan

    goal_of(world.child, world.therapist)
    draft = make_plan(world.child, world.therapist, status="draft", discipline="slp")
    hidden = Goal.objects.get(plan=draft)
    body = client_as(world.guardian).get(family_url(world.child)).content.decode()
    assert str(hidden.id) not in body
    response = client_as(world.guardian).post(family_url(world.child), data(hidden))
    assert response.status_code == 200 and not Observation.objects.exists()


def test_editors_record_observations_on_the_same_page_in_the_teams_words(world, client_as):
    goal = goal_of(world.child, world.therapist)
    client = client_as(world.therapist)
    page = client.get(staff_url(world.child)).content.decode()
    response = client.post(staff_url(world.child), data(goal))
    assert response.status_code == 302
    assert Observation.objects.get().recorder_role == "staff"
    family_page = client_as(world.guardian).get(family_url(world.child)).content.decode()
    assert "Save the observation" in page and "Save the observation" not in family_page


def test_consulting_therapist_and_other_families_cannot_record(world, client_as):
    goal = goal_of(world.child, world.therapist)
    assert client_as(world.consulting_therapist).get(staff_url(world.child)).status_code == 404
    assert (
        client_as(world.consulting_therapist).post(staff_url(world.child), data(goal)).status_code
        == 403
    )
    assert (
        client_as(world.other_guardian).post(family_url(world.child), data(goal)).status_code == 404
    )
    assert not Observation.objects.exists()


def test_skill_by_setting_shows_where_the_skill_is_seen_and_not_yet(world, client_as):
    goal = goal_of(world.child, world.therapist)
    observe(world.child, goal, world.guardian, setting="home", independence="independent")
    observe(world.child, goal, world.guardian, setting="school", independence="not_yet")
    url = reverse("homeprogram:goal", args=[world.child.id, goal.id])
    body = client_as(world.guardian).get(url).content.decode()
    assert '<span class="state seen">On their own</span>' in body
    assert '<span class="state not_yet">Not yet</span>' in body
    assert "Seen in: Home." in body
    assert "Not seen yet in: School or daycare, Out and about, Somewhere else." in body
    tab = client_as(world.therapist).get(reverse("homeprogram:index", args=[world.child.id]))
    assert tab.content.decode().count('class="state unknown"') == 2


def test_latest_observation_per_setting_wins(world, client_as):
    goal = goal_of(world.child, world.therapist)
    earlier = today() - datetime.timedelta(days=10)
    observe(world.child, goal, world.guardian, independence="lot_of_help", observed_on=earlier)
    observe(world.child, goal, world.guardian, independence="independent")
    url = reverse("homeprogram:goal", args=[world.child.id, goal.id])
    body = client_as(world.therapist).get(url).content.decode()
    assert "2 observations" in body
    assert '<span class="state seen">On their own</span>' in body


def test_outsiders_do_not_see_the_goal_page(world, client_as):
    goal = goal_of(world.child, world.therapist)
    url = reverse("homeprogram:goal", args=[world.child.id, goal.id])
    for outsider in (world.other_guardian, world.unassigned_therapist, world.foreign_guardian):
        assert client_as(outsider).get(url).status_code == 404
