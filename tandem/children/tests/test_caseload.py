"""The staff caseload: who appears, search, pages, and a query count that does not grow."""

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tandem.children.models import TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs

URL = reverse("children:caseload")


def test_therapist_sees_only_their_care_team_children(world: World, client_as: ClientAs) -> None:
    body = client_as(world.therapist).get(URL).content.decode()
    assert "Maya Okafor" in body and "Eli Okafor" in body
    assert "Noah Berg" not in body
    assert "Zara Lind" not in body


def test_admin_sees_every_child_of_the_clinic_and_none_of_another(
    world: World, client_as: ClientAs
) -> None:
    body = client_as(world.admin).get(URL).content.decode()
    for name in ("Maya Okafor", "Eli Okafor", "Noah Berg"):
        assert name in body
    assert "Zara Lind" not in body


def test_search_narrows_by_name_and_htmx_gets_only_the_results(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.admin)
    response = client.get(URL, {"q": "noah"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Noah Berg" in body and "Maya Okafor" not in body
    assert "<html" not in body  # a partial, not the whole page


def test_search_with_no_match_says_so(world: World, client_as: ClientAs) -> None:
    body = client_as(world.admin).get(URL, {"q": "zzz"}).content.decode()
    assert "No child matches" in body


def test_archived_children_are_not_listed(world: World, client_as: ClientAs) -> None:
    from tandem.children.actions import archive_child

    archive_child(world.other_child, expected_version=world.other_child.version)
    body = client_as(world.admin).get(URL).content.decode()
    assert "Noah Berg" not in body


def test_caseload_pages_at_25(world: World, client_as: ClientAs) -> None:
    for i in range(30):
        child = f.ChildFactory(organization=world.org, last_name=f"Zz{i:02d}")
        f.CareTeamMemberFactory(child=child, therapist=world.therapist, role=TeamRole.LEAD)
    client = client_as(world.therapist)
    first = client.get(URL).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Zz29" in second and "Zz00" not in second


@pytest.mark.parametrize("extra", [0, 40])
def test_caseload_query_count_does_not_grow_with_children(
    world: World,
    client_as: ClientAs,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    extra: int,
) -> None:
    for _ in range(extra):
        child = f.ChildFactory(organization=world.org)
        f.CareTeamMemberFactory(child=child, therapist=world.therapist, role=TeamRole.LEAD)
        f.GuardianLinkFactory(child=child)
    client = client_as(world.therapist)
    with django_assert_max_num_queries(18):
        assert client.get(URL).status_code == 200


def test_guardians_have_no_caseload(world: World, client_as: ClientAs) -> None:
    assert client_as(world.guardian).get(URL).status_code == 404
