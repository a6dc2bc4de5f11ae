"""Over the API too, families and collaborators read a goal in the family's words, in
their language, never its clinical statement; the clinical staff read both."""

import datetime

import pytest

from tandem.plans import actions
from tandem.plans.tests.helpers import TODAY, goal_fields, make_plan
from tandem.progress.tests.helpers import record_sessions

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

API = "/api/v1"
CLINICAL = "By the review date Maya will request with a two word phrase in 80 percent of trials"
FAMILY_EN = "Maya will ask for things with two words, like “more juice”."
FAMILY_ES = "Maya va a pedir cosas con dos palabras, como “más jugo”."


@pytest.fixture
def goal_and_note(world):
    plan = make_plan(world.child, world.therapist, goals=0)
    goal = actions.add_goal(
        plan,
        **goal_fields(
            statement=CLINICAL,
            domain="communication",
            family_wording_en=FAMILY_EN,
            family_wording_es=FAMILY_ES,
        ),
    )
    notes = record_sessions(
        world.therapist,
        world.child,
        [(TODAY - datetime.timedelta(days=7 * n), {goal: (40.0 + n, -1)}) for n in (2, 1)],
    )
    return goal, notes[0]


def _reads(child, goal, note):
    """Every API read a guardian may make that names the goal, and where its words are."""
    c = f"{API}/children/{child.id}"
    return [
        (f"{c}/plans", lambda b: b[0]["goals"][0]),
        (f"{c}/plans/{goal.plan_id}", lambda b: b["goals"][0]),
        (f"{c}/goals", lambda b: b[0]),
        (f"{c}/goals/{goal.id}", lambda b: b),
        (f"{c}/progress", lambda b: b["plans"][0]["goals"][0]),
        (f"{c}/goals/{goal.id}/progress", lambda b: b),
        (f"{c}/generalization", lambda b: b[0]),
        (f"{c}/shared/summary", lambda b: b["goals"][0]),
        (f"{c}/notes/{note.id}", lambda b: b["goal_data"][0]),
    ]


def _words(found):
    """(statement, wording) of a goal as one read returns it (a note's goal data says
    ``goal_statement`` / ``goal_wording``)."""
    if "goal_wording" in found:
        return found["goal_statement"], found["goal_wording"]
    return found["statement"], found["wording"]


@pytest.mark.parametrize("language,expected", [("en", FAMILY_EN), ("es", FAMILY_ES)])
def test_a_guardian_reads_the_family_wording_in_their_language(
    world, client_as, goal_and_note, language, expected
):
    world.guardian.user.language = language
    world.guardian.user.save()
    client = client_as(world.guardian)
    goal, note = goal_and_note
    for url, pick in _reads(world.child, goal, note):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert _words(pick(response.json())) == (None, expected), url
        body = response.content.decode()
        assert CLINICAL[:40] not in body and "two word phrase" not in body, url


def test_a_collaborator_reads_the_family_wording_in_the_shared_summary(
    world, client_as, goal_and_note
):
    response = client_as(world.consented_collaborator).get(
        f"{API}/children/{world.child.id}/shared/summary"
    )
    assert response.status_code == 200
    assert _words(response.json()["goals"][0]) == (None, FAMILY_EN)
    assert "two word phrase" not in response.content.decode()


def test_the_clinical_staff_read_the_statement_and_the_wording(world, client_as, goal_and_note):
    goal, note = goal_and_note
    for member in (world.therapist, world.admin):
        client = client_as(member)
        for url, pick in _reads(world.child, goal, note):
            response = client.get(url)
            assert response.status_code == 200, (url, response.content)
            assert _words(pick(response.json())) == (CLINICAL, FAMILY_EN), url
