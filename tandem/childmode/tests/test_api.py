"""The child-mode API: goals and board, picks recorded by the adults who may, read by staff."""

import pytest
from django.http import HttpResponseBase

from tandem.accounts.models import Membership
from tandem.audit.models import AccessLog
from tandem.childmode.models import ChildChoice
from tandem.children.models import Child

from .helpers import goals_with_levels

homeprogram = pytest.importorskip("tandem.homeprogram.tests.helpers")
CHOICES = "/api/v1/child-mode/choices"


def board_path(child: Child) -> str:
    return f"/api/v1/children/{child.id}/child-mode"


def test_goals_and_board_for_those_who_see_the_child(world, client_as):
    goals_with_levels(world.child, world.therapist, {"Ride my bike": 2})
    for adult in (world.guardian, world.therapist, world.consulting_therapist, world.admin):
        response = client_as(adult).get(board_path(world.child))
        assert response.status_code == 200, adult
        data = response.json()
        assert data["first_name"] == "Maya"
        assert data["goals"][0] | {"id": None} == {
            "id": None,
            "words": "Ride my bike",
            "chosen_by_child": False,
            "is_met": False,
            "stars": 5,
            "domain": "fine_motor",
        }
        assert [item["label"] for item in data["board"]] == ["Trains", "Water play"]
    assert AccessLog.objects.filter(child=world.child, route__contains="child_mode").count() == 4


def test_outsiders_get_404(world, client_as):
    for outsider in (world.other_guardian, world.foreign_admin, world.collaborator):
        assert client_as(outsider).get(board_path(world.child)).status_code == 404


def test_guardian_records_a_pick(world, client_as):
    response = client_as(world.guardian).post(
        CHOICES,
        {"child_id": str(world.child.id), "source": "interest", "label": "trains"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["label"] == "Trains"
    assert response.json()["during_session_of"] == world.guardian.display_name
    assert ChildChoice.objects.get().during_session_of == world.guardian


def test_picking_a_home_activity_through_the_api(world, client_as):
    activity = homeprogram.make_activity(world.child, world.therapist)
    response = client_as(world.therapist).post(
        CHOICES,
        {
            "child_id": str(world.child.id),
            "source": "home_activity",
            "home_activity_id": str(activity.id),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["label"] == "Pinch the pegs"


def test_pick_rules(world, client_as):
    def pick(adult: Membership, child: Child, **extra: str) -> HttpResponseBase:
        body = {"child_id": str(child.id), "source": "interest", "label": "Trains"} | extra
        return client_as(adult).post(CHOICES, body, content_type="application/json")

    assert pick(world.consulting_therapist, world.child).status_code == 403
    assert pick(world.other_guardian, world.child).status_code == 404
    assert pick(world.foreign_guardian, world.child).status_code == 404
    assert pick(world.collaborator, world.child).status_code == 404
    not_on_board = pick(world.guardian, world.child, label="A pony")
    assert not_on_board.status_code == 422
    assert "label" in not_on_board.json()["detail"]
    assert pick(world.guardian, world.child, colour="blue").status_code == 422
    assert pick(world.guardian, world.child, source="other").status_code == 422
    assert not ChildChoice.objects.exists()


def test_staff_read_the_picks_families_do_not(world, client_as):
    ChildChoice.objects.create(
        organization=world.org,
        child=world.child,
        label="Trains",
        source="interest",
        during_session_of=world.guardian,
    )
    path = f"/api/v1/children/{world.child.id}/child-mode/choices"
    data = client_as(world.consulting_therapist).get(path).json()
    assert [c["label"] for c in data] == ["Trains"]
    assert data[0]["since_last_session"] is True
    assert client_as(world.guardian).get(path).status_code == 404
    assert client_as(world.unassigned_therapist).get(path).status_code == 404


def test_api_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    goals_with_levels(world.child, world.therapist, {f"Goal {n}": 0 for n in range(6)})
    homeprogram.make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    client.get(board_path(world.child))
    with django_assert_max_num_queries(14):
        assert client.get(board_path(world.child)).status_code == 200


def test_a_pick_names_its_child_in_the_body_and_is_answered_before_validation(world, client_as):
    """The child named in the body is checked before the rest of the body is read:
    an unseen child is 404 and a refused one 403 even when the pick is malformed; a
    body that names no child well is 422 (``permits_api(child_in_body=…)``)."""
    malformed = {"source": "not-a-source", "label": 7}
    foreign = {"child_id": str(world.foreign_child.id), **malformed}
    own = {"child_id": str(world.child.id), **malformed}
    guardian, consulting = client_as(world.guardian), client_as(world.consulting_therapist)
    answers = [
        guardian.post(CHOICES, foreign, content_type="application/json").status_code,
        guardian.post(CHOICES, own, content_type="application/json").status_code,
        consulting.post(CHOICES, own, content_type="application/json").status_code,
        guardian.post(CHOICES, malformed, content_type="application/json").status_code,
        guardian.post(
            CHOICES, {"child_id": "not-a-uuid", **malformed}, content_type="application/json"
        ).status_code,
        guardian.post(CHOICES, "[1, 2]", content_type="application/json").status_code,
    ]
    assert answers == [404, 422, 403, 422, 422, 422]
    assert not ChildChoice.objects.exists()
