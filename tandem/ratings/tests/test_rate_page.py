"""The family's rating page: each goal in the family's words, five plain answers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.core.testing.factories import clinic_today
from tandem.ratings.models import GoalRating

from .helpers import LEVEL_TEXT, plan_with_goals, rate_on

pytestmark = pytest.mark.django_db
# The session, the member, the child, the access log, the goals, their ratings.
BUDGET = 6


def url(child):
    return reverse("ratings:rate", args=[child.id])


def test_each_goal_shows_in_family_words_with_five_plain_answers(world, client_as):
    goals = plan_with_goals(world.child, world.therapist, count=2)
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    for goal in goals:
        assert f"<legend>{goal.family_wording}</legend>" in body
    for words in (
        "Much less than we hoped",
        "A bit less than we hoped",
        "What we hoped for",
        "A bit more than we hoped",
        "Much more than we hoped",
    ):
        assert body.count(words) == 2
    # Each level's own description sits under its plain words.
    for text in LEVEL_TEXT.values():
        assert text in body
    assert body.count('type="radio"') == 10
    assert "<fieldset>" in body
    assert "You have not rated this goal yet." in body
    assert 'name="idempotency_key"' in body


def test_the_page_speaks_spanish(world, client_as):
    plan_with_goals(world.child, world.therapist, count=1, family_wording_es="Palabras de familia")
    world.guardian.user.language = "es"
    world.guardian.user.save()
    body = client_as(world.guardian).get(url(world.child)).content.decode()
    assert '<html lang="es"' in body
    with translation.override("es"):
        expected = translation.gettext("Much more than we hoped")
    assert expected != "Much more than we hoped"
    assert expected in body
    assert "Palabras de familia" in body


def test_a_guardian_rates_a_goal_and_sees_the_last_answer(world, client_as):
    goal, _other = plan_with_goals(world.child, world.therapist, count=2)
    client = client_as(world.guardian)
    data = {"goal": goal.id, "level": "1", "comment": "Did it before school!"}
    response = client.post(url(world.child), {**data, "idempotency_key": "rate-form-0001"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#goal-{goal.id}")
    rating = GoalRating.objects.get()
    assert (rating.rater, rating.level, rating.rated_by, rating.rated_on) == (
        "family",
        1,
        world.guardian,
        clinic_today(),
    )
    assert rating.comment == "Did it before school!"
    body = client.get(url(world.child)).content.decode()
    assert "Your last answer" in body
    assert "A bit more than we hoped." in body


def test_a_retry_with_the_same_key_is_counted_once(world, client_as):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    client = client_as(world.guardian)
    data = {"goal": goal.id, "level": "2", "idempotency_key": "rate-form-0002"}
    first = client.post(url(world.child), data)
    again = client.post(url(world.child), data)
    assert first.status_code == again.status_code == 302
    rating = GoalRating.objects.get()
    assert rating.version == 1
    assert rating.history.count() == 1


def test_rating_again_the_same_day_replaces_it_as_a_new_version(world, client_as):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    client = client_as(world.guardian)
    client.post(url(world.child), {"goal": goal.id, "level": "-1", "idempotency_key": "k-000001"})
    client.post(url(world.child), {"goal": goal.id, "level": "0", "idempotency_key": "k-000002"})
    rating = GoalRating.objects.get()
    assert (rating.level, rating.version) == (0, 2)
    assert [h.level for h in rating.history.order_by("history_date")] == [-1, 0]
    # Another day is another rating.
    rate_on(world.guardian, goal, 1, clinic_today() - datetime.timedelta(days=3))
    assert GoalRating.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "3"}, "Choose one of the five answers."),
        ({"level": "-3"}, "Choose one of the five answers."),
        ({"level": "much"}, "Choose one of the five answers."),
        ({}, "Choose one of the five answers."),
        ({"level": "0", "comment": "x" * 501}, "500"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(world, client_as, data, message):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    response = client_as(world.guardian).post(url(world.child), {"goal": goal.id, **data})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved." in body
    assert message in body
    assert not GoalRating.objects.exists()


def test_a_goal_not_open_for_rating_is_not_found(world, client_as):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    other = plan_with_goals(world.other_child, world.unassigned_therapist, count=1)[0]
    draft = plan_with_goals(world.child, world.therapist, count=1, discipline="slp")[0]
    draft.plan.status = "draft"
    draft.plan.save()
    client = client_as(world.guardian)
    for goal_id in (other.id, draft.id):
        response = client.post(url(world.child), {"goal": goal_id, "level": "0"})
        assert response.status_code == 404
    assert client.post(url(world.child), {"goal": goal.id, "level": "0"}).status_code == 302
    assert GoalRating.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["other_guardian", "foreign_guardian", "consented_collaborator", "collaborator"]
)
def test_another_family_and_collaborators_find_nothing(world, client_as, persona):
    goal = plan_with_goals(world.child, world.therapist, count=1)[0]
    client = client_as(getattr(world, persona))
    assert client.get(url(world.child)).status_code == 404
    assert client.post(url(world.child), {"goal": goal.id, "level": "0"}).status_code == 404
    assert not GoalRating.objects.exists()


def test_the_team_does_not_rate_as_the_family(world, client_as):
    plan_with_goals(world.child, world.therapist, count=1)
    assert client_as(world.therapist).get(url(world.child)).status_code == 404


def test_query_budget_is_flat_with_more_goals_and_ratings(
    world, client_as, django_assert_max_num_queries
):
    goals = plan_with_goals(world.child, world.therapist, count=2)
    client = client_as(world.guardian)
    client.get(url(world.child))  # the session set up
    with django_assert_max_num_queries(BUDGET):
        client.get(url(world.child))
    goals += plan_with_goals(world.child, world.therapist, count=6, discipline="pt")
    for days in range(20):
        for goal in goals:
            rate_on(world.guardian, goal, days % 5 - 2, clinic_today() - datetime.timedelta(days))
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url(world.child))
    assert response.content.decode().count("Your last answer") == 8


def test_the_familys_goal_list_leads_to_each_goal_in_force(world, client_as):
    goals = plan_with_goals(world.child, world.therapist, count=2)
    met = plan_with_goals(world.child, world.therapist, count=1, discipline="slp", status="met")
    body = client_as(world.guardian).get(reverse("plans:index", args=[world.child.id]))
    body = body.content.decode()
    for goal in goals:
        assert f'href="{url(world.child)}#goal-{goal.id}"' in body
    assert f"#goal-{met[0].id}" not in body
    staff = client_as(world.therapist).get(reverse("plans:index", args=[world.child.id]))
    assert url(world.child) not in staff.content.decode()
