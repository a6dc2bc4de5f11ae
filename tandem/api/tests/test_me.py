"""GET /me: who the caller is, as which member of which organization."""

import pytest

from tandem.api.tests.conftest import ApiAs
from tandem.conftest import World


@pytest.mark.parametrize(
    "persona", ["admin", "therapist", "assistant", "guardian", "collaborator", "foreign_admin"]
)
def test_every_member_sees_themselves(world: World, api_as: ApiAs, persona: str) -> None:
    member = getattr(world, persona)
    body = api_as(member).get("/me").json()
    assert body["membership"]["id"] == str(member.id)
    assert body["membership"]["role"] == member.role
    assert body["organization"]["id"] == str(member.organization_id)
    assert body["user"]["email"] == member.user.email


def test_an_assistant_is_told_so(world: World, api_as: ApiAs) -> None:
    body = api_as(world.assistant).get("/me").json()
    assert body["membership"]["is_assistant"] is True
    assert body["membership"]["discipline"] == "ot"


def test_me_shows_no_sequential_user_id(world: World, api_as: ApiAs) -> None:
    assert "id" not in api_as(world.admin).get("/me").json()["user"]


def test_a_person_without_an_active_membership_is_401(world: World, api_as: ApiAs) -> None:
    world.guardian.is_active = False
    world.guardian.save()
    assert api_as(world.guardian).get("/me").status_code == 401
