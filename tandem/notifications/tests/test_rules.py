"""The notifications rules: per person, never per child.

Every member — the front desk and billing included — opens their own notifications and
settings; none of them reads anyone else's, and a notification about a child they may
no longer see is hidden with the child.
"""

import json
from collections.abc import Callable
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.text import without_tokens
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db
API = "/api/v1"
SignIn = Callable[[Membership], Client]


def test_every_action_of_the_app_has_a_rule() -> None:
    actions = {name for name in registered() if name.startswith("notifications.")}
    assert actions == {"notifications.view", "notifications.read", "notifications.preferences"}


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.BILLING])
def test_the_office_opens_its_own_notifications(world: World, client_as: SignIn, role: str) -> None:
    member = cast(Membership, f.MembershipFactory(organization=world.org, role=role))
    notify([member], Kind.NEW_REPORT, child=world.child, detail="Spring report", url="/")
    notify([world.guardian], Kind.NEW_REPORT, child=world.sibling, detail="Eli's report")
    client = client_as(member)
    page = without_tokens(client.get(reverse("notifications:index")).content)
    assert "Spring report" in page and "Eli" not in page
    settings = reverse("notifications:preferences")
    assert client.get(settings).status_code == 200
    saved = client.post(
        settings, {"new_messages": "on", "quiet_start": "21:00", "quiet_end": "07:00"}
    )
    assert saved.status_code == 302
    assert Preference.objects.get(member=member).by_email is False
    listed = client.get(f"{API}/notifications").json()
    assert [n["title"] for n in listed["notifications"]] == ["A new report for Maya Okafor"]
    read = client.post(f"{API}/notifications/read", json.dumps({"all": True}), "application/json")
    assert read.status_code == 200 and read.json() == {"unread": 0}
    assert Notification.objects.get(recipient=world.guardian).read_at is None


def test_a_notification_about_a_child_no_longer_seen_is_hidden(
    world: World, client_as: SignIn
) -> None:
    notify([world.therapist], Kind.HANDOFF, child=world.child, actor_name="Ana")
    assert len(client_as(world.therapist).get(f"{API}/notifications").json()["notifications"]) == 1
    world.child.care_team.filter(therapist=world.therapist).delete()
    assert client_as(world.therapist).get(f"{API}/notifications").json()["notifications"] == []
