"""The plan as a family reads it: what we are working on, the child's own goals, the family's
priorities first, GAS levels as steps towards where we hope to get to."""

import pytest
from django.urls import reverse

from tandem.appointments.tests.helpers import session_of
from tandem.core.testing.text import without_tokens
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans import actions
from tandem.plans.family import area, for_family, steps
from tandem.plans.tests.helpers import TODAY, first_goal, goal_fields, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def plan(world):
    plan = make_plan(world.child, world.therapist, status="draft")
    actions.add_goal(
        plan,
        **goal_fields(
            statement="Maya will ride a balance bike 10 metres.",
            domain="gross_motor",
            child_chosen=True,
            child_words="I want to ride my bike like my brother",
            family_priority=2,
            strategies="Balance-bike practice in the hall",
            family_wording_en="Maya will ride her balance bike across the hall.",
        ),
    )
    actions.add_goal(
        plan,
        **goal_fields(
            statement="Maya will put on her coat.",
            domain="self_care",
            family_priority=1,
            family_wording_en="Maya will put on her coat by herself.",
        ),
    )
    plan.refresh_from_db()
    return actions.set_plan_status(plan, expected_version=plan.version, status="active")


def test_goals_read_as_what_we_are_working_on(world, client_as, plan):
    body = (
        client_as(world.guardian)
        .get(reverse("plans:index", args=[world.child.id]))
        .content.decode()
    )
    assert "What we are working on in Occupational therapy" in body
    assert "What you told us matters most" in body and "Dressing for school on her own" in body
    assert "Where we hope to get to" in body and "Buttons three buttons independently" in body
    assert "Where things are now" in body
    assert "How we will help" in body


def test_the_childs_own_goal_is_marked_with_their_words(world, client_as, plan):
    body = (
        client_as(world.guardian)
        .get(reverse("plans:index", args=[world.child.id]))
        .content.decode()
    )
    assert "Maya's own goal" in body
    assert "In Maya's words: “I want to ride my bike like my brother”" in body


def test_family_priorities_come_first(world, client_as, plan):
    body = (
        client_as(world.guardian)
        .get(reverse("plans:index", args=[world.child.id]))
        .content.decode()
    )
    assert "Your family's priority number 1" in body
    assert (
        body.index("put on her coat by herself")
        < body.index("ride her balance bike")
        < body.index("Maya is learning to do more with hands and fingers.")
    )


def test_no_clinical_jargon_for_families(world, client_as, plan):
    client = client_as(world.guardian)
    for url in (
        reverse("plans:index", args=[world.child.id]),
        reverse("plans:detail", args=[world.child.id, plan.id]),
    ):
        body = without_tokens(client.get(url).content)
        for jargon in (
            "GAS",
            "T-score",
            "Baseline",
            "Mastery",
            "Fine motor",
            "Gross motor",
            "clinically important",
            "expected outcome",
        ):
            assert jargon not in body, (url, jargon)
        assert "Moving, balance and coordination" in body  # the area, in plain words
        assert "Everyday care: dressing, eating, washing" in body


def test_levels_are_steps_with_where_things_are_now(world, client_as, plan):
    goal = first_goal(plan)
    note = SessionNote.objects.create(
        organization=world.org,
        child=world.child,
        author=world.therapist,
        encounter=session_of(world.child, world.therapist, TODAY),
        date=TODAY,
        start_time="09:00",
        end_time="09:45",
    )
    GoalData.objects.create(
        organization=world.org, child=world.child, note=note, goal=goal, gas_level=-1
    )
    SessionNote._base_manager.filter(pk=note.pk).update(status=NoteStatus.SIGNED)
    body = (
        client_as(world.guardian)
        .get(reverse("plans:detail", args=[world.child.id, plan.id]))
        .content.decode()
    )
    assert "See every step on the way" in body
    assert 'aria-label="Now at step 2 of 5: A step on the way"' in body
    assert "Buttons one button with verbal prompts" in body
    assert "where we started" in body


def test_steps_and_areas_in_plain_words(world, plan):
    goal = first_goal(plan)
    goal.current_level = 0
    labels = [(s.label, s.is_now, s.is_start, s.reached) for s in steps(goal)]
    assert labels == [
        ("Starting point", False, True, True),
        ("A step on the way", False, False, True),
        ("Where we hope to get to", True, False, True),
        ("A bit further than we hoped", False, False, False),
        ("Much further than we hoped", False, False, False),
    ]
    assert area(goal) == "Using hands and fingers"


def test_discontinued_goals_are_left_out(world, plan):
    goal = first_goal(plan)
    goal.status, goal.family_priority = "discontinued", None
    assert goal not in for_family([goal])


def test_staff_still_see_the_clinical_plan(world, client_as, plan):
    body = (
        client_as(world.therapist)
        .get(reverse("plans:detail", args=[world.child.id, plan.id]))
        .content.decode()
    )
    assert "Goal Attainment Scale" in body and "Baseline" in body


def test_the_family_plan_has_spanish_translations():
    import json
    from pathlib import Path

    import tandem

    spanish = json.loads((Path(tandem.__file__).parent / "locale" / "es.json").read_text())
    for english in (
        "What we are working on in %(d)s",
        "%(name)s's own goal",
        "In %(name)s's words: “%(words)s”",
        "Your family's priority number %(n)s",
        "Where we hope to get to",
        "Where things are now",
        "Using hands and fingers",
        "Reports to download",
    ):
        assert spanish.get(english), english
