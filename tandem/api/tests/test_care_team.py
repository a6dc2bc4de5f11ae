"""/children/{id}/care-team: who treats the child; clinic admins change the team."""

import pytest

from tandem.accounts.models import Membership
from tandem.api.tests.conftest import ApiAs
from tandem.audit.models import AccessLog
from tandem.children.models import CareTeamMember, Child, TeamRole
from tandem.conftest import World


def team(child: Child) -> str:
    return f"/children/{child.id}/care-team"


def seat_of(world: World, therapist: Membership) -> CareTeamMember:
    return CareTeamMember.objects.get(child=world.child, therapist=therapist)


@pytest.mark.parametrize("persona", ["admin", "therapist", "consulting_therapist", "guardian"])
def test_team_and_family_see_the_care_team(world: World, api_as: ApiAs, persona: str) -> None:
    response = api_as(getattr(world, persona)).get(team(world.child))
    assert response.status_code == 200
    seats = {s["therapist"]["id"]: (s["role"], s["can_edit"]) for s in response.json()}
    assert seats == {
        str(world.therapist.id): ("lead", True),
        str(world.assistant.id): ("treating", True),
        str(world.consulting_therapist.id): ("consulting", False),
    }


@pytest.mark.parametrize("persona", ["unassigned_therapist", "other_guardian", "foreign_therapist"])
def test_outsiders_get_404(world: World, api_as: ApiAs, persona: str) -> None:
    assert api_as(getattr(world, persona)).get(team(world.child)).status_code == 404


def test_reading_the_team_is_logged(world: World, api_as: ApiAs) -> None:
    api_as(world.guardian).get(team(world.child))
    assert AccessLog.objects.filter(user=world.guardian.user, child=world.child).exists()


def test_admin_adds_a_therapist_to_the_team(world: World, api_as: ApiAs) -> None:
    data = {"therapist_id": str(world.unassigned_therapist.id), "role": "treating"}
    response = api_as(world.admin).post(team(world.child), data)
    assert response.status_code == 201
    seat = seat_of(world, world.unassigned_therapist)
    assert seat.role == TeamRole.TREATING
    assert seat.history.get().history_user == world.admin.user
    assert api_as(world.unassigned_therapist).get(f"/children/{world.child.id}").status_code == 200


@pytest.mark.parametrize("who", ["foreign_therapist", "guardian", "admin"])
def test_only_a_therapist_of_the_clinic_can_join(world: World, api_as: ApiAs, who: str) -> None:
    data = {"therapist_id": str(getattr(world, who).id), "role": "lead"}
    response = api_as(world.admin).post(team(world.child), data)
    assert response.status_code == 422
    assert "therapist_id" in response.json()["detail"]
    assert world.child.care_team.count() == 3


def test_a_therapist_already_on_the_team_is_422(world: World, api_as: ApiAs) -> None:
    data = {"therapist_id": str(world.therapist.id), "role": "consulting"}
    assert api_as(world.admin).post(team(world.child), data).status_code == 422
    assert seat_of(world, world.therapist).role == TeamRole.LEAD


@pytest.mark.parametrize(
    "data",
    [{}, {"therapist_id": "x", "role": "lead"}, {"therapist_id": None, "role": "boss"}],
)
def test_bad_input_is_422(world: World, api_as: ApiAs, data: dict[str, object]) -> None:
    assert api_as(world.admin).post(team(world.child), data).status_code == 422
    assert world.child.care_team.count() == 3


@pytest.mark.parametrize("persona", ["therapist", "consulting_therapist", "guardian"])
def test_only_admins_change_the_team(world: World, api_as: ApiAs, persona: str) -> None:
    api = api_as(getattr(world, persona))
    seat = seat_of(world, world.consulting_therapist)
    data = {"therapist_id": str(world.unassigned_therapist.id), "role": "lead"}
    assert api.post(team(world.child), data).status_code == 403
    assert api.patch(f"{team(world.child)}/{seat.id}", {"role": "lead"}).status_code == 403
    assert api.delete(f"{team(world.child)}/{seat.id}").status_code == 403
    assert world.child.care_team.count() == 3


def test_admin_changes_a_role_on_the_team(world: World, api_as: ApiAs) -> None:
    seat = seat_of(world, world.consulting_therapist)
    response = api_as(world.admin).patch(f"{team(world.child)}/{seat.id}", {"role": "treating"})
    assert response.status_code == 200
    assert response.json()["can_edit"] is True
    assert seat_of(world, world.consulting_therapist).role == TeamRole.TREATING


def test_a_bad_role_is_422_and_changes_nothing(world: World, api_as: ApiAs) -> None:
    seat = seat_of(world, world.consulting_therapist)
    for data in ({"role": "boss"}, {}, {"role": "lead", "therapist_id": str(world.admin.id)}):
        assert api_as(world.admin).patch(f"{team(world.child)}/{seat.id}", data).status_code == 422
    assert seat_of(world, world.consulting_therapist).role == TeamRole.CONSULTING


def test_admin_takes_a_therapist_off_the_team(world: World, api_as: ApiAs) -> None:
    seat = seat_of(world, world.consulting_therapist)
    assert api_as(world.admin).delete(f"{team(world.child)}/{seat.id}").status_code == 204
    api = api_as(world.consulting_therapist)
    assert api.get(f"/children/{world.child.id}").status_code == 404


def test_a_seat_of_another_child_is_404_through_this_child(world: World, api_as: ApiAs) -> None:
    other = CareTeamMember.objects.get(child=world.other_child)
    url = f"{team(world.child)}/{other.id}"
    assert api_as(world.admin).patch(url, {"role": "consulting"}).status_code == 404
    assert api_as(world.admin).delete(url).status_code == 404
    assert CareTeamMember.objects.get(pk=other.pk).role == TeamRole.LEAD
