"""The database refuses changes to sealed records (tandem.notes.triggers).

On PostgreSQL and SQLite: every column of a signed note is locked but its
co-signature (set once, by the author's supervisor, status moving forward), signed
notes are never deleted, their goal data never changes, addenda and the version
history of every clinical record are append-only. On PostgreSQL, TRUNCATE of these
tables is refused too. Replaces the triggers of 0003 (dropped in 0004).
On SQLite the triggers are created once ``migrate`` has run every migration.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from tandem.notes import triggers


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # On SQLite they are created after the whole migrate run (post_migrate), since
    # later migrations may rebuild tables that they name.
    if schema_editor.connection.vendor == "postgresql":
        triggers.install(schema_editor.connection)


def uninstall(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    triggers._uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0005_reseal_signed_notes"),
        ("audit", "0001_initial"),
        ("accounts", "0001_initial"),
        ("appointments", "0001_initial"),
        ("assessments", "0001_initial"),
        ("children", "0001_initial"),
        ("consent", "0001_initial"),
        ("homeprogram", "0001_initial"),
        ("messaging", "0001_initial"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
