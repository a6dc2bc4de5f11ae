"""The child's page: goals in their words with stars and a plant, the board, read-aloud."""

import html
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.childmode.reading import domain_words, interests, stars_for
from tandem.children.models import Child
from tandem.conftest import World
from tandem.plans.models import Goal
from tandem.progress.tests.helpers import make_goal, make_plan

from .helpers import goals_with_levels

HOME = reverse("childmode:home")


@pytest.fixture
def child_client(world: World, client_as: Callable[[Membership], Client]) -> Client:
    client = client_as(world.guardian)
    client.post(reverse("childmode:enter"), {"child": str(world.child.id)})
    return client


def test_gas_levels_become_one_to_five_stars():
    assert [stars_for(level) for level in (-2, -1, 0, 1, 2)] == [1, 2, 3, 4, 5]
    assert stars_for(None) == 1


def test_goals_show_in_the_childs_words_with_stars_from_the_latest_level(world, child_client):
    goals_with_levels(world.child, world.therapist, {"I want to ride my bike": 1, "": None})
    body = child_client.get(HOME).content.decode()
    assert "I want to ride my bike" in body
    assert "4 of 5 stars" in body  # latest level +1 (an earlier −2 does not count)
    # The goal without the child's words is said simply, from its domain.
    assert domain_words("fine_motor") in body
    assert "1 of 5 stars" in body  # no session yet: the baseline −2


def test_child_chosen_goals_come_first_and_are_marked(world, child_client):
    plan = make_plan(world.child, world.therapist)
    make_goal(plan, child_words="Tie my shoes", position=0)
    make_goal(plan, child_words="Swim like a fish", child_chosen=True, position=1)
    body = child_client.get(HOME).content.decode()
    assert body.index("Swim like a fish") < body.index("Tie my shoes")
    assert "I chose this goal" in body


def test_drafts_and_discontinued_goals_are_not_shown(world, child_client):
    make_goal(make_plan(world.child, world.therapist, status="draft"), child_words="Secret draft")
    make_goal(
        make_plan(world.child, world.therapist, discipline="slp"),
        child_words="Dropped goal",
        status="discontinued",
        status_reason="Family priorities changed",
    )
    body = child_client.get(HOME).content.decode()
    assert "Secret draft" not in body and "Dropped goal" not in body
    assert "My goals will be here soon." in body


def test_a_met_goal_has_all_its_stars_and_a_flower(world, child_client):
    make_goal(make_plan(world.child, world.therapist), child_words="Climb the ladder", status="met")
    body = child_client.get(HOME).content.decode()
    assert "5 of 5 stars" in body and "I did it!" in body
    assert 'class="flower"' in body
    # A celebration: a bursting star that moves only without prefers-reduced-motion.
    assert 'class="celebrate"' in body and "You reached this goal. Hooray!" in body


def test_the_childs_own_words_win_over_the_drafted_i_can(world, child_client):
    """A goal the child chose in their own words keeps them, reached or not; the drafted
    "I can …" is for a reached goal the child has no words for."""
    plan = make_plan(world.child, world.therapist)
    drafted = {
        "child_wording_en": "I can use my hands.",
        "child_wording_es": "Puedo usar mis manos.",
    }
    make_goal(plan, child_words="Ride my bike to Grandma's", child_chosen=True, **drafted)
    make_goal(plan, child_words="Climb the big tree", child_chosen=True, status="met", **drafted)
    make_goal(
        plan,
        child_words="",
        status="met",
        domain="self_care",
        child_wording_en="I can do my own buttons.",
        child_wording_es="Puedo abrocharme los botones.",
    )
    body = html.unescape(child_client.get(HOME).content.decode())
    assert "Ride my bike to Grandma's" in body and "Climb the big tree" in body
    assert "Climb the big tree I did it!" in body
    assert "I can use my hands." not in body  # the draft never covers the child's words
    assert "I can do my own buttons." in body  # no words of the child's: the "I can …"


def test_interests_become_board_items(world):
    child = Child(interests="trains, water play; Dinosaurs and drawing\nTrains")
    assert interests(child) == ["Trains", "Water play", "Dinosaurs", "Drawing"]


def test_interest_tags_come_first_and_lead_the_board(world):
    from tandem.childmode.reading import choice_board
    from tandem.homeprogram.tests.helpers import make_activity

    world.child.interests = "Trains"
    world.child.interest_tags = ["dinosaurs"]
    world.child.save()
    assert interests(world.child) == ["Dinosaurs", "Trains"]
    make_activity(world.child, world.therapist, title="Stack the cups")
    make_activity(world.child, world.therapist, title="Dinosaur stomp walk")
    board = [item.label for item in choice_board(world.guardian, world.child)]
    assert board[:2] == ["Dinosaur stomp walk", "Stack the cups"]  # the child's interest first
    assert board[2:] == ["Dinosaurs", "Trains"]


def test_the_board_offers_the_childs_interests(world, child_client):
    body = child_client.get(HOME).content.decode()
    assert "What do you want to do?" in body
    assert ">Trains</span>" in body and ">Water play</span>" in body
    assert body.count(f'action="{reverse("childmode:choose")}"') == 2


def test_page_is_read_aloud_friendly_and_has_no_way_out_but_the_exit(world, child_client):
    goals_with_levels(world.child, world.therapist, {"Ride my bike": 0})
    body = child_client.get(HOME).content.decode()
    assert '<html lang="en">' in body
    assert "childmode/read-aloud.js" in body
    assert 'data-say="Ride my bike I have 3 of 5 stars."' in body
    assert "Read aloud" in body
    links = set(re.findall(r'href="(/[^"]*)"', body)) - {
        link for link in re.findall(r'href="(/static/[^"]*)"', body)
    }
    # The exit, and the faces page (child mode's own: the child rates their goals).
    assert links == {reverse("childmode:exit"), reverse("childmode:faces")}
    assert not re.search(r'(src|href)="(https?:)?//', body), "every asset is served by Tandem"


def test_the_page_speaks_spanish_to_a_spanish_speaking_family(world, child_client):
    world.guardian.user.language = "es"
    world.guardian.user.save()
    body = child_client.get(HOME).content.decode()
    assert '<html lang="es">' in body


def test_query_count_does_not_grow_with_goals(world, child_client, django_assert_max_num_queries):
    goals_with_levels(world.child, world.therapist, {"One": 0})
    child_client.get(HOME)
    with django_assert_max_num_queries(16) as few:
        assert child_client.get(HOME).status_code == 200
    more = {f"Goal {n}": n % 3 - 1 for n in range(8)}
    goals_with_levels(world.child, world.therapist, more, discipline="slp")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert child_client.get(HOME).status_code == 200
    assert Goal.objects.filter(child=world.child).count() == 9
