"""Every refusal is JSON: malformed bodies, ids and parameters never reach a 500."""

import pytest
from pytest_django import Settings

from tandem.api.tests.conftest import ApiAs
from tandem.children.models import Child
from tandem.conftest import World

BAD_IDS = ["not-a-uuid", "1", "00000000-0000-0000-0000-00000000000g", "%20"]


def test_malformed_json_is_400(world: World, api_as: ApiAs) -> None:
    api = api_as(world.admin)
    response = api.client.generic(
        "PATCH",
        f"/api/v1/children/{world.child.id}",
        "{version: 1",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_body_that_is_not_an_object_is_422(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin).patch(f"/children/{world.child.id}", ["version", 1])
    assert response.status_code == 422


def test_unknown_fields_are_422_with_the_field_named(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin).patch(
        f"/children/{world.child.id}",
        {"version": 1, "organization": str(world.foreign_child.organization_id)},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "organization"
    assert Child.objects.get(pk=world.child.pk).organization_id == world.child.organization_id


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_malformed_ids_in_the_path_are_404_or_422(world: World, api_as: ApiAs, bad_id: str) -> None:
    api = api_as(world.admin)
    for call in (
        lambda: api.get(f"/children/{bad_id}"),
        lambda: api.get(f"/children/{bad_id}/guardians"),
        lambda: api.patch(f"/children/{bad_id}", {"version": 1}),
        lambda: api.delete(f"/children/{bad_id}?version=1"),
        lambda: api.patch(f"/children/{world.child.id}/care-team/{bad_id}", {"role": "lead"}),
    ):
        response = call()
        assert response.status_code in (404, 422)
        assert response["Content-Type"].startswith("application/json")


def test_a_missing_child_is_404_with_the_plain_message(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin).get("/children/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_wrong_query_parameter_types_are_422(world: World, api_as: ApiAs) -> None:
    api = api_as(world.admin)
    assert api.get("/children", {"limit": "many"}).status_code == 422
    assert api.delete(f"/children/{world.child.id}?version=latest").status_code == 422


def test_a_body_over_the_upload_limit_is_413(
    world: World, api_as: ApiAs, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(world.admin).patch(
        f"/children/{world.child.id}", {"version": 1, "school": "x" * 2000}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}
    assert Child.objects.get(pk=world.child.pk).school != "x" * 2000
