"""On PostgreSQL, the database itself refuses changes to signed notes.

The model layer already refuses them; these triggers also stop a direct SQL
UPDATE or DELETE (a script, a console, a bug elsewhere) from changing a signed
note, its goal data or an addendum. SQLite relies on the model layer.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SEALED = (
    "child_id, author_id, date, start_time, end_time, service_type, location, subjective, "
    "objective, assessment, plan_next, activities, child_chosen_activities, regulation, mood, "
    "engagement, signed_at, signed_by_id, content_hash"
)
OLD_SEALED = ", ".join(f"OLD.{c.strip()}" for c in SEALED.split(","))
NEW_SEALED = ", ".join(f"NEW.{c.strip()}" for c in SEALED.split(","))

FORWARD = f"""
CREATE OR REPLACE FUNCTION tandem_lock_signed_note() RETURNS trigger AS $$
BEGIN
  IF OLD.signed_at IS NOT NULL THEN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'Signed session note % cannot be deleted', OLD.id;
    END IF;
    IF ({NEW_SEALED}) IS DISTINCT FROM ({OLD_SEALED}) THEN
      RAISE EXCEPTION 'Signed session note % is locked; add an addendum', OLD.id;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER notes_sessionnote_lock BEFORE UPDATE OR DELETE ON notes_sessionnote
FOR EACH ROW EXECUTE FUNCTION tandem_lock_signed_note();

CREATE OR REPLACE FUNCTION tandem_lock_signed_goal_data() RETURNS trigger AS $$
DECLARE note_id uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN note_id := OLD.note_id; ELSE note_id := NEW.note_id; END IF;
  IF EXISTS (SELECT 1 FROM notes_sessionnote n WHERE n.id = note_id AND n.signed_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (
         SELECT 1 FROM notes_sessionnote n WHERE n.id = OLD.note_id AND n.signed_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'Goal data of signed session note % is locked', note_id;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER notes_goaldata_lock BEFORE INSERT OR UPDATE OR DELETE ON notes_goaldata
FOR EACH ROW EXECUTE FUNCTION tandem_lock_signed_goal_data();

CREATE OR REPLACE FUNCTION tandem_forbid_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows cannot be changed or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER notes_addendum_lock BEFORE UPDATE OR DELETE ON notes_addendum
FOR EACH ROW EXECUTE FUNCTION tandem_forbid_change();

CREATE TRIGGER audit_accesslog_lock BEFORE UPDATE OR DELETE ON audit_accesslog
FOR EACH ROW EXECUTE FUNCTION tandem_forbid_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_accesslog_lock ON audit_accesslog;
DROP TRIGGER IF EXISTS notes_addendum_lock ON notes_addendum;
DROP TRIGGER IF EXISTS notes_goaldata_lock ON notes_goaldata;
DROP TRIGGER IF EXISTS notes_sessionnote_lock ON notes_sessionnote;
DROP FUNCTION IF EXISTS tandem_forbid_change();
DROP FUNCTION IF EXISTS tandem_lock_signed_goal_data();
DROP FUNCTION IF EXISTS tandem_lock_signed_note();
"""


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD.replace("%", "%%"))


def reverse(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0002_initial"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, reverse)]
