"""GET /children: each member's caseload, searchable, a page at a time, every child logged."""

import datetime
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from tandem.accounts.models import Membership, Organization
from tandem.api.tests.conftest import Api, ApiAs
from tandem.audit.models import AccessLog
from tandem.children.models import Diagnosis, TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.core.testing.types import Response

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def names(response: Response) -> set[str]:
    assert response.status_code == 200
    return {child["display_name"] for child in response.json()["items"]}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"Maya Okafor", "Eli Okafor", "Noah Berg"}),
        ("therapist", {"Maya Okafor", "Eli Okafor"}),
        ("consulting_therapist", {"Maya Okafor"}),
        ("unassigned_therapist", {"Noah Berg"}),
        ("guardian", {"Maya Okafor", "Eli Okafor"}),
        ("other_guardian", {"Noah Berg"}),
        ("collaborator", set()),
        ("foreign_admin", {"Zara Lind"}),
        ("foreign_guardian", {"Zara Lind"}),
    ],
)
def test_each_member_lists_only_the_children_they_may_see(
    world: World, api_as: ApiAs, persona: str, expected: set[str]
) -> None:
    assert names(api_as(getattr(world, persona)).get("/children")) == expected


def test_can_edit_tells_who_may_change_each_child(world: World, api_as: ApiAs) -> None:
    items = api_as(world.consulting_therapist).get("/children").json()["items"]
    assert [c["can_edit"] for c in items] == [False]
    items = api_as(world.therapist).get("/children").json()["items"]
    assert all(c["can_edit"] for c in items)


def test_search_matches_every_word_against_the_names(world: World, api_as: ApiAs) -> None:
    api = api_as(world.admin)
    assert names(api.get("/children", {"q": "okafor"})) == {"Maya Okafor", "Eli Okafor"}
    assert names(api.get("/children", {"q": "maya OKA"})) == {"Maya Okafor"}
    assert names(api.get("/children", {"q": "zara"})) == set()


def test_search_is_limited_to_100_characters(world: World, api_as: ApiAs) -> None:
    assert api_as(world.admin).get("/children", {"q": "x" * 101}).status_code == 422


def test_archived_children_are_not_listed(world: World, api_as: ApiAs) -> None:
    world.sibling.archived_at = timezone.now()
    world.sibling.save()
    assert "Eli Okafor" not in names(api_as(world.admin).get("/children"))


def test_pages_have_a_count_and_follow_limit_and_offset(world: World, api_as: ApiAs) -> None:
    api = api_as(world.admin)
    first = api.get("/children", {"limit": 2}).json()
    second = api.get("/children", {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1
    assert [c["display_name"] for c in first["items"]] == ["Noah Berg", "Eli Okafor"]


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}])
def test_page_size_is_between_1_and_100(
    world: World, api_as: ApiAs, params: dict[str, int]
) -> None:
    assert api_as(world.admin).get("/children", params).status_code == 422


def test_listing_logs_each_child_on_the_page_once(world: World, api_as: ApiAs) -> None:
    api_as(world.therapist).get("/children", {"limit": 1})
    rows = AccessLog.objects.filter(user=world.therapist.user)
    assert [(r.child_id, r.action) for r in rows] == [(world.sibling.id, AccessLog.Action.LIST)]


def test_a_page_of_children_is_one_access_log_row_naming_them_all(
    world: World, api_as: ApiAs
) -> None:
    """Issue 16: one row per list call, not one per child (the log grows fastest)."""
    items = api_as(world.admin).get("/children", {"limit": 100}).json()["items"]
    rows = AccessLog.objects.filter(user=world.admin.user)
    assert rows.count() == 1 and rows.get().child_id is None
    assert rows.children_shown() == {uuid.UUID(c["id"]) for c in items}
    assert len(items) > 1
    assert AccessLog.objects.about(world.child).filter(route="api:list_children").exists()


def _caseload(org: Organization, therapist: Membership, size: int) -> None:
    """Put ``size`` more children with two diagnoses each on the therapist's caseload."""
    born = clinic_today() - datetime.timedelta(days=3 * 365)
    for n in range(size):
        child: Any = f.ChildFactory(organization=org, date_of_birth=born, last_name=f"Child{n:02}")
        f.CareTeamMemberFactory(child=child, therapist=therapist, role=TeamRole.LEAD)
        for code in ("F80.1", "F82"):
            Diagnosis.objects.create(organization=org, child=child, code=code, label=code)


def _queries_for_list(api: Api) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/children", {"limit": 100})
    assert response.status_code == 200
    return len(queries)


# Measured: a token call is 5 queries (token, page, diagnoses, access-log insert, count);
# a session call adds the session, user, membership and allauth's user-session upkeep.
@pytest.mark.parametrize(("token", "budget"), [(True, 5), (False, 12)])
def test_list_query_count_does_not_grow_with_the_caseload(
    world: World,
    api_as: ApiAs,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    token: bool,
    budget: int,
) -> None:
    therapist = f.TherapistFactory(organization=world.org)
    api = api_as(therapist, token=token)
    _caseload(world.child.organization, therapist, 3)
    api.get("/children")  # first calls also stamp the token or start the session
    small = _queries_for_list(api)
    _caseload(world.child.organization, therapist, 27)
    assert len(api.get("/children", {"limit": 100}).json()["items"]) == 30
    assert _queries_for_list(api) == small
    with django_assert_max_num_queries(budget):
        api.get("/children", {"limit": 100})
