"""Re-seal the notes signed before hash version 2, where that is safe.

A note signed with version 1 has a hash over its content and goal data only. If that
hash still verifies and its status and co-signature are consistent, nothing sealed
has changed, so it is sealed again with version 2 (which also covers its
organization, signature, status and co-signature). A note whose version-1 hash does
not verify keeps it, and keeps showing that it no longer matches what was signed.
Every addendum gets its own hash. No history row is written: nothing changed.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from tandem.notes import seal

# The version this migration sealed notes with (seal.HASH_VERSION at the time): a later
# version may cover columns that do not exist yet at this point of the migrations.
RESEALED_AS = 2


def reseal(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    SessionNote = apps.get_model("notes", "SessionNote")
    GoalData = apps.get_model("notes", "GoalData")
    Addendum = apps.get_model("notes", "Addendum")
    signed = SessionNote._base_manager.filter(signed_at__isnull=False, hash_version=1)
    for note in signed.iterator():
        entries = list(GoalData._base_manager.filter(note_id=note.pk))
        if not seal.note_is_intact(note, entries):
            continue
        cosigned = note.cosigned_at is not None
        if cosigned != (note.cosigned_by_id is not None):
            continue  # half a co-signature: leave it showing as it is
        if note.status not in (seal.SIGNED, seal.AWAITING_COSIGN):
            continue
        if cosigned and note.status != seal.SIGNED:
            continue
        note.hash_version = RESEALED_AS
        if cosigned:
            note.cosign_hash = ""  # computed below, over the new content hash
        note.content_hash = seal.note_hash(
            note, entries, version=RESEALED_AS, signed_status=seal.signed_status(note)
        )
        if cosigned:
            note.cosign_hash = seal.cosign_hash(note)
        SessionNote._base_manager.filter(pk=note.pk).update(
            hash_version=note.hash_version,
            content_hash=note.content_hash,
            cosign_hash=note.cosign_hash,
        )
    for addendum in Addendum._base_manager.filter(content_hash="").select_related("note"):
        addendum.content_hash = seal.addendum_hash(addendum, addendum.note.content_hash)
        Addendum._base_manager.filter(pk=addendum.pk).update(content_hash=addendum.content_hash)


def unseal(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Going back: give every intact note the version-1 hash the older code checks."""
    SessionNote = apps.get_model("notes", "SessionNote")
    GoalData = apps.get_model("notes", "GoalData")
    signed = SessionNote._base_manager.filter(signed_at__isnull=False, hash_version__gt=1)
    for note in signed.iterator():
        entries = list(GoalData._base_manager.filter(note_id=note.pk))
        if seal.note_is_intact(note, entries):
            SessionNote._base_manager.filter(pk=note.pk).update(
                hash_version=1,
                content_hash=seal.note_hash(note, entries, version=1, signed_status=""),
                cosign_hash="",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0004_seal_fields"),
    ]

    operations = [migrations.RunPython(reseal, unseal)]
