"""An assistant's note waiting for co-signature: the supervisor is told, sees it in a queue,
co-signs it or sends it back with a comment; the assistant answers and signs off again."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.core.testing.factories import clinic_today
from tandem.notes.models import CosignReturn, NoteStatus, SessionNote
from tandem.notes.tests.helpers import editor_data, make_note
from tandem.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

QUEUE = reverse("notes:cosign_queue")


def url(name: str, note: SessionNote) -> str:
    return reverse(f"notes:{name}", args=[note.child_id, note.id])


def test_signing_as_an_assistant_tells_the_supervisor(world, client_as):
    note = make_note(world.child, world.assistant)
    client_as(world.assistant).post(url("sign", note), editor_data(note))

    notice = Notification.objects.get(recipient=world.therapist, kind=Kind.COSIGN_NEEDED)
    assert notice.child == world.child and notice.url == QUEUE
    page = client_as(world.therapist).get(reverse("notifications:index")).content.decode()
    assert "A note to co-sign for Maya Okafor" in page


def test_a_licensed_therapists_own_note_tells_nobody(world):
    make_note(world.child, world.therapist, sign=True)
    assert not Notification.objects.filter(kind=Kind.COSIGN_NEEDED).exists()


def test_the_queue_lists_the_notes_waiting_and_for_how_long(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    three_days_ago = timezone.now() - datetime.timedelta(days=3, hours=1)
    with mock.patch.object(timezone, "now", return_value=three_days_ago):
        session_day = clinic_today() - datetime.timedelta(days=5)
        older = make_note(world.child, world.assistant, sign=True, date=session_day)
    make_note(world.child, world.therapist, sign=True)  # a licensed therapist's: not listed

    client = client_as(world.therapist)
    client.get(QUEUE)
    response = client.get(QUEUE)
    body = response.content.decode()

    assert response.status_code == 200
    assert body.count('data-note="') == 2
    assert body.index(str(older.id)) < body.index(str(note.id))  # oldest first
    assert 'data-waited="3"' in body and "waiting 3 days" in body
    assert 'data-waited="0"' in body and "waiting since today" in body


def test_the_queue_is_not_for_others(world, client_as):
    make_note(world.child, world.assistant, sign=True)
    assert (
        client_as(world.consulting_therapist).get(QUEUE).content.decode().count("data-note=") == 0
    )
    assert client_as(world.guardian).get(QUEUE).status_code == 404
    assert client_as(world.admin).get(QUEUE).status_code == 404
    assert client_as(world.foreign_therapist).get(QUEUE).content.decode().count("data-note=") == 0


def test_the_queue_query_count_does_not_grow_with_notes(
    world, client_as, django_assert_max_num_queries
):
    for _n in range(6):
        make_note(world.child, world.assistant, sign=True)
    make_note(world.sibling, world.therapist)  # another child, a draft: not listed
    client = client_as(world.therapist)
    client.get(QUEUE)
    # Session, user, membership (with the person's session bookkeeping); the notes with
    # their children and authors; the open send-backs; the access-log insert; the badge.
    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    assert response.content.decode().count('data-note="') == 6


def test_co_signing_from_the_queue_returns_to_it(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    response = client_as(world.therapist).post(
        url("cosign", note), {"version": note.version, "from": "queue"}
    )

    assert response.status_code == 302 and response["Location"] == QUEUE
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED and note.cosigned_by == world.therapist
    assert 'data-note="' not in client_as(world.therapist).get(QUEUE).content.decode()


def test_send_back_fix_and_re_sign_end_to_end(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    sealed_hash = note.content_hash
    supervisor, assistant = client_as(world.therapist), client_as(world.assistant)

    # The supervisor sends it back from the queue, with a comment.
    response = supervisor.post(
        url("send_back", note),
        {"version": note.version, "comment": "Add the prompt levels used.", "from": "queue"},
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    sent_back = CosignReturn.objects.get(note=note)
    assert sent_back.returned_by == world.therapist and sent_back.is_open
    assert sent_back.history.count() == 1  # audited: who sent it back, when, what they said
    queue = supervisor.get(QUEUE).content.decode()
    assert 'data-return="open"' in queue and "Add the prompt levels used." in queue
    assert supervisor.get(url("detail", note)).content.decode().count("Send back to the") == 0

    # The assistant is told, and sees the comment on the note.
    notice = Notification.objects.get(recipient=world.assistant, kind=Kind.NOTE_RETURNED)
    assert notice.url == note.get_absolute_url()
    page = assistant.get(url("detail", note)).content.decode()
    assert "Add the prompt levels used." in page
    assert "Sign off my correction" in page

    # Signing off without a correction is refused, with the reason.
    refused = assistant.post(url("resubmit", note))
    assert refused.status_code == 200
    assert "Add an addendum with your correction first" in refused.content.decode()

    # The correction is an addendum; the sealed note never changes.
    assistant.post(url("addendum", note), {"text": "Prompts: verbal for 2 of 4 trials."})
    response = assistant.post(url("resubmit", note))
    assert response.status_code == 302
    sent_back.refresh_from_db()
    assert not sent_back.is_open and sent_back.resolved_by == world.assistant
    note.refresh_from_db()
    assert note.content_hash == sealed_hash and note.status == NoteStatus.AWAITING_COSIGN
    assert Notification.objects.filter(recipient=world.therapist, kind=Kind.COSIGN_NEEDED).count()

    # Back in the queue; the supervisor co-signs.
    queue = supervisor.get(QUEUE).content.decode()
    assert 'data-return="open"' not in queue and str(note.id) in queue
    supervisor.post(url("cosign", note), {"version": note.version})
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED and note.cosigned_by == world.therapist


def test_a_send_back_needs_a_comment(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    response = client_as(world.therapist).post(url("send_back", note), {"comment": "  "})
    assert response.status_code == 200
    assert "Say what needs changing." in response.content.decode()
    assert not CosignReturn.objects.exists()


def test_only_the_supervisor_sends_back(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    data = {"comment": "No."}
    assert client_as(world.assistant).post(url("send_back", note), data).status_code == 403
    assert client_as(world.admin).post(url("send_back", note), data).status_code == 403
    assert (
        client_as(world.consulting_therapist).post(url("send_back", note), data).status_code == 403
    )
    assert client_as(world.foreign_admin).post(url("send_back", note), data).status_code == 404
    assert not CosignReturn.objects.exists()


def test_a_co_signed_note_cannot_be_sent_back(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    client = client_as(world.therapist)
    client.post(url("cosign", note), {"version": note.version})
    response = client.post(url("send_back", note), {"comment": "Too late"})
    assert response.status_code == 409
    assert not CosignReturn.objects.exists()


def test_families_never_see_the_supervision(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    client_as(world.therapist).post(url("send_back", note), {"comment": "Private remark"})
    client_as(world.assistant).post(url("addendum", note), {"text": "Fixed."})
    client_as(world.assistant).post(url("resubmit", note))
    client_as(world.therapist).post(url("cosign", note), {"version": note.version})
    page = client_as(world.guardian).get(url("detail", note))
    assert page.status_code == 200
    assert "Private remark" not in page.content.decode()
