"""The groups API: the same rules and actions as the pages."""

from typing import Any

import pytest
import time_machine

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.groups.models import Enrolment, GroupProgram
from tandem.groups.tests.test_groups import group_of_four, next_monday, social_goal
from tandem.notes.models import GoalData, NoteStatus, SessionNote

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
JSON = "application/json"
__all__ = ["group_of_four"]  # the fixture, shared with the page tests


def group_body(world: World, **changes: Any) -> dict[str, Any]:
    day = next_monday(world.child)
    body = {
        "name": "Movers and shakers",
        "kind": "motor",
        "discipline": "pt",
        "description": "Obstacle courses and ball games.",
        "min_age_months": 48,
        "max_age_months": 83,
        "target_domains": ["gross_motor"],
        "leader_id": str(world.unassigned_therapist.pk),
        "starts_at": f"{day.isoformat()}T15:00:00",
        "weeks": 6,
    }
    body.update(changes)
    return body


def test_starting_a_group_once_per_key(world: World, client_as: ClientAs) -> None:
    client = client_as(world.front_desk)
    headers = {"Idempotency-Key": "start-movers-1"}
    first = client.post("/api/v1/groups", group_body(world), JSON, headers=headers)
    again = client.post("/api/v1/groups", group_body(world), JSON, headers=headers)
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert GroupProgram.objects.count() == 1
    detail = client.get(f"/api/v1/groups/{first.json()['id']}").json()
    assert len(detail["sessions"]) == 6 and detail["places_taken"] == 0
    assert first.json()["rule"] == "FREQ=WEEKLY;INTERVAL=1;COUNT=6"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_domains": []}, "target_domains"),
        ({"target_domains": ["cooking"]}, "target_domains"),
        ({"leader_id": "00000000-0000-0000-0000-000000000000"}, "leader_id"),
        ({"starts_at": "2020-01-06T15:00:00"}, "starts_at"),
        ({"min_age_months": 80, "max_age_months": 50}, "max_age_months"),
    ],
)
def test_bad_group_details_are_a_422_naming_the_field(
    world: World, client_as: ClientAs, changes: dict[str, Any], field: str
) -> None:
    response = client_as(world.admin).post("/api/v1/groups", group_body(world, **changes), JSON)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not GroupProgram.objects.exists()


def test_suggest_invite_answer_and_record_through_the_api(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    program = group["program"]
    staff = client_as(world.therapist)
    maya, ruby, tomas, wren = group["children"]
    # The sibling would suit too: suggested, invited, and his family says no.
    social_goal(world.sibling, world.therapist, "Eli will join a game.")
    suggested = staff.get(f"/api/v1/groups/{program.id}/candidates").json()
    assert [c["child_name"] for c in suggested] == ["Eli Okafor"]
    assert suggested[0]["reasons"][0] == "1 active goal in social"
    invited = staff.post(
        f"/api/v1/groups/{program.id}/invitations", {"child_id": str(world.sibling.pk)}, JSON
    )
    assert invited.status_code == 201 and invited.json()["status"] == "invited"
    place = f"/api/v1/children/{world.sibling.pk}/groups/{invited.json()['id']}"
    refused = staff.post(place, {"action": "yes", "version": 1}, JSON)
    assert refused.status_code == 403
    said_no = client_as(world.guardian).post(place, {"action": "no", "version": 1}, JSON)
    assert said_no.status_code == 200 and said_no.json()["status"] == "declined"
    stale = client_as(world.guardian).post(place, {"action": "leave", "version": 1}, JSON)
    assert stale.status_code == 409
    # The group note.
    url = f"/api/v1/group-sessions/{group['session'].encounter_id}"
    goal = group["goals"][maya.pk]
    body = {
        "what_we_did": "Parachute games.",
        "sign": True,
        "children": [
            {
                "child_id": str(maya.pk),
                "attendance": "present",
                "note": "Took turns without a prompt.",
                "goal_data": {
                    str(goal.pk): {
                        "trials": [{"correct": True, "prompt": "independent"}] * 3,
                        "gas_level": 1,
                    }
                },
            },
            {"child_id": str(ruby.pk), "attendance": "absent"},
            {"child_id": str(tomas.pk), "attendance": "excused"},
            {"child_id": str(wren.pk), "attendance": "absent"},
        ],
    }
    with time_machine.travel(group["after"]):
        staff = client_as(world.therapist)  # signed in then: a session ages
        read = staff.get(url)
        assert read.status_code == 200, read.content
        assert [c["child_name"] for c in read.json()["children"]] == [
            "Maya Okafor",
            "Ruby Marsh",
            "Tomas Ibarra",
            "Wren Haddad",
        ]
        done = staff.post(url, body, JSON)
    assert done.status_code == 200, done.content
    maya_part = done.json()["children"][0]
    assert (maya_part["attendance"], maya_part["note_status"]) == ("present", "signed")
    note = SessionNote.objects.get(encounter=group["session"].encounter)
    assert (note.child, note.status) == (maya, NoteStatus.SIGNED)
    assert GoalData.objects.get(note=note).value == 100.0


def test_a_bad_group_note_is_a_422_and_changes_nothing(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    maya = group["children"][0]
    goal = group["goals"][maya.pk]
    url = f"/api/v1/group-sessions/{group['session'].encounter_id}"
    body = {
        "what_we_did": "Parachute games.",
        "sign": True,
        "children": [
            {
                "child_id": str(maya.pk),
                "attendance": "present",
                "note": "Fine.",
                "goal_data": {str(goal.pk): {"count": 3}},
            }
        ],
    }
    with time_machine.travel(group["after"]):
        response = client_as(world.therapist).post(url, body, JSON)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert "does not apply" in response.content.decode()
    assert not SessionNote.objects.filter(encounter=group["session"].encounter).exists()
    assert Enrolment.objects.filter(status="enrolled").count() == 4


@pytest.mark.parametrize(
    "part",
    [
        {"goal_data": "TRIALS"},
        {"duplicate": True},
    ],
)
def test_malformed_group_notes_are_a_422(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any], part: dict[str, Any]
) -> None:
    group = group_of_four
    maya = group["children"][0]
    goal = group["goals"][maya.pk]
    child = {
        "child_id": str(maya.pk),
        "attendance": "present",
        "note": "Fine.",
        "goal_data": {str(goal.pk): {"trials": [{"foo": 1}]}} if "goal_data" in part else {},
    }
    body = {"what_we_did": "Games.", "children": [child, child] if "duplicate" in part else [child]}
    with time_machine.travel(group["after"]):
        response = client_as(world.therapist).post(
            f"/api/v1/group-sessions/{group['session'].encounter_id}", body, JSON
        )
    assert response.status_code == 422
    assert not SessionNote.objects.filter(encounter=group["session"].encounter).exists()
