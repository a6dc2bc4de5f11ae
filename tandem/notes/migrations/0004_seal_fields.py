"""The seal covers every column of a signed note: a hash version, a co-signature hash,
an addendum hash (see tandem.notes.seal).

Signed notes already in the database keep version 1 until migration 0005 re-seals the
ones whose version-1 hash still verifies. The version-1 triggers (0003) go first: they
would refuse that; migration 0006 puts stricter ones in their place.
"""

import importlib

import django.utils.timezone
from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DROP_V1_TRIGGERS = """
DROP TRIGGER IF EXISTS notes_addendum_lock ON notes_addendum;
DROP TRIGGER IF EXISTS notes_goaldata_lock ON notes_goaldata;
DROP TRIGGER IF EXISTS notes_sessionnote_lock ON notes_sessionnote;
DROP FUNCTION IF EXISTS tandem_lock_signed_goal_data();
DROP FUNCTION IF EXISTS tandem_lock_signed_note();
"""


def drop_v1_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_V1_TRIGGERS)


def restore_v1_triggers(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        v1 = importlib.import_module("tandem.notes.migrations.0003_lock_signed_notes")
        notes_part = v1.FORWARD.split("CREATE OR REPLACE FUNCTION tandem_forbid_change()")[0]
        schema_editor.execute(
            (
                notes_part
                + "CREATE TRIGGER notes_addendum_lock BEFORE UPDATE OR DELETE ON notes_addendum "
                "FOR EACH ROW EXECUTE FUNCTION tandem_forbid_change();"
            ).replace("%", "%%")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0003_lock_signed_notes"),
    ]

    operations = [
        migrations.RunPython(drop_v1_triggers, restore_v1_triggers),
        migrations.AddField(
            model_name="addendum",
            name="content_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="historicalsessionnote",
            name="cosign_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="historicalsessionnote",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="sessionnote",
            name="cosign_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="sessionnote",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        # Rows already there were sealed by version 1; new notes are signed with version 2.
        migrations.AlterField(
            model_name="historicalsessionnote",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AlterField(
            model_name="sessionnote",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.AlterField(
            model_name="addendum",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
    ]
