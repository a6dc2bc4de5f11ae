"""The messaging rules: the conversation is the family's and the care team's.

The front desk and billing see every child of the clinic, but the conversation, the
hand-offs and the check-ins are clinical: for them none of it is there (404), on the
pages and through the API. Within the team, a reader who may not change the check-in
schedule is refused (403), and only the family answers a check-in.
"""

import json
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.messaging.models import CheckIn, CheckInSchedule, Message
from tandem.messaging.tests.helpers import make_schedule, make_thread, sbar

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
API = "/api/v1"
SignIn = Callable[[Membership], Client]


def send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def test_every_action_of_the_app_has_a_rule() -> None:
    actions = {name for name in registered() if name.startswith("messaging.")}
    assert {
        "messaging.view",
        "messaging.post",
        "messaging.timeline",
        "messaging.handoff",
        "messaging.schedule_checkins",
        "messaging.checkin",
    } <= actions


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.BILLING])
def test_the_office_finds_no_conversation(world: World, client_as: SignIn, role: str) -> None:
    make_thread(world.child, world.guardian, world.therapist)
    member = cast(Membership, f.MembershipFactory(organization=world.org, role=role))
    client = client_as(member)
    child = world.child.id
    assert client.get(reverse("messaging:index", args=[child])).status_code == 404
    posted = client.post(reverse("messaging:post", args=[child]), {"body": "Hello"})
    assert posted.status_code == 404
    assert client.get(reverse("messaging:handoff_new", args=[child])).status_code == 404
    assert client.get(reverse("messaging:checkin_schedule", args=[child])).status_code == 404
    assert client.get(f"{API}/children/{child}/messages").status_code == 404
    api_post = client.post(f"{API}/children/{child}/messages", {"body": "Hello"})
    assert api_post.status_code == 404
    assert client.get(f"{API}/children/{child}/handoffs").status_code == 404
    handoff = {"recipient_id": str(world.consulting_therapist.id), **sbar()}
    assert send(client, "POST", f"{API}/children/{child}/handoffs", handoff).status_code == 404
    assert client.get(f"{API}/children/{child}/check-ins").status_code == 404
    assert client.get(f"{API}/children/{child}/check-ins/due").status_code == 404
    answer = send(client, "POST", f"{API}/children/{child}/check-ins/answers", {"hard": "x"})
    assert answer.status_code == 404
    # Their unread counts: none, since they take part in no conversation.
    assert client.get(f"{API}/messages/unread").json() == []
    assert Message.objects.count() == 2 and not CheckIn.objects.exists()


def test_the_family_may_not_change_the_check_in_schedule(world: World, client_as: SignIn) -> None:
    make_schedule(world.child, world.therapist)
    client = client_as(world.guardian)
    page = reverse("messaging:checkin_schedule", args=[world.child.id])
    assert client.get(page).status_code == 404
    assert client.post(page, {"every": 2, "unit": "weeks"}).status_code == 403
    change = {"every": 2, "unit": "weeks", "next_due_on": str(clinic_today()), "version": 1}
    url = f"{API}/children/{world.child.id}/check-ins/schedule"
    assert send(client, "PUT", url, change).status_code == 403
    assert CheckInSchedule.objects.get().every == 1


def test_only_the_family_answers_a_check_in(world: World, client_as: SignIn) -> None:
    make_schedule(world.child, world.therapist)
    page = reverse("messaging:checkin", args=[world.child.id])
    url = f"{API}/children/{world.child.id}/check-ins/answers"
    for staff in (world.admin, world.therapist):
        assert client_as(staff).get(page).status_code == 404
        assert send(client_as(staff), "POST", url, {"hard": "x"}).status_code == 403
    # An admin passes the first check, so a malformed answer is 422 for them, as for all.
    assert send(client_as(world.admin), "POST", url, {"wellbeing": 9}).status_code == 422
    assert send(client_as(world.guardian), "POST", url, {"hard": "x"}).status_code == 201
    assert CheckIn.objects.get().guardian == world.guardian


def test_read_receipts_and_the_timeline_are_the_teams(world: World, client_as: SignIn) -> None:
    make_thread(world.child, world.guardian, world.therapist, with_file=False)
    client_as(world.guardian).get(reverse("messaging:index", args=[world.child.id]))
    team = client_as(world.therapist).get(reverse("messaging:index", args=[world.child.id]))
    assert "Seen by" in team.content.decode() and "Team timeline" in team.content.decode()
    family = client_as(world.guardian).get(reverse("messaging:index", args=[world.child.id]))
    assert "Seen by" not in family.content.decode()
    assert "Team timeline" not in family.content.decode()
