"""The child's own rating in child mode: five faces per goal, mapped to −2 … +2."""

import re

import pytest
from django.urls import reverse

from tandem.core.testing.factories import clinic_today
from tandem.ratings.models import GoalRating

from .helpers import plan_with_goals

pytestmark = pytest.mark.django_db
# The session, the member, the child, the access log, the goals, their ratings.
BUDGET = 6

FACES = reverse("childmode:faces")
FACE_NAMES = ["Not yet", "A little", "I did it", "Better than I thought", "Super!"]


def in_child_mode(client, child):
    client.post(reverse("childmode:enter"), {"child": str(child.id)})
    return client


def test_the_child_page_links_to_the_faces(world, client_as):
    plan_with_goals(world.child, world.therapist, count=1)
    client = in_child_mode(client_as(world.guardian), world.child)
    assert FACES in client.get(reverse("childmode:home")).content.decode()


def test_each_goal_in_the_childs_words_with_five_named_faces(world, client_as):
    goals = plan_with_goals(world.child, world.therapist, count=2)
    client = in_child_mode(client_as(world.guardian), world.child)
    body = client.get(FACES).content.decode()
    for goal in goals:
        assert f'<legend class="goal-words">{goal.child_words}</legend>' in body
    for level, name in zip(range(-2, 3), FACE_NAMES, strict=True):
        assert body.count(f'name="level" value="{level}"') == 2
        assert body.count(f'<span class="face-name">{name}</span>') == 2
    assert 'aria-pressed="true"' not in body
    # No way out of child mode but its own pages.
    links = {link for link in re.findall(r'href="(/[^"]*)"', body) if "/static/" not in link}
    assert links == {reverse("childmode:home")}


def test_a_tapped_face_is_the_childs_rating_once(world, client_as):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    client = in_child_mode(client_as(world.guardian), world.child)
    data = {"goal": goal.id, "level": "2", "idempotency_key": "faces-page-0001"}
    first = client.post(FACES, data)
    again = client.post(FACES, data)
    assert first.status_code == again.status_code == 302
    rating = GoalRating.objects.get()
    assert (rating.rater, rating.level, rating.rated_by, rating.version) == (
        "child",
        2,
        world.guardian,
        1,
    )
    assert rating.rated_on == clinic_today()
    page = client.get(FACES)
    body = page.content.decode()
    assert "Thank you! You said: Super!" in body
    assert body.count('aria-pressed="true"') == 1
    # A second face the same day replaces the first.
    client.post(FACES, {"goal": goal.id, "level": "0", "idempotency_key": "faces-page-0002"})
    rating.refresh_from_db()
    assert (rating.level, rating.version) == (0, 2)


@pytest.mark.parametrize("level", ["5", "-3", "smile", ""])
def test_a_face_out_of_range_changes_nothing(world, client_as, level):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    client = in_child_mode(client_as(world.guardian), world.child)
    response = client.post(FACES, {"goal": goal.id, "level": level}, follow=True)
    assert "Tap a face to answer." in response.content.decode()
    assert not GoalRating.objects.exists()


def test_another_childs_goal_is_refused(world, client_as):
    plan_with_goals(world.child, world.therapist, count=1)
    other = plan_with_goals(world.sibling, world.therapist, count=1)[0]
    client = in_child_mode(client_as(world.guardian), world.child)
    response = client.post(FACES, {"goal": other.id, "level": "1"}, follow=True)
    assert "Tap a face to answer." in response.content.decode()
    assert not GoalRating.objects.exists()


def test_a_therapist_running_child_mode_records_the_childs_faces(world, client_as):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    client = in_child_mode(client_as(world.therapist), world.child)
    client.post(FACES, {"goal": goal.id, "level": "-1"})
    rating = GoalRating.objects.get()
    assert (rating.rater, rating.rated_by) == ("child", world.therapist)


def test_without_child_mode_the_faces_lead_home(world, client_as):
    plan_with_goals(world.child, world.therapist, count=1)
    client = client_as(world.guardian)
    assert client.get(FACES).status_code == 302
    assert client.post(FACES, {"goal": "x", "level": "1"}).status_code == 302
    assert not GoalRating.objects.exists()


def test_faces_query_budget_is_flat(world, client_as, django_assert_max_num_queries):
    goals = plan_with_goals(world.child, world.therapist, count=2)
    client = in_child_mode(client_as(world.guardian), world.child)
    client.get(FACES)
    with django_assert_max_num_queries(BUDGET):
        client.get(FACES)
    goals += plan_with_goals(world.child, world.therapist, count=6, discipline="pt")
    for goal in goals:
        client.post(FACES, {"goal": goal.id, "level": "1"})
    with django_assert_max_num_queries(BUDGET):
        body = client.get(FACES).content.decode()
    assert body.count('aria-pressed="true"') == 8


def test_the_faces_speak_spanish(world, client_as):
    world.guardian.user.language = "es"
    world.guardian.user.save()
    plan_with_goals(world.child, world.therapist, count=1)
    client = in_child_mode(client_as(world.guardian), world.child)
    body = client.get(FACES).content.decode()
    assert '<html lang="es">' in body
    for name in ("Todavía no", "Un poquito", "Lo logré", "Mejor de lo que pensaba", "¡Súper!"):
        assert f'<span class="face-name">{name}</span>' in body
    assert "¿Cómo voy?" in body
