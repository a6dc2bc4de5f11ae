"""Starting a note: the session's details and the goals it worked on."""

import pytest
from django.urls import reverse

from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import TODAY, active_goals
from tandem.plans.tests.helpers import make_plan

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def new_url(child):
    return reverse("notes:new", args=[child.id])


def note_data(goals, **changes):
    data = {
        "date": TODAY.isoformat(),
        "start_time": "09:00",
        "end_time": "09:45",
        "service_type": "individual",
        "location": "teletherapy",
        "goals": [g.id for g in goals],
    }
    data.update(changes)
    return data


def test_the_form_offers_the_active_plan_goals_checked_for_the_therapists_discipline(
    world, client_as
):
    ot = make_plan(world.child, world.therapist, goals=2)
    make_plan(world.child, world.therapist, discipline="slp", goals=1)
    make_plan(world.child, world.therapist, discipline="pt", status="draft", goals=1)
    body = client_as(world.therapist).get(new_url(world.child)).content.decode()
    assert body.count('name="goals"') == 3  # the draft plan's goal is not offered
    assert body.count("checked") == 2
    for goal in ot.goals.all():
        assert f'value="{goal.id}"' in body


def test_lead_therapist_starts_a_note_with_its_goals(world, client_as):
    make_plan(world.child, world.therapist, goals=2)
    goals = active_goals(world.child)
    response = client_as(world.therapist).post(new_url(world.child), note_data(goals))
    note = SessionNote.objects.get(child=world.child)
    assert response.status_code == 302
    assert response["Location"] == reverse("notes:edit", args=[world.child.id, note.id])
    assert note.author == world.therapist
    assert note.location == "teletherapy"
    assert note.status == "draft"
    assert set(GoalData.objects.filter(note=note).values_list("goal_id", flat=True)) == {
        g.id for g in goals
    }


def test_assistant_and_admin_may_start_notes(world, client_as):
    for member in (world.assistant, world.admin):
        response = client_as(member).post(new_url(world.child), note_data([]))
        assert response.status_code == 302
    assert SessionNote.objects.filter(child=world.child).count() == 2


def test_a_goal_of_another_child_is_refused(world, client_as):
    make_plan(world.sibling, world.therapist)
    foreign_goal = active_goals(world.sibling)[0]
    response = client_as(world.therapist).post(new_url(world.child), note_data([foreign_goal]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not SessionNote.objects.exists()


def test_a_session_ending_before_it_starts_is_refused_clearly(world, client_as):
    response = client_as(world.therapist).post(
        new_url(world.child), note_data([], end_time="08:30")
    )
    assert response.status_code == 200
    assert "The session must end after it starts." in response.content.decode()
    assert not SessionNote.objects.exists()


def test_readers_cannot_start_a_note(world, client_as):
    for member in (world.consulting_therapist, world.guardian):
        client = client_as(member)
        assert client.get(new_url(world.child)).status_code == 404
        assert client.post(new_url(world.child), note_data([])).status_code == 403
    assert not SessionNote.objects.exists()


def test_outsiders_cannot_start_a_note(world, client_as):
    for member in (world.unassigned_therapist, world.other_guardian, world.foreign_therapist):
        assert client_as(member).post(new_url(world.child), note_data([])).status_code == 404
    assert not SessionNote.objects.exists()


def test_without_a_plan_the_note_can_still_be_started(world, client_as):
    body = client_as(world.therapist).get(new_url(world.child)).content.decode()
    assert "no active plan goals yet" in body
    response = client_as(world.therapist).post(new_url(world.child), note_data([]))
    assert response.status_code == 302
