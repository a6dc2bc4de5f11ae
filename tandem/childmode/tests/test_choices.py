"""The child picks from the board; the team reads the picks before the next session."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.childmode.models import ChildChoice, ChoiceSource
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

CHOOSE = reverse("childmode:choose")


@pytest.fixture
def child_client(world: World, client_as: Callable[[Membership], Client]) -> Client:
    client = client_as(world.guardian)
    client.post(reverse("childmode:enter"), {"child": str(world.child.id)})
    return client


def choices_url(child: Child) -> str:
    return reverse("childmode:choices", args=[child.id])


def test_the_childs_pick_is_recorded_with_the_adults_session(world, child_client):
    response = child_client.post(CHOOSE, {"source": "interest", "label": "water play"})
    assert response["Location"] == reverse("childmode:home")
    choice = ChildChoice.objects.get(child=world.child)
    assert choice.label == "Water play"
    assert choice.source == ChoiceSource.INTEREST
    assert choice.during_session_of == world.guardian
    assert choice.organization == world.org
    page = child_client.get(reverse("childmode:home")).content.decode()
    assert "You chose: Water play. Great choice!" in page


def test_only_things_on_the_board_can_be_picked(world, child_client):
    for data in (
        {"source": "interest", "label": "Buy a pony"},
        {"source": "home_activity", "label": "Anything"},
        {"source": "home_activity", "home_activity_id": "9d4c3f1e-0000-4000-8000-000000000000"},
        {"source": "other", "label": "Trains"},
        {},
    ):
        response = child_client.post(CHOOSE, data)
        assert response["Location"] == reverse("childmode:home")
    assert not ChildChoice.objects.exists()
    page = child_client.get(reverse("childmode:home")).content.decode()
    assert "Tap a picture to choose." in page


def test_the_child_is_taken_from_the_session_not_the_form(world, child_client):
    world.sibling.interests = "Painting"
    world.sibling.save()
    child_client.post(
        CHOOSE, {"source": "interest", "label": "Painting", "child": str(world.sibling.id)}
    )
    assert not ChildChoice.objects.exists()


def test_a_recorded_choice_is_never_changed(world, child_client):
    child_client.post(CHOOSE, {"source": "interest", "label": "Trains"})
    choice = ChildChoice.objects.get()
    choice.label = "Something else"
    with pytest.raises(Exception, match="not changed"):
        choice.save()


def test_therapist_sees_what_the_child_chose_since_the_last_session(world, client_as, child_client):
    plan = make_plan(world.child, world.therapist)
    goal = make_goal(plan)
    yesterday = clinic_today() - datetime.timedelta(days=1)
    record_sessions(world.therapist, world.child, [(yesterday, {goal: (50.0, 0)})])
    ChildChoice.objects.create(
        organization=world.org,
        child=world.child,
        label="Old pick",
        source="interest",
        during_session_of=world.guardian,
        chosen_at=timezone.now() - datetime.timedelta(days=10),
    )
    child_client.post(CHOOSE, {"source": "interest", "label": "Trains"})
    response = client_as(world.therapist).get(choices_url(world.child))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Maya chose…" in body
    assert "Trains" in body and "Old pick" in body
    assert body.count("since the last session") == 1
    assert body.index("Trains") < body.index("Old pick")
    assert world.guardian.display_name in body


def test_choices_page_is_for_the_team_only(world, client_as):
    assert client_as(world.consulting_therapist).get(choices_url(world.child)).status_code == 200
    for outsider in (
        world.guardian,
        world.unassigned_therapist,
        world.foreign_therapist,
        world.collaborator,
    ):
        assert client_as(outsider).get(choices_url(world.child)).status_code == 404


def test_choices_page_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    client = client_as(world.therapist)
    client.get(choices_url(world.child))  # the session's first request does its own writes
    with django_assert_max_num_queries(16) as few:
        assert client.get(choices_url(world.child)).status_code == 200
    for n in range(30):
        ChildChoice.objects.create(
            organization=world.org,
            child=world.child,
            label=f"Pick {n}",
            source="interest",
            during_session_of=world.guardian if n % 2 else world.therapist,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(choices_url(world.child)).status_code == 200
