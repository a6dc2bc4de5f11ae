"""A plateau or regression: families get a kind explanation, the team a review notice with data."""

import datetime

from django.urls import reverse

from tandem.progress.tests.helpers import record_sessions

from .helpers import goal_of, log, make_activity, observe, today

DIP = [60, 65, 70, 40, 35, 30]  # the last three fell well below the three before
FLAT = [40, 41, 40, 41, 40, 41]  # steady, far from the 80 % target
RISING = [20, 30, 40, 50, 60, 70]


def sessions(world, goal, values):
    start = today() - datetime.timedelta(weeks=len(values))
    record_sessions(
        world.therapist,
        world.child,
        [(start + datetime.timedelta(weeks=i), {goal: (v, None)}) for i, v in enumerate(values)],
    )


def goal_page(world, goal):
    return reverse("homeprogram:goal", args=[world.child.id, goal.id])


def test_guardian_reads_a_dip_kindly_with_an_invitation_to_observe(world, client_as):
    goal = goal_of(world.child, world.therapist)
    sessions(world, goal, DIP)
    body = client_as(world.guardian).get(goal_page(world, goal)).content.decode()
    assert "Progress is rarely a straight line" in body
    assert "nothing you did wrong" in body
    assert "What the team will look at" in body
    invite = reverse("homeprogram:observation_new", args=[world.child.id]) + f"?goal={goal.id}"
    assert invite in body
    assert "regression" not in body.lower() and "Review this goal" not in body


def test_guardian_reads_a_plateau_kindly(world, client_as):
    goal = goal_of(world.child, world.therapist)
    sessions(world, goal, FLAT)
    body = client_as(world.guardian).get(goal_page(world, goal)).content.decode()
    assert "levelled off for now" in body and "plateau" not in body.lower()


def test_therapist_sees_review_this_goal_with_the_familys_recent_data(world, client_as):
    goal = goal_of(world.child, world.therapist)
    sessions(world, goal, DIP)
    activity = make_activity(world.child, world.therapist, goals=[goal])
    log(activity, world.guardian, outcome="not_today", barrier="no_time")
    log(activity, world.guardian, outcome="done", note="She did two buttons!")
    observe(world.child, goal, world.guardian, setting="school", note="Coat at recess")
    tab = client_as(world.therapist).get(reverse("homeprogram:index", args=[world.child.id]))
    body = tab.content.decode()
    assert "Goals to review" in body and "Review this goal" in body
    assert "regression in session data" in body
    assert "No time" in body and "She did two buttons!" in body
    assert "Coat at recess" in body
    page = client_as(world.therapist).get(goal_page(world, goal)).content.decode()
    assert "Review this goal" in page and "Coat at recess" in page


def test_no_notice_when_things_are_moving(world, client_as):
    goal = goal_of(world.child, world.therapist)
    sessions(world, goal, RISING)
    for member in (world.guardian, world.therapist):
        body = client_as(member).get(reverse("homeprogram:index", args=[world.child.id]))
        text = body.content.decode()
        assert "Review this goal" not in text and "rarely a straight line" not in text


def test_drafts_do_not_count_for_the_family(world, client_as):
    """Only signed notes are data: a draft dip shows nothing."""
    goal = goal_of(world.child, world.therapist)
    start = today() - datetime.timedelta(weeks=6)
    record_sessions(
        world.therapist,
        world.child,
        [(start + datetime.timedelta(weeks=i), {goal: (v, None)}) for i, v in enumerate(DIP)],
        status="draft",
    )
    body = client_as(world.guardian).get(goal_page(world, goal)).content.decode()
    assert "rarely a straight line" not in body
