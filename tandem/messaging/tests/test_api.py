"""The messaging API: the conversation, files, unread counts, hand-offs and check-ins."""

import base64
import datetime
import json

import pytest

from tandem.core.testing.factories import clinic_today
from tandem.messaging import actions
from tandem.messaging.models import CheckIn, CheckInSchedule, Handoff, Message
from tandem.messaging.tests.helpers import make_schedule, png, sbar

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

API = "/api/v1"

# A warmed-up request: the session, the member with their clinic, then the counts.
BUDGET_UNREAD = 4


def put_json(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_family_posts_with_a_picture_and_reads_the_thread(world, client_as):
    client = client_as(world.guardian)
    url = f"{API}/children/{world.child.id}/messages"
    response = client.post(url, {"body": "See?", "attachment": png()})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["from_family"] is True and created["attachments"][0]["filename"]
    listing = client.get(url).json()
    assert [m["body"] for m in listing["messages"]] == ["See?"]
    assert listing["messages"][0]["seen_by"] == []
    file_id = created["attachments"][0]["id"]
    data = client.get(f"{url}/files/{file_id}").json()
    assert data["content_type"] == "image/png"
    assert base64.b64decode(data["data_base64"]).startswith(b"\x89PNG")


def test_staff_see_read_receipts_in_the_api(world, client_as):
    actions.post_message(world.therapist, world.child, "Hello")
    url = f"{API}/children/{world.child.id}/messages"
    client_as(world.guardian).get(url)
    message = client_as(world.therapist).get(url).json()["messages"][0]
    assert [r["reader"]["name"] for r in message["seen_by"]] == [world.guardian.display_name]


def test_the_family_and_the_team_post_to_the_same_conversation(world, client_as):
    url = f"{API}/children/{world.child.id}/messages"
    assert client_as(world.other_guardian).post(url, {"body": "x"}).status_code == 404
    assert client_as(world.guardian).post(url, {"body": "From home"}).status_code == 201
    response = client_as(world.admin).post(url, {"body": "From the front desk"})
    assert response.status_code == 201
    sent = dict(Message.objects.values_list("body", "from_family"))
    assert sent == {"From home": True, "From the front desk": False}


def test_a_bad_file_is_a_422_with_a_message(world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as(world.guardian).post(
        f"{API}/children/{world.child.id}/messages",
        {"body": "", "attachment": SimpleUploadedFile("x.pdf", b"not a pdf")},
    )
    assert response.status_code == 422
    assert "attachment" in response.json()["detail"]
    assert not Message.objects.exists()


def test_unread_counts_for_every_visible_child(world, client_as, django_assert_max_num_queries):
    actions.post_message(world.therapist, world.child, "One")
    actions.post_message(world.therapist, world.sibling, "Two")
    actions.post_message(world.unassigned_therapist, world.other_child, "Not yours")
    client = client_as(world.guardian)
    client.get(f"{API}/messages/unread")  # the first request records the device
    with django_assert_max_num_queries(BUDGET_UNREAD):
        rows = client.get(f"{API}/messages/unread").json()
    assert {r["child_id"]: r["unread"] for r in rows} == {
        str(world.child.id): 1,
        str(world.sibling.id): 1,
    }


def test_handoffs_are_for_staff_only(world, client_as):
    url = f"{API}/children/{world.child.id}/handoffs"
    payload = {"recipient_id": str(world.assistant.id), **sbar()}
    response = post_json(client_as(world.therapist), url, payload)
    assert response.status_code == 201, response.content
    assert client_as(world.assistant).get(url).json()[0]["recipient"]["id"] == str(
        world.assistant.id
    )
    assert client_as(world.guardian).get(url).status_code == 404
    assert post_json(client_as(world.guardian), url, payload).status_code == 404
    outsider = {"recipient_id": str(world.unassigned_therapist.id), **sbar()}
    assert post_json(client_as(world.therapist), url, outsider).status_code == 422
    assert Handoff.objects.count() == 1


def test_schedule_and_answers_over_the_api(world, client_as):
    url = f"{API}/children/{world.child.id}/check-ins"
    today = clinic_today()
    schedule = {"every": 2, "unit": "weeks", "next_due_on": today.isoformat()}
    therapist = client_as(world.therapist)
    assert put_json(therapist, f"{url}/schedule", schedule).status_code == 200
    consulting = client_as(world.consulting_therapist)
    assert put_json(consulting, f"{url}/schedule", schedule).status_code == 403
    # Changing it needs the version it is based on.
    assert put_json(therapist, f"{url}/schedule", {**schedule, "every": 3}).status_code == 409
    assert put_json(therapist, f"{url}/schedule", {**schedule, "version": 1}).status_code == 200
    guardian = client_as(world.guardian)
    assert guardian.get(f"{url}/due").json()["due"] is True
    assert post_json(guardian, f"{url}/answers", {}).status_code == 422
    answer = post_json(guardian, f"{url}/answers", {"hard": "Sleep", "wellbeing": 2})
    assert answer.status_code == 201 and answer.json()["needs_support"] is True
    assert guardian.get(f"{url}/due").json()["due"] is False
    assert guardian.get(url).status_code == 404
    listing = therapist.get(url).json()
    assert listing["answers"][0]["hard"] == "Sleep"
    assert listing["schedule"]["next_due_on"] == (today + datetime.timedelta(weeks=2)).isoformat()
    assert CheckIn.objects.count() == 1


def test_only_guardians_answer_check_ins(world, client_as):
    make_schedule(world.child, world.therapist)
    url = f"{API}/children/{world.child.id}/check-ins/answers"
    assert post_json(client_as(world.admin), url, {"hard": "x"}).status_code == 403
    assert post_json(client_as(world.therapist), url, {"hard": "x"}).status_code == 403
    assert not CheckIn.objects.exists()
    assert CheckInSchedule.objects.get().next_due_on == clinic_today()


def test_collaborators_hear_nothing_of_the_conversation(world, client_as):
    actions.post_message(world.therapist, world.child, "Family matters")
    client = client_as(world.collaborator)
    assert client.get(f"{API}/messages/unread").json() == []
    assert client.get(f"{API}/children/{world.child.id}/messages").status_code == 404


def test_a_retried_api_message_is_posted_once(world, client_as):
    client = client_as(world.guardian)
    url = f"{API}/children/{world.child.id}/messages"
    key = {"HTTP_IDEMPOTENCY_KEY": "phone-message-0001"}
    first = client.post(url, {"body": "Running late"}, **key)
    again = client.post(url, {"body": "Running late"}, **key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Message.objects.filter(child=world.child).count() == 1
