"""DELETE /children/{id}?version=n: clinic admins archive a child; the record is kept."""

import pytest

from tandem.api.tests.conftest import Api, ApiAs
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import Response


def archive(api: Api, child: Child, version: int = 1) -> Response:
    return api.delete(f"/children/{child.id}?version={version}")


def test_admin_archives_a_child_who_then_leaves_every_list(world: World, api_as: ApiAs) -> None:
    api = api_as(world.admin)
    response = archive(api, world.child)
    assert response.status_code == 204
    child = Child.objects.get(pk=world.child.pk)
    assert child.archived_at is not None
    assert child.version == 2
    assert child.history.latest("history_date").history_user == world.admin.user
    assert "Maya Okafor" not in api.get("/children").content.decode()
    assert api.get(f"/children/{world.child.id}").status_code == 404
    assert api_as(world.guardian).get(f"/children/{world.child.id}").status_code == 404


@pytest.mark.parametrize("persona", ["therapist", "consulting_therapist", "guardian"])
def test_only_admins_archive(world: World, api_as: ApiAs, persona: str) -> None:
    response = archive(api_as(getattr(world, persona)), world.child)
    assert response.status_code == 403
    assert Child.objects.get(pk=world.child.pk).archived_at is None


@pytest.mark.parametrize("persona", ["foreign_admin", "other_guardian", "unassigned_therapist"])
def test_outsiders_get_404(world: World, api_as: ApiAs, persona: str) -> None:
    assert archive(api_as(getattr(world, persona)), world.child).status_code == 404
    assert Child.objects.get(pk=world.child.pk).archived_at is None


def test_stale_version_is_409_and_nothing_is_archived(world: World, api_as: ApiAs) -> None:
    api_as(world.therapist).patch(f"/children/{world.child.id}", {"version": 1, "school": "Oak"})
    response = archive(api_as(world.admin), world.child, version=1)
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Child.objects.get(pk=world.child.pk).archived_at is None


def test_version_is_required(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin).delete(f"/children/{world.child.id}")
    assert response.status_code == 422
    assert Child.objects.get(pk=world.child.pk).archived_at is None
