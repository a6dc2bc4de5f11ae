"""The Progress tab's charts and goal cards are rendered once per what they show
(progress/fragments.py): a second visit draws nothing, and any change to what the page
shows — a new signed note, an edited goal, practice at home, another language, another
viewer or register — is on the page at once."""

import datetime
import re
from unittest import mock

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.homeprogram.tests.helpers import log, make_activity
from tandem.notes import actions as note_actions
from tandem.notes.models import SessionNote
from tandem.plans import actions as plan_actions
from tandem.plans.models import Goal

from .. import charts
from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20, 30, 40], goal, levels=[-2, -1, 0]))
    return goal


def _page(client, world: World) -> str:
    """The page, without its CSRF tokens (masked afresh for each response)."""
    response = client.get(reverse("progress:index", args=[world.child.id]))
    assert response.status_code == 200
    return re.sub(
        r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", response.content.decode()
    )


def _drawn(client, world: World) -> tuple[str, int]:
    """The page, and how many times the charts were drawn for it."""
    with mock.patch.object(charts, "draw", wraps=charts.draw) as draw:
        body = _page(client, world)
    return body, draw.call_count


def test_a_second_visit_draws_nothing_and_shows_the_same_page(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    first, drawn_first = _drawn(client, world)
    again, drawn_again = _drawn(client, world)
    assert (drawn_first, drawn_again) == (1, 0)
    assert again == first
    assert goal.statement in again and "3 sessions with data." in again


def test_a_new_signed_note_is_shown_at_once(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    assert "3 sessions with data." in _page(client, world)
    day = clinic_today() - datetime.timedelta(days=1)
    record_sessions(world.therapist, world.child, [(day, {goal: (77.0, 1)})])
    body, drawn = _drawn(client, world)
    assert drawn == 1 and "4 sessions with data." in body and "<td>77</td>" in body


def test_a_draft_does_not_count_and_signing_it_does(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    day = clinic_today() - datetime.timedelta(days=1)
    [draft] = record_sessions(
        world.therapist, world.child, [(day, {goal: (66.0, 1)})], status="draft"
    )
    assert "<td>66</td>" not in _page(client, world)
    draft.objective, draft.assessment = "Sorted pegs by colour.", "On course."
    draft.save()
    note_actions.sign_note(draft, world.therapist, expected_version=draft.version)
    assert "<td>66</td>" in _page(client, world)


def test_an_addendum_leaves_the_data_and_the_page_as_they_were(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    before = _page(client, world)
    note = SessionNote.objects.filter(child=world.child).latest("date")
    note_actions.add_addendum(note, world.therapist, "The 40 was with a verbal prompt.")
    assert _page(client, world) == before


def test_an_edited_goal_is_shown_at_once(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    assert goal.statement in _page(client, world)
    plan_actions.update_goal(
        goal, expected_version=goal.version, statement="Zips a coat on their own"
    )
    body = _page(client, world)
    assert "Zips a coat on their own" in body and goal.statement not in body


def test_practice_at_home_is_shown_at_once(world, client_as, goal) -> None:
    client = client_as(world.therapist)
    activity = make_activity(world.child, world.therapist, goals=[goal])
    before = _page(client, world)
    assert "practice at home" not in before
    log(activity, world.guardian)
    assert "practice at home" in _page(client, world)


def test_the_language_and_the_register_have_their_own_pages(world, client_as, goal) -> None:
    staff, family = client_as(world.therapist), client_as(world.guardian)
    staff_page, family_page = _page(staff, world), _page(family, world)
    assert "GAS T-score over time" in staff_page and "All goals together" in family_page
    assert "GAS T-score over time" not in _page(family, world)  # not the staff's cached parts
    world.guardian.user.language = "es"
    world.guardian.user.save(update_fields=["language"])
    spanish = _page(client_as(world.guardian), world)
    assert "All goals together" not in spanish and "sesiones" in spanish
    world.guardian.user.language = "en"
    world.guardian.user.save(update_fields=["language"])
    assert "All goals together" in _page(client_as(world.guardian), world)


def test_a_renamed_child_is_shown_at_once(world, client_as, goal) -> None:
    family = client_as(world.guardian)
    name = world.child.preferred_name or world.child.first_name
    assert name in _page(family, world)
    world.child.preferred_name = "Zed"
    world.child.save(update_fields=["preferred_name"])
    assert "Zed" in _page(family, world)
