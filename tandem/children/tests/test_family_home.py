"""A guardian's home lists their own children and nobody else's."""

from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs

URL = reverse("homeprogram:family_home")

# A warmed-up request: the session, the member with their clinic, then the page (its
# "For you" strip reads the times offered, the reports shared lately, the questionnaires
# asked and the school plans in force: four queries).
BUDGET_FAMILY_HOME = 15


def test_guardian_sees_both_of_their_children_only(world: World, client_as: ClientAs) -> None:
    body = client_as(world.guardian).get(URL).content.decode()
    assert "Maya Okafor" in body and "Eli Okafor" in body
    assert "Noah Berg" not in body and "Zara Lind" not in body


def test_home_redirects_each_role_to_its_home(world: World, client_as: ClientAs) -> None:
    assert client_as(world.guardian).get("/")["Location"] == URL
    assert client_as(world.therapist).get("/")["Location"] == reverse("today:home")
    assert client_as(world.admin).get("/")["Location"] == reverse("today:home")
    assert client_as(world.front_desk).get("/")["Location"] == reverse("children:caseload")


def test_guardian_with_no_children_gets_a_kind_empty_state(
    world: World, client_as: ClientAs
) -> None:
    lonely = f.GuardianFactory(organization=world.org)
    body = client_as(lonely).get(URL).content.decode()
    assert "will appear here" in body


def test_family_home_query_count_is_bounded(
    world: World, client_as: ClientAs, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(8):
        f.GuardianLinkFactory(child=f.ChildFactory(organization=world.org), guardian=world.guardian)
    client = client_as(world.guardian)
    client.get(URL)  # the first request records the device and keeps the badge
    # The session and the member with their clinic, then the page (two of its queries:
    # the plans waiting for the guardian's signature and the check-ins due).
    with django_assert_max_num_queries(BUDGET_FAMILY_HOME):
        assert client.get(URL).status_code == 200


def test_collaborator_sees_no_children_yet(world: World, client_as: ClientAs) -> None:
    response = client_as(world.collaborator).get("/")
    assert response.status_code == 200
    assert "No family has shared" in response.content.decode()
