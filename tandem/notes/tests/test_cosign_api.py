"""The co-signature queue and send-backs through the API: the same rules as the pages."""

import pytest

from tandem.notes.models import CosignReturn, NoteStatus
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/notes/cosign-queue"


def note_path(note, rest: str) -> str:
    return f"/api/v1/children/{note.child_id}/notes/{note.id}/{rest}"


def test_the_supervisor_reads_the_queue(world, client_as, django_assert_max_num_queries):
    for _n in range(3):
        make_note(world.child, world.assistant, sign=True)
    client = client_as(world.therapist)
    client.get(QUEUE)
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert response.status_code == 200
    items = response.json()
    assert len(items) == 3
    assert all(i["note"]["status"] == "awaiting_cosign" and i["sent_back"] is None for i in items)
    assert all(i["waited_days"] == 0 for i in items)


def test_the_queue_is_for_therapists(world, client_as):
    assert client_as(world.guardian).get(QUEUE).status_code == 404
    assert client_as(world.admin).get(QUEUE).status_code == 404
    assert client_as(world.consulting_therapist).get(QUEUE).json() == []


def test_send_back_and_resubmit_through_the_api(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    supervisor, assistant = client_as(world.therapist), client_as(world.assistant)

    empty = supervisor.post(
        note_path(note, "send-back"), {"comment": ""}, content_type="application/json"
    )
    assert empty.status_code == 422

    created = supervisor.post(
        note_path(note, "send-back"),
        {"comment": "Say which prompts you used.", "version": note.version},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["comment"] == "Say which prompts you used."
    assert supervisor.get(QUEUE).json()[0]["sent_back"]["id"] == created.json()["id"]

    again = supervisor.post(
        note_path(note, "send-back"), {"comment": "Twice"}, content_type="application/json"
    )
    assert again.status_code == 409

    early = assistant.post(note_path(note, "resubmit"))
    assert early.status_code == 422

    assistant.post(
        note_path(note, "addenda"), {"text": "Verbal prompts."}, content_type="application/json"
    )
    answered = assistant.post(note_path(note, "resubmit"))
    assert answered.status_code == 200 and answered.json()["resolved_at"] is not None
    assert not CosignReturn.objects.filter(resolved_at__isnull=True).exists()
    note.refresh_from_db()
    assert note.status == NoteStatus.AWAITING_COSIGN


def test_only_the_supervisor_sends_back_through_the_api(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    body = {"comment": "No"}
    for member, status in (
        (world.assistant, 403),
        (world.consulting_therapist, 403),
        (world.guardian, 404),
        (world.foreign_admin, 404),
    ):
        response = client_as(member).post(
            note_path(note, "send-back"), body, content_type="application/json"
        )
        assert response.status_code == status, member
    assert not CosignReturn.objects.exists()
