"""Co-signing several of an assistant's notes at once from the queue: only those still as
the supervisor saw them, never one sent back or changed, and a resent form counts once."""

import pytest
from django.urls import reverse

from tandem.notes import cosigning
from tandem.notes.models import NoteStatus, SessionNote
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.django_db

QUEUE = reverse("notes:cosign_queue")
BULK = reverse("notes:cosign_bulk")


def pick(*notes: SessionNote) -> list[str]:
    return [f"{n.id}:{n.version}" for n in notes]


def statuses(*notes: SessionNote) -> list[str]:
    return [SessionNote.objects.get(pk=n.pk).status for n in notes]


def test_ticked_notes_are_co_signed_together_once(world, client_as):  # type: ignore[no-untyped-def]
    first = make_note(world.child, world.assistant, sign=True)
    second = make_note(world.child, world.assistant, sign=True)
    untouched = make_note(world.child, world.assistant, sign=True)
    client = client_as(world.therapist)
    assert "Co-sign the ticked notes" in client.get(QUEUE).content.decode()
    data = {"note": pick(first, second), "idempotency_key": "bulk-cosign-0001"}
    answer = client.post(BULK, data, follow=True)
    assert "You co-signed 2 notes." in answer.content.decode()
    assert statuses(first, second, untouched) == [
        NoteStatus.SIGNED,
        NoteStatus.SIGNED,
        NoteStatus.AWAITING_COSIGN,
    ]
    cosigned = SessionNote.objects.get(pk=first.pk)
    assert cosigned.cosigned_by == world.therapist and cosigned.cosign_hash
    again = client.post(BULK, data)  # the same form sent again: nothing more happens
    assert again.status_code == 302 and again["Idempotent-Replayed"] == "true"
    assert SessionNote.objects.get(pk=first.pk).version == cosigned.version


def test_a_changed_or_sent_back_note_is_left_waiting_and_named(world, client_as):  # type: ignore[no-untyped-def]
    fine = make_note(world.child, world.assistant, sign=True)
    changed = make_note(world.child, world.assistant, sign=True)
    returned = make_note(world.child, world.assistant, sign=True)
    cosigning.return_note(returned, world.therapist, "Add the prompt levels.")
    stale = pick(changed)[0].replace(f":{changed.version}", f":{changed.version - 1}")
    data = {"note": [*pick(fine, returned), stale, "not-a-note", "1:2"]}
    body = client_as(world.therapist).post(BULK, data, follow=True).content.decode()
    assert "You co-signed 1 note." in body
    assert "it changed since you opened the queue" in body
    assert "sent back, open it to read the correction" in body
    assert statuses(fine, changed, returned) == [
        NoteStatus.SIGNED,
        NoteStatus.AWAITING_COSIGN,
        NoteStatus.AWAITING_COSIGN,
    ]


def test_only_the_supervisors_own_queue(world, client_as):  # type: ignore[no-untyped-def]
    note = make_note(world.child, world.assistant, sign=True)
    for other in (world.consulting_therapist, world.foreign_therapist):
        client_as(other).post(BULK, {"note": pick(note)})
    assert statuses(note) == [NoteStatus.AWAITING_COSIGN]
    assert client_as(world.guardian).post(BULK, {"note": pick(note)}).status_code == 404
    body = client_as(world.consulting_therapist).post(BULK, {"note": pick(note)}, follow=True)
    assert "1 note is no longer waiting for you." in body.content.decode()


def test_nothing_ticked_says_what_to_do(world, client_as):  # type: ignore[no-untyped-def]
    body = client_as(world.therapist).post(BULK, {}, follow=True).content.decode()
    assert "Tick the notes you reviewed, then co-sign them." in body
