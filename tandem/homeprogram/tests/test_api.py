"""The home program API: same rules as the pages, JSON errors, bounded queries.

Run on the router's own API object (see api_urls.py), like the router's matrix.
"""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.homeprogram.models import HomeActivity, Observation, PracticeLog

from .helpers import PDF_BYTES, goal_of, log, make_activity, observe, today

API = "/api/v1/children"
pytestmark = pytest.mark.urls("tandem.homeprogram.tests.api_urls")


def post(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def activity_payload(goal, **changes):
    return {
        "title": "Sock sorting",
        "why": "Matching pairs builds attention and pinch.",
        "steps": "Tip the socks out.\nFind the pairs.",
        "times_per_week": 2,
        "minutes": 5,
        "goal_ids": [str(goal.id)],
    } | changes


def test_editor_assigns_and_family_reads(world, client_as):
    goal = goal_of(world.child, world.therapist)
    response = post(
        client_as(world.therapist),
        f"{API}/{world.child.id}/home-activities",
        activity_payload(goal),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["steps"] == ["Tip the socks out.", "Find the pairs."]
    assert body["goal_ids"] == [str(goal.id)] and body["version"] == 1
    listed = client_as(world.guardian).get(f"{API}/{world.child.id}/home-activities").json()
    assert [a["title"] for a in listed] == ["Sock sorting"]


def test_unknown_fields_and_other_childrens_goals_are_refused(world, client_as):
    goal = goal_of(world.child, world.therapist)
    other = goal_of(world.other_child, world.unassigned_therapist)
    client = client_as(world.therapist)
    url = f"{API}/{world.child.id}/home-activities"
    assert post(client, url, activity_payload(goal, colour="red")).status_code == 422
    response = post(client, url, activity_payload(other))
    assert response.status_code == 422
    assert "goal_ids" in response.json()["detail"]
    assert post(client, url, activity_payload(goal, times_per_week=0)).status_code == 422
    assert not HomeActivity.objects.exists()


def test_patch_is_versioned_and_archives(world, client_as):
    activity = make_activity(world.child, world.therapist)
    url = f"{API}/{world.child.id}/home-activities/{activity.id}"
    client = client_as(world.therapist)
    first = post(client, url, {"version": 1, "title": "Peg race"}, "patch")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = post(client, url, {"version": 1, "title": "Peg relay"}, "patch")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    archived = post(client, url, {"version": 2, "status": "archived"}, "patch")
    assert archived.json()["status"] == "archived"
    assert (
        post(client_as(world.consulting_therapist), url, {"version": 3}, "patch").status_code == 403
    )


def test_handout_upload_checks_the_content(world, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = make_activity(world.child, world.therapist)
    url = f"{API}/{world.child.id}/home-activities/{activity.id}/handout?version=1"
    client = client_as(world.therapist)
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(url, {"file": fake})
    assert refused.status_code == 422
    assert "handout" in refused.json()["detail"]
    good = client.post(url, {"file": SimpleUploadedFile("sheet.pdf", PDF_BYTES)})
    assert good.status_code == 200
    handout = good.json()["handout_url"]
    assert good.json()["handout_type"] == "pdf"
    assert client_as(world.guardian).get(handout).status_code == 200
    assert client_as(world.other_guardian).get(handout).status_code == 404


def test_guardian_logs_practice_and_adds_how_it_went(world, client_as):
    activity = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    created = post(
        client,
        f"{API}/{world.child.id}/practice-logs",
        {"activity_id": str(activity.id), "outcome": "done", "minutes": 8},
    )
    assert created.status_code == 201, created.content
    assert created.json()["date"] == today().isoformat() and created.json()["logged_by_me"]
    entry_url = f"{API}/{world.child.id}/practice-logs/{created.json()['id']}"
    patched = post(client, entry_url, {"how_it_went": 3}, "patch")
    assert patched.status_code == 200 and patched.json()["how_it_went"] == 3
    assert post(client, entry_url, {}, "patch").status_code == 422


def test_staff_cannot_log_practice_through_the_api(world, client_as):
    activity = make_activity(world.child, world.therapist)
    payload = {"activity_id": str(activity.id), "outcome": "done"}
    url = f"{API}/{world.child.id}/practice-logs"
    assert post(client_as(world.therapist), url, payload).status_code == 403
    assert post(client_as(world.admin), url, payload).status_code == 403
    assert post(client_as(world.other_guardian), url, payload).status_code == 404
    assert not PracticeLog.objects.exists()


def test_bad_log_input_is_a_json_422(world, client_as):
    activity = make_activity(world.child, world.therapist)
    url = f"{API}/{world.child.id}/practice-logs"
    client = client_as(world.guardian)
    future = (today() + datetime.timedelta(days=3)).isoformat()
    for payload in (
        {"activity_id": str(activity.id), "outcome": "maybe"},
        {"activity_id": str(activity.id), "outcome": "done", "date": future},
        {"activity_id": str(activity.id), "outcome": "done", "minutes": 999},
        {"activity_id": str(activity.id), "outcome": "done", "how_it_went": 5},
    ):
        response = post(client, url, payload)
        assert response.status_code == 422, payload
        assert response["Content-Type"].startswith("application/json")
    assert not PracticeLog.objects.exists()


def test_observations_by_family_and_staff(world, client_as):
    goal = goal_of(world.child, world.therapist)
    payload = {"goal_id": str(goal.id), "setting": "community", "independence": "some_help"}
    url = f"{API}/{world.child.id}/observations"
    family = post(client_as(world.guardian), url, payload)
    assert family.status_code == 201 and family.json()["recorder_role"] == "family"
    staff = post(client_as(world.therapist), url, payload)
    assert staff.status_code == 201 and staff.json()["recorder_role"] == "staff"
    assert post(client_as(world.consulting_therapist), url, payload).status_code == 403
    assert post(client_as(world.other_guardian), url, payload).status_code == 404
    assert Observation.objects.count() == 2
    listed = client_as(world.guardian).get(url).json()
    assert len(listed) == 2


def test_generalization_shows_each_setting(world, client_as):
    goal = goal_of(world.child, world.therapist)
    observe(world.child, goal, world.guardian, setting="school", independence="independent")
    rows = client_as(world.guardian).get(f"{API}/{world.child.id}/generalization").json()
    cells = {c["setting"]: c["state"] for c in rows[0]["settings"]}
    assert cells == {
        "home": "unknown",
        "school": "seen",
        "community": "unknown",
        "other": "unknown",
    }


def test_adherence_for_staff_only(world, client_as):
    activity = make_activity(world.child, world.therapist, times_per_week=2)
    log(activity, world.guardian, outcome="not_today", barrier="materials")
    body = client_as(world.therapist).get(f"{API}/{world.child.id}/adherence").json()
    assert len(body["weeks"]) == 8 and body["activities"][0]["weeks"][-1]["not_today"] == 1
    assert body["barriers"][0]["phrase"] == "The materials weren't at hand."
    assert client_as(world.guardian).get(f"{API}/{world.child.id}/adherence").status_code == 404


@pytest.mark.parametrize(
    ("path", "budget"),
    [("home-activities", 13), ("practice-logs", 12), ("adherence", 14), ("generalization", 13)],
)
def test_api_reads_are_bounded(world, client_as, django_assert_max_num_queries, path, budget):
    goal = goal_of(world.child, world.therapist)
    for n in range(5):
        activity = make_activity(world.child, world.therapist, title=f"A{n}", goals=[goal])
        for day in range(0, 40, 4):
            log(activity, world.guardian, date=today() - datetime.timedelta(days=day))
        observe(world.child, goal, world.guardian, setting="home")
    client = client_as(world.therapist)
    client.get(f"{API}/{world.child.id}/{path}")
    with django_assert_max_num_queries(budget):
        assert client.get(f"{API}/{world.child.id}/{path}").status_code == 200
