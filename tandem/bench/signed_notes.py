"""Signed notes for the generator: inserted as drafts, their goal data, then signed."""

from collections.abc import Callable

from tandem.notes.models import GoalData, NoteStatus, SessionNote

from .support import BATCH, Counts


def insert_signed_notes(
    notes: list[SessionNote],
    data: list[GoalData],
    *,
    insert: Callable[..., None],
    counts: Counts,
) -> None:
    """Insert the notes as drafts, their goal data, then sign them (as the product does).

    The triggers refuse goal data on a signed note, so a note is signed after its data
    is in; the sealed columns are the ones its hash was computed over. Its "+" history
    row is written in the final (signed) state.
    """
    final = [(n.status, n.signed_at, n.signed_by_id, n.content_hash) for n in notes]
    for note in notes:
        note.status, note.signed_at, note.signed_by, note.content_hash = (
            NoteStatus.DRAFT,
            None,
            None,
            "",
        )
    SessionNote.objects.bulk_create(notes, batch_size=BATCH)
    insert(GoalData, data, history=True)
    for note, (status, signed_at, signed_by_id, content_hash) in zip(notes, final, strict=True):
        note.status, note.signed_at, note.signed_by_id, note.content_hash = (
            status,
            signed_at,
            signed_by_id,
            content_hash,
        )
    # A plain manager: the versioned one refuses bulk_update (its history is written below).
    SessionNote._base_manager.bulk_update(
        notes, ["status", "signed_at", "signed_by", "content_hash"], batch_size=1000
    )
    for note in notes:
        assert note.signed_at is not None  # every bench note is signed
        note._history_date = note.signed_at
    SessionNote.history.bulk_history_create(notes, batch_size=BATCH)
    counts.add(SessionNote._meta.db_table, len(notes), history=True)
