"""The collaborators' API: what a consent shares, read and posted as it allows."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from tandem.audit.models import AccessLog
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

API = "/api/v1"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_collaborator_reads_the_shared_summary_and_it_is_logged(world, client_as):
    goal = make_goal(make_plan(world.child, world.therapist), statement="Hops on one foot")
    record_sessions(world.therapist, world.child, [(datetime.date(2024, 2, 5), {goal: (3.0, -1)})])
    client = client_as(world.consented_collaborator)
    data = client.get(f"{API}/children/{world.child.id}/shared/summary").json()
    # The teacher reads the goal in the family's words, never the clinical statement.
    assert [(g["statement"], g["wording"]) for g in data["goals"]] == [
        (None, goal.family_wording_en or "Your therapist is writing this goal in plain words.")
    ]
    assert "Hops on one foot" not in json.dumps(data)
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
