"""COPM: up to five family-chosen activities, change scores and averages.

Hand-worked by the COPM manual's convention: a score is the mean of the activities'
ratings; the change score is re-assessment minus initial; 2 or more is clinically
important.
"""

import datetime

import pytest
from django.urls import reverse

from tandem.plans.copm import summarize
from tandem.plans.models import CopmActivity
from tandem.plans.tests.helpers import TODAY, make_copm, make_plan

# (activity, performance before → after, satisfaction before → after)
FIVE = [
    ("Dressing", 3, 6, 2, 4),
    ("Brushing teeth", 4, 7, 3, 4),
    ("Riding a bike", 2, 5, 2, 3),
    ("Eating with a spoon", 5, 6, 4, 5),
    ("Playing at the park", 6, 8, 5, 5),
]


def rated(plan):
    for name, p1, p2, s1, s2 in FIVE:
        make_copm(
            plan,
            activity=name,
            initial_performance=p1,
            initial_satisfaction=s1,
            reassessed_on=TODAY,
            reassessed_performance=p2,
            reassessed_satisfaction=s2,
        )


def test_hand_worked_averages_and_change_scores(world):
    plan = make_plan(world.child, world.therapist)
    rated(plan)
    summary = summarize(CopmActivity.objects.filter(plan=plan))
    # Performance: (3+4+2+5+6)/5 = 4.0 → (6+7+5+6+8)/5 = 6.4; change 2.4 ≥ 2: important.
    assert summary.initial_performance == 4.0
    assert summary.reassessed_performance == 6.4
    assert summary.performance_change == 2.4
    assert summary.performance_important
    # Satisfaction: (2+3+2+4+5)/5 = 3.2 → (4+4+3+5+5)/5 = 4.2; change 1.0 < 2: not important.
    assert summary.initial_satisfaction == 3.2
    assert summary.reassessed_satisfaction == 4.2
    assert summary.satisfaction_change == 1.0
    assert not summary.satisfaction_important


def test_per_activity_change_of_exactly_two_is_important(world):
    plan = make_plan(world.child, world.therapist)
    park = make_copm(
        plan,
        initial_performance=6,
        reassessed_on=TODAY,
        reassessed_performance=8,
        reassessed_satisfaction=3,
    )
    assert park.performance_change == 2
    assert park.satisfaction_change == 1  # 2 → 3


def test_before_reassessment_there_is_no_change_score(world):
    plan = make_plan(world.child, world.therapist)
    make_copm(plan)
    summary = summarize(CopmActivity.objects.filter(plan=plan))
    assert summary.initial_performance == 3.0
    assert summary.performance_change is None
    assert not summary.performance_important


def test_plan_page_shows_changes_and_clinically_important(world, client_as):
    plan = make_plan(world.child, world.therapist)
    rated(plan)
    body = client_as(world.therapist).get(plan.get_absolute_url()).content.decode()
    assert "Dressing" in body
    assert "4.0 → 6.4 (+2.4)" in body
    assert "3.2 → 4.2 (+1.0)" in body
    assert "clinically important" in body
    assert "Add an activity" not in body  # five is the most


def add_url(plan):
    return reverse("plans:copm_new", args=[plan.child_id, plan.id])


def copm_data(**changes):
    data = {
        "activity": "Getting dressed",
        "importance": 8,
        "initial_date": TODAY.isoformat(),
        "initial_performance": 3,
        "initial_satisfaction": 2,
    }
    data.update(changes)
    return data


def test_therapist_adds_an_activity(world, client_as):
    plan = make_plan(world.child, world.therapist)
    response = client_as(world.therapist).post(add_url(plan), copm_data())
    assert response.status_code == 302
    assert CopmActivity.objects.get(plan=plan).importance == 8


def test_a_sixth_activity_is_refused(world, client_as):
    plan = make_plan(world.child, world.therapist)
    rated(plan)
    response = client_as(world.therapist).post(add_url(plan), copm_data())
    assert response.status_code == 200
    assert "at most five COPM activities" in response.content.decode()
    assert CopmActivity.objects.filter(plan=plan).count() == 5


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"initial_performance": 11}, "less than or equal to 10"),
        ({"importance": 0}, "greater than or equal to 1"),
        ({"reassessed_performance": 5}, "Give the new satisfaction rating"),
    ],
)
def test_bad_ratings_are_refused_with_a_message(world, client_as, changes, message):
    plan = make_plan(world.child, world.therapist)
    response = client_as(world.therapist).post(add_url(plan), copm_data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CopmActivity.objects.exists()


def test_reassessment_is_recorded(world, client_as):
    plan = make_plan(world.child, world.therapist)
    activity = make_copm(plan)
    url = reverse("plans:copm_edit", args=[world.child.id, activity.id])
    later = (TODAY + datetime.timedelta(days=90)).isoformat()
    response = client_as(world.therapist).post(
        url,
        copm_data(
            initial_date=activity.initial_date.isoformat(),
            reassessed_on=later,
            reassessed_performance=6,
            reassessed_satisfaction=5,
        ),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.performance_change == 3
    assert activity.history.count() == 2


def test_reassessment_before_first_rating_is_refused(world, client_as):
    plan = make_plan(world.child, world.therapist)
    activity = make_copm(plan)
    url = reverse("plans:copm_edit", args=[world.child.id, activity.id])
    earlier = (activity.initial_date - datetime.timedelta(days=1)).isoformat()
    response = client_as(world.therapist).post(
        url,
        copm_data(
            initial_date=activity.initial_date.isoformat(),
            reassessed_on=earlier,
            reassessed_performance=6,
            reassessed_satisfaction=5,
        ),
    )
    assert "cannot be before the first rating" in response.content.decode()


def test_guardian_sees_ratings_but_cannot_edit(world, client_as):
    plan = make_plan(world.child, world.therapist)
    activity = make_copm(plan)
    client = client_as(world.guardian)
    assert "Getting dressed for school" in client.get(plan.get_absolute_url()).content.decode()
    url = reverse("plans:copm_edit", args=[world.child.id, activity.id])
    assert client.get(url).status_code == 404
    assert client.post(url, copm_data()).status_code == 403


def test_foreign_activity_id_is_404(world, client_as):
    foreign = make_copm(make_plan(world.foreign_child, world.foreign_therapist))
    url = reverse("plans:copm_edit", args=[world.child.id, foreign.id])
    assert client_as(world.admin).get(url).status_code == 404
