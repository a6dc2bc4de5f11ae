"""POST /children: clinic admins add children; bad input is a 422 that adds nothing."""

import datetime

import pytest

from tandem.api.tests.conftest import ApiAs
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def new_child(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Ava",
        "last_name": "Moreno",
        "date_of_birth": (clinic_today() - datetime.timedelta(days=800)).isoformat(),
        "sex": "F",
        "preferred_languages": "Spanish, English",
        "interests": "Bubbles",
        "diagnoses": [{"code": "F80.1"}],
    }
    data.update(changes)
    return data


def test_admin_adds_a_child_to_the_clinic(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin).post("/children", new_child())
    assert response.status_code == 201
    body = response.json()
    child = Child.objects.get(pk=body["id"])
    assert child.organization_id == world.admin.organization_id
    assert (child.first_name, child.version, body["can_edit"]) == ("Ava", 1, True)
    assert [d["code"] for d in body["diagnoses"]] == ["F80.1"]
    assert child.history.get().history_user == world.admin.user


def test_admin_adds_a_child_over_a_token(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin, token=True).post("/children", new_child(diagnoses=[]))
    assert response.status_code == 201
    assert (
        Child.objects.get(pk=response.json()["id"]).history.get().history_user == world.admin.user
    )


@pytest.mark.parametrize("persona", ["therapist", "guardian", "collaborator"])
def test_only_admins_add_children(world: World, api_as: ApiAs, persona: str) -> None:
    response = api_as(getattr(world, persona)).post("/children", new_child())
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Child.objects.filter(first_name="Ava").exists()


def test_a_non_admin_gets_403_before_their_input_is_read(world: World, api_as: ApiAs) -> None:
    assert api_as(world.therapist).post("/children", {}).status_code == 403


def test_a_foreign_admin_adds_to_their_own_clinic_only(world: World, api_as: ApiAs) -> None:
    response = api_as(world.foreign_admin).post("/children", new_child())
    assert (
        Child.objects.get(pk=response.json()["id"]).organization_id
        == world.foreign_admin.organization_id
    )


FUTURE = (clinic_today() + datetime.timedelta(days=3)).isoformat()
TOO_OLD = (clinic_today() - datetime.timedelta(days=23 * 365)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"first_name": "   "}, "first_name"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"date_of_birth": FUTURE}, "date_of_birth"),
        ({"date_of_birth": TOO_OLD}, "date_of_birth"),
        ({"date_of_birth": "31/12/2020"}, "date_of_birth"),
        ({"sex": "X"}, "sex"),
        ({"gestational_age_weeks": 12}, "gestational_age_weeks"),
        ({"diagnoses": [{"code": "autism"}]}, "diagnoses"),
        ({"diagnoses": [{"code": "F80.1"}, {"code": "f80.1"}]}, "diagnoses"),
        ({"diagnoses": [{"code": "F80.1", "severity": "mild"}]}, "diagnoses"),
        ({"organization_id": "x"}, "organization_id"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_adds_nothing(
    world: World, api_as: ApiAs, changes: dict[str, object], field: str
) -> None:
    response = api_as(world.admin).post("/children", new_child(**changes))
    assert response.status_code == 422
    assert field in [part for error in response.json()["detail"] for part in error["loc"]]
    assert Child.objects.count() == 4


def test_missing_required_fields_are_422(world: World, api_as: ApiAs) -> None:
    response = api_as(world.admin).post("/children", {"first_name": "Ava"})
    assert response.status_code == 422
    missing = {error["loc"][-1] for error in response.json()["detail"]}
    assert {"last_name", "date_of_birth", "sex"} <= missing
