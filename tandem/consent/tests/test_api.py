"""The consent API: families give and withdraw consents; collaborators list theirs."""

import datetime
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.consent.models import ConsentGrant
from tandem.core.testing import factories as f

from .helpers import clinic_today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

API = "/api/v1"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def consent_body(child: Child, **changes: Any) -> dict[str, Any]:
    body = {
        "email": "dr.lee@clinic.example.org",
        "first_name": "Sam",
        "last_name": "Lee",
        "role_title": "Pediatrician",
        "shares": ["summary", "notes"],
        "expires_on": (clinic_today(child) + datetime.timedelta(days=60)).isoformat(),
    }
    return body | changes


def test_guardian_gives_a_consent_and_an_invitation_goes_out(world, client_as):
    url = f"{API}/children/{world.child.id}/consents"
    response = post(client_as(world.guardian), url, consent_body(world.child))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["shares"] == ["summary", "notes"] and data["active"] is True
    assert data["collaborator"]["name"] == "Sam Lee"
    assert Membership.objects.get(user__email="dr.lee@clinic.example.org").role == "collaborator"
    assert mail.outbox[-1].to == ["dr.lee@clinic.example.org"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"shares": []}, None),
        ({"shares": ["everything"]}, None),
        ({"expires_on": "2020-01-01"}, "expires_on"),
        ({"email": "nope"}, "email"),
        ({"surprise": True}, None),
    ],
)
def test_bad_input_is_a_422_and_changes_nothing(world, client_as, changes, field):
    count = ConsentGrant.objects.count()
    url = f"{API}/children/{world.child.id}/consents"
    response = post(client_as(world.guardian), url, consent_body(world.child, **changes))
    assert response.status_code == 422
    if field:
        assert field in response.json()["detail"]
    assert ConsentGrant.objects.count() == count


def test_guardian_without_legal_authority_gets_403(world, client_as):
    grandpa = f.GuardianLinkFactory(child=world.child, has_legal_authority=False).guardian
    url = f"{API}/children/{world.child.id}/consents"
    assert post(client_as(grandpa), url, consent_body(world.child)).status_code == 403
    assert post(client_as(world.admin), url, consent_body(world.child)).status_code == 403
    assert not Membership.objects.filter(user__email="dr.lee@clinic.example.org").exists()


def test_guardian_lists_and_withdraws_consents(world, client_as):
    client = client_as(world.guardian)
    listed = client.get(f"{API}/children/{world.child.id}/consents").json()
    active = [c for c in listed if c["active"]]
    assert [c["collaborator"]["id"] for c in active] == [str(world.consented_collaborator.id)]
    grant_id = active[0]["id"]
    response = post(client, f"{API}/children/{world.child.id}/consents/{grant_id}/revoke", {})
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert response.json()["revoked_by"]["id"] == str(world.guardian.id)
    teacher = client_as(world.consented_collaborator)
    assert teacher.get(f"{API}/children/{world.child.id}/shared/summary").status_code == 404


def test_collaborator_lists_their_shared_children(world, client_as):
    data = client_as(world.consented_collaborator).get(f"{API}/consents/children").json()
    assert {d["name"] for d in data} == {"Maya Okafor", "Noah Berg"}
    assert client_as(world.expired_collaborator).get(f"{API}/consents/children").json() == []
    # A list for collaborators only: for anyone else it is not there.
    assert client_as(world.guardian).get(f"{API}/consents/children").status_code == 404
