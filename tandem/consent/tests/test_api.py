"""The consent API: families give and withdraw consents; collaborators read what is shared."""

import datetime
import json

import pytest
from django.core import mail

from tandem.accounts.models import Membership
from tandem.audit.models import AccessLog
from tandem.consent.models import ConsentGrant
from tandem.core.testing import factories as f
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions

from .helpers import clinic_today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

API = "/api/v1"


def post(client, url, body):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def consent_body(child, **changes):  # type: ignore[no-untyped-def]
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
    assert client_as(world.guardian).get(f"{API}/consents/children").status_code == 403


def test_collaborator_reads_the_shared_summary_and_it_is_logged(world, client_as):
    goal = make_goal(make_plan(world.child, world.therapist), statement="Hops on one foot")
    record_sessions(world.therapist, world.child, [(datetime.date(2024, 2, 5), {goal: (3.0, -1)})])
    client = client_as(world.consented_collaborator)
    data = client.get(f"{API}/children/{world.child.id}/shared/summary").json()
    assert [g["statement"] for g in data["goals"]] == ["Hops on one foot"]
    assert data["goals"][0]["readings"][0]["gas_level"] == -1
    assert AccessLog.objects.filter(
        user=world.consented_collaborator.user, child=world.child
    ).exists()
    # The summary does not open the notes.
    assert client.get(f"{API}/children/{world.child.id}/shared/notes").status_code == 404


def test_shared_notes_are_signed_notes_only(world, client_as):
    goal = make_goal(make_plan(world.other_child, world.unassigned_therapist))
    record_sessions(
        world.unassigned_therapist,
        world.other_child,
        [(datetime.date(2024, 2, 5), {goal: (50.0, 0)})],
    )
    record_sessions(
        world.unassigned_therapist,
        world.other_child,
        [(datetime.date(2024, 2, 6), {goal: (50.0, 0)})],
        status="draft",
    )
    client = client_as(world.consented_collaborator)  # every part of Noah's record
    data = client.get(f"{API}/children/{world.other_child.id}/shared/notes").json()
    assert data["count"] == 1 and data["items"][0]["date"] == "2024-02-05"


def test_collaborator_posts_an_observation_when_the_consent_allows(world, client_as):
    goal = make_goal(make_plan(world.other_child, world.unassigned_therapist))
    url = f"{API}/children/{world.other_child.id}/shared/observations"
    body = {"goal_id": str(goal.id), "setting": "school", "independence": "independent"}
    response = post(client_as(world.consented_collaborator), url, body)  # all of Noah's
    assert response.status_code == 201, response.content
    assert response.json()["setting"] == "school"
    maya = make_goal(make_plan(world.child, world.therapist))
    url = f"{API}/children/{world.child.id}/shared/observations"
    body["goal_id"] = str(maya.id)
    assert post(client_as(world.consented_collaborator), url, body).status_code == 404
    assert post(client_as(world.revoked_collaborator), url, body).status_code == 404
