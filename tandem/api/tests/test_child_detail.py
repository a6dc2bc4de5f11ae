"""GET /children/{id}: one record for those who may see it, 404 for everyone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from tandem.api.tests.conftest import ApiAs
from tandem.audit.models import AccessLog
from tandem.children.models import Child, Diagnosis
from tandem.conftest import World

SEES_CHILD = ["admin", "therapist", "consulting_therapist", "assistant", "guardian"]
OUTSIDERS = [
    "unassigned_therapist",
    "other_guardian",
    "collaborator",
    "foreign_admin",
    "foreign_therapist",
    "foreign_guardian",
]


@pytest.mark.parametrize("persona", SEES_CHILD)
def test_team_and_family_see_the_record(world: World, api_as: ApiAs, persona: str) -> None:
    response = api_as(getattr(world, persona)).get(f"/children/{world.child.id}")
    assert response.status_code == 200
    assert response.json()["display_name"] == "Maya Okafor"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_and_learn_nothing(world: World, api_as: ApiAs, persona: str) -> None:
    response = api_as(getattr(world, persona)).get(f"/children/{world.child.id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert "Maya" not in response.content.decode()


def test_foreign_admin_cannot_open_our_child_by_id_and_we_cannot_open_theirs(
    world: World, api_as: ApiAs
) -> None:
    assert api_as(world.admin).get(f"/children/{world.foreign_child.id}").status_code == 404
    assert api_as(world.foreign_admin).get(f"/children/{world.child.id}").status_code == 404


def test_record_shows_diagnoses_version_age_and_can_edit(world: World, api_as: ApiAs) -> None:
    Diagnosis.objects.create(
        organization=world.child.organization,
        child=world.child,
        code="F84.0",
        label="Autistic disorder",
    )
    body = api_as(world.therapist).get(f"/children/{world.child.id}").json()
    assert body["diagnoses"] == [{"code": "F84.0", "label": "Autistic disorder"}]
    assert body["version"] == 1
    assert body["can_edit"] is True
    assert body["age"]["years"] == 4 or body["age"]["years"] == 5
    assert api_as(world.guardian).get(f"/children/{world.child.id}").json()["can_edit"] is False


def test_each_view_writes_an_access_log_row(world: World, api_as: ApiAs) -> None:
    api_as(world.guardian).get(f"/children/{world.child.id}")
    row = AccessLog.objects.get(user=world.guardian.user)
    assert (row.child_id, row.action) == (world.child.id, AccessLog.Action.VIEW)
    assert row.path == f"/api/v1/children/{world.child.id}"


def test_refused_views_are_not_logged(world: World, api_as: ApiAs) -> None:
    api_as(world.other_guardian).get(f"/children/{world.child.id}")
    rows = AccessLog.objects.filter(user=world.other_guardian.user)  # the refusal, no view
    assert [r.action for r in rows] == [AccessLog.Action.REFUSED]


@pytest.mark.parametrize(("token", "budget"), [(True, 4), (False, 11)])
def test_detail_query_count_does_not_grow_with_the_diagnoses(
    world: World,
    api_as: ApiAs,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    token: bool,
    budget: int,
) -> None:
    api = api_as(world.therapist, token=token)
    api.get(f"/children/{world.child.id}")  # first calls also stamp the token or start the session
    with CaptureQueriesContext(connection) as plain:
        api.get(f"/children/{world.child.id}")
    for code in ("F80.1", "F82", "F84.0", "F88", "Q90.9"):
        Diagnosis.objects.create(
            organization=world.child.organization, child=world.child, code=code, label=code
        )
    with CaptureQueriesContext(connection) as full:
        assert len(api.get(f"/children/{world.child.id}").json()["diagnoses"]) == 5
    assert len(full) == len(plain)
    with django_assert_max_num_queries(budget):
        api.get(f"/children/{world.child.id}")


@pytest.mark.parametrize("token", [True, False])
def test_the_access_check_and_the_view_read_the_child_once(
    world: World, api_as: ApiAs, token: bool
) -> None:
    """The check (permits_api) admits the child; the view answers with that same child
    (issue 16): one read of the child's row, not one per layer."""
    api = api_as(world.therapist, token=token)
    api.get(f"/children/{world.child.id}")  # first calls also stamp the token or start the session
    table = f'FROM "{Child._meta.db_table}"'
    with CaptureQueriesContext(connection) as captured:
        assert api.get(f"/children/{world.child.id}").status_code == 200
    reads = [
        q["sql"] for q in captured if q["sql"].lstrip().startswith("SELECT") and table in q["sql"]
    ]
    assert len(reads) == 1, reads
