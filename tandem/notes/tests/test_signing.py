"""Signing locks a note; later changes are addenda; an assistant's note waits for co-signature."""

import pytest
from django.db import connection
from django.urls import reverse

from tandem.notes import actions
from tandem.notes.models import Addendum, GoalData, NoteLocked, NoteStatus, SessionNote
from tandem.notes.tests.helpers import TODAY, editor_data, make_note

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, note):
    return reverse(f"notes:{name}", args=[note.child_id, note.id])


def test_signing_stores_the_content_hash_and_locks_the_note(world, client_as):
    note = make_note(world.child, world.therapist)
    response = client_as(world.therapist).post(
        url("sign", note), editor_data(note, plan_next="Next week: zips.")
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", note)
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    assert note.signed_by == world.therapist and note.signed_at is not None
    assert note.plan_next == "Next week: zips."  # the posted draft was saved first
    entries = list(GoalData.objects.filter(note=note))
    assert note.content_hash == note.compute_hash(entries)
    assert note.is_locked


def test_signing_from_the_editor_with_htmx_redirects_to_the_note(world, client_as):
    note = make_note(world.child, world.therapist)
    response = client_as(world.therapist).post(url("sign", note), editor_data(note), **HTMX)
    assert response["HX-Redirect"] == url("detail", note)
    assert SessionNote.objects.get(pk=note.pk).is_locked


def test_a_note_missing_what_signing_needs_is_saved_but_not_signed(world, client_as):
    note = make_note(world.child, world.therapist, data={}, assessment="")
    response = client_as(world.therapist).post(
        url("sign", note), editor_data(note, subjective="Mum says she tries at home.")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot be signed yet" in body
    assert "Write your assessment (A) before signing." in body
    assert "No data for the goal" in body
    note.refresh_from_db()
    assert note.status == NoteStatus.DRAFT
    assert note.subjective == "Mum says she tries at home."


def test_a_session_in_the_future_cannot_be_signed(world):
    import datetime

    note = make_note(world.child, world.therapist, date=TODAY + datetime.timedelta(days=2))
    with pytest.raises(actions.ValidationError):
        actions.sign_note(note, world.therapist, expected_version=note.version)


def test_edits_of_a_signed_note_are_refused_in_the_page(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    client = client_as(world.therapist)
    response = client.post(url("edit", note), editor_data(note, objective="Changed"))
    assert response.status_code == 409
    assert "This note is signed and locked. Add an addendum instead." in response.content.decode()
    response = client.post(url("edit", note), editor_data(note, objective="Changed"), **HTMX)
    assert response.status_code == 409
    assert client.post(url("sign", note), editor_data(note)).status_code == 409
    # Opening the editor of a signed note shows the note as signed.
    body = client.get(url("edit", note)).content.decode()
    assert "Signed by" in body and 'id="note-form"' not in body
    assert SessionNote.objects.get(pk=note.pk).objective != "Changed"


def test_edits_of_a_signed_note_are_refused_by_the_model(world):
    note = make_note(world.child, world.therapist, sign=True)
    note.objective = "Quietly changed"
    with pytest.raises(NoteLocked):
        note.save()
    entry = GoalData.objects.filter(note=note).first()
    entry.gas_level = 2
    with pytest.raises(NoteLocked):
        entry.save()
    with pytest.raises(NoteLocked):
        entry.delete()
    with pytest.raises(NoteLocked):
        SessionNote.objects.get(pk=note.pk).delete()
    with pytest.raises(actions.NoteIsLocked):
        actions.update_note(note, world.therapist, expected_version=note.version, fields={})


def test_the_database_refuses_sql_changes_of_a_signed_note(world):
    from django.db import DatabaseError, transaction

    note = make_note(world.child, world.therapist, sign=True)
    statements = [
        ("UPDATE notes_sessionnote SET objective = 'x' WHERE id = %s", note.id),
        ("DELETE FROM notes_sessionnote WHERE id = %s", note.id),
        ("UPDATE notes_goaldata SET gas_level = 2 WHERE note_id = %s", note.id),
    ]
    for sql, param in statements:
        with (
            pytest.raises(DatabaseError, match=r"locked|cannot be"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [param.hex])
    assert SessionNote.objects.get(pk=note.pk).objective == note.objective


def test_the_signed_note_reads_with_its_data_and_signature(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    body = client_as(world.consulting_therapist).get(url("detail", note)).content.decode()
    assert "3 of 4 trials correct (75.0 %)" in body
    assert "0 — Buttons three buttons independently" in body
    assert f"Signed by {world.therapist.display_name}" in body
    assert "The note matches what was signed." in body
    assert "Billable units (8-minute rule)</dt><dd>3" in body  # 45 minutes


def test_guardian_reads_a_signed_note_in_plain_language(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    body = client_as(world.guardian).get(url("detail", note)).content.decode()
    assert "What we did and saw" in body
    assert "O — objective" not in body
    assert "Billable units" not in body
    assert "SHA-256" not in body


def test_guardian_cannot_see_drafts_or_notes_awaiting_co_signature(world, client_as):
    draft = make_note(world.child, world.therapist)
    waiting = make_note(world.child, world.assistant, sign=True)
    client = client_as(world.guardian)
    assert client.get(url("detail", draft)).status_code == 404
    assert client.get(url("detail", waiting)).status_code == 404


def test_outsiders_cannot_read_a_note(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    for member in (world.other_guardian, world.unassigned_therapist, world.foreign_admin):
        assert client_as(member).get(url("detail", note)).status_code == 404


# --- Co-signature ---------------------------------------------------------------


def test_an_assistants_note_waits_for_the_supervisors_co_signature(world, client_as):
    note = make_note(world.child, world.assistant)
    client_as(world.assistant).post(url("sign", note), editor_data(note))
    note.refresh_from_db()
    assert note.status == NoteStatus.AWAITING_COSIGN
    assert note.is_locked
    body = client_as(world.therapist).get(url("detail", note)).content.decode()
    assert "Co-sign the note" in body
    assert (
        "Co-sign the note" not in client_as(world.admin).get(url("detail", note)).content.decode()
    )
    response = client_as(world.therapist).post(url("cosign", note), {"version": note.version})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED
    assert note.cosigned_by == world.therapist and note.cosigned_at is not None


def test_only_the_supervisor_co_signs(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    assert client_as(world.admin).post(url("cosign", note)).status_code == 403
    assert client_as(world.assistant).post(url("cosign", note)).status_code == 403
    assert client_as(world.consulting_therapist).post(url("cosign", note)).status_code == 403
    assert client_as(world.guardian).post(url("cosign", note)).status_code == 404
    assert SessionNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN


def test_a_note_not_waiting_cannot_be_co_signed(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    response = client_as(world.therapist).post(url("cosign", note))
    assert response.status_code == 409
    assert "not waiting for a co-signature" in response.content.decode()


def test_an_assistant_without_a_supervisor_cannot_sign(world):
    world.assistant.supervisor = None
    world.assistant.save()
    note = make_note(world.child, world.assistant)
    with pytest.raises(actions.ValidationError, match="supervising therapist"):
        actions.sign_note(note, world.assistant, expected_version=note.version)


# --- Addenda --------------------------------------------------------------------


def test_an_addendum_is_added_to_a_signed_note(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    response = client_as(world.therapist).post(
        url("addendum", note), {"text": "Correction: it was the left hand."}
    )
    assert response.status_code == 302
    addendum = Addendum.objects.get(note=note)
    assert addendum.author == world.therapist
    assert addendum.text == "Correction: it was the left hand."
    body = client_as(world.guardian).get(url("detail", note)).content.decode()
    assert "Correction: it was the left hand." in body
    assert SessionNote.objects.get(pk=note.pk).content_hash == note.content_hash


def test_addenda_are_never_edited(world):
    note = make_note(world.child, world.therapist, sign=True)
    addendum = actions.add_addendum(note, world.therapist, "Later information.")
    addendum.text = "Rewritten"
    with pytest.raises(NoteLocked):
        addendum.save()


def test_an_empty_addendum_or_one_on_a_draft_is_refused(world, client_as):
    signed = make_note(world.child, world.therapist, sign=True)
    draft = make_note(world.child, world.therapist)
    client = client_as(world.therapist)
    assert client.post(url("addendum", signed), {"text": "  "}).status_code == 200
    response = client.post(url("addendum", draft), {"text": "Too early"})
    assert response.status_code == 200
    assert "still a draft" in response.content.decode()
    assert not Addendum.objects.exists()


def test_readers_cannot_add_addenda(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    for member in (world.consulting_therapist, world.guardian):
        assert client_as(member).post(url("addendum", note), {"text": "x"}).status_code == 403
    assert (
        client_as(world.other_guardian).post(url("addendum", note), {"text": "x"}).status_code
        == 404
    )
    assert not Addendum.objects.exists()


def test_the_assistant_adds_an_addendum_to_their_own_note(world, client_as):
    note = make_note(world.child, world.assistant, sign=True)
    response = client_as(world.assistant).post(url("addendum", note), {"text": "Forgot: fatigue."})
    assert response.status_code == 302
