"""Assigning and editing home activities: editors only, versioned, goals of this child only."""

from django.urls import reverse

from tandem.homeprogram.models import HomeActivity

from .helpers import goal_of, make_activity, today


def new_url(child):
    return reverse("homeprogram:activity_new", args=[child.id])


def form_data(goal, **changes):
    data = {
        "title": "Treasure in the dough",
        "why": "Squeezing builds the hand strength that buttons need.",
        "steps": "Hide beads in play dough.\nFind them all with pinching fingers.",
        "times_per_week": 4,
        "minutes": 10,
        "materials": "Play dough, 10 beads",
        "starts_on": today().isoformat(),
        "goals": [str(goal.id)],
    }
    data.update(changes)
    return data


def test_lead_therapist_assigns_an_activity_linked_to_a_goal(world, client_as):
    goal = goal_of(world.child, world.therapist)
    response = client_as(world.therapist).post(new_url(world.child), form_data(goal))
    assert response.status_code == 302
    activity = HomeActivity.objects.get(child=world.child)
    assert activity.assigned_by == world.therapist
    assert list(activity.goals.all()) == [goal]
    assert activity.step_list == [
        "Hide beads in play dough.",
        "Find them all with pinching fingers.",
    ]
    assert activity.history.get().goal_ids == [str(goal.id)]


def test_a_goal_of_another_child_cannot_be_linked(world, client_as):
    goal_of(world.child, world.therapist)
    sibling_goal = goal_of(world.sibling, world.therapist)
    response = client_as(world.therapist).post(new_url(world.child), form_data(sibling_goal))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not HomeActivity.objects.exists()


def test_times_per_week_out_of_range_is_refused_with_a_message(world, client_as):
    goal = goal_of(world.child, world.therapist)
    response = client_as(world.therapist).post(
        new_url(world.child), form_data(goal, times_per_week=30)
    )
    assert response.status_code == 200
    assert "less than or equal to 14" in response.content.decode()
    assert not HomeActivity.objects.exists()


def test_consulting_therapist_and_guardian_cannot_assign(world, client_as):
    goal = goal_of(world.child, world.therapist)
    assert client_as(world.consulting_therapist).get(new_url(world.child)).status_code == 404
    assert (
        client_as(world.consulting_therapist)
        .post(new_url(world.child), form_data(goal))
        .status_code
        == 403
    )
    assert client_as(world.guardian).post(new_url(world.child), form_data(goal)).status_code == 404
    assert not HomeActivity.objects.exists()


def test_editing_a_stale_version_is_a_conflict(world, client_as):
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:activity_edit", args=[world.child.id, activity.id])
    goal = activity.goals.first()
    client = client_as(world.therapist)
    first = client.post(url, form_data(goal, title="Peg race", version=1))
    assert first.status_code == 302
    second = client.post(url, form_data(goal, title="Peg relay", version=1))
    assert second.status_code == 409
    assert "Someone else changed this record" in second.content.decode()
    activity.refresh_from_db()
    assert activity.title == "Peg race" and activity.version == 2


def test_archiving_takes_the_activity_off_the_familys_list(world, client_as):
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:activity_status", args=[world.child.id, activity.id])
    response = client_as(world.therapist).post(url, {"version": 1, "status": "archived"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == "archived" and activity.archived_on == today()
    body = client_as(world.guardian).get(reverse("homeprogram:family_home")).content.decode()
    assert "Pinch the pegs" not in body


def test_tab_shows_activities_to_staff_with_edit_links_for_editors(world, client_as):
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:index", args=[world.child.id])
    edit = reverse("homeprogram:activity_edit", args=[world.child.id, activity.id])
    body = client_as(world.therapist).get(url).content.decode()
    assert "Pinch the pegs" in body and edit in body
    consulting = client_as(world.consulting_therapist).get(url).content.decode()
    assert "Pinch the pegs" in consulting and edit not in consulting


def test_outsiders_get_404_on_the_tab(world, client_as):
    make_activity(world.child, world.therapist)
    url = reverse("homeprogram:index", args=[world.child.id])
    for outsider in (world.other_guardian, world.unassigned_therapist, world.foreign_admin):
        assert client_as(outsider).get(url).status_code == 404


def test_the_tab_is_logged_in_the_access_log(world, client_as):
    from tandem.audit.models import AccessLog

    client_as(world.guardian).get(reverse("homeprogram:index", args=[world.child.id]))
    assert AccessLog.objects.filter(
        child=world.child, user=world.guardian.user, route="homeprogram:index"
    ).exists()
