"""The database's own guard on sealed records: triggers on PostgreSQL and on SQLite.

A signed note, its goal data, its addenda and its co-signature never change and are
never deleted, whoever asks — the app, a script or a raw SQL client. The only change
a signed note accepts is its co-signature: set once, by the author's supervisor,
moving the status forward from awaiting co-signature to signed. The version history
of every clinical record (django-simple-history's tables) and the access log are
append-only. PostgreSQL also refuses ``TRUNCATE`` of all of these tables.

``install()`` (re)creates the triggers. On PostgreSQL migration 0006 runs it, and so
does every ``migrate`` afterwards (``post_migrate``), so the history table of a model
that becomes versioned later is covered too. On SQLite the triggers are dropped before
each ``migrate`` (SQLite rebuilds a table to alter it, which a trigger naming that
table would break) and created after it, once 0006 is applied. See docs/security.md for what
each database enforces and what it cannot.

The one way around them, ``allow_purge()``, is for deleting whole data sets: the test
suite's tables between tests and ``demo_clinic --reset`` on SQLite. On PostgreSQL it
only lets ``TRUNCATE`` through, and only in a test database (named ``test_…``); on
SQLite it is a function the app registers on its own connections, which a raw SQL
client does not have (its deletes of sealed rows fail).
"""

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

SEALED_TABLES = ("notes_sessionnote", "notes_goaldata", "notes_addendum")
APPEND_ONLY_TABLES = ("notes_addendum", "audit_accesslog")  # on PostgreSQL 0003 guards the log
# Columns of a signed note that may change, only for the co-signature.
COSIGN_COLUMNS = ("status", "cosigned_at", "cosigned_by_id", "cosign_hash", "version", "updated_at")
COSIGNATURE = """
  OLD.status = 'awaiting_cosign' AND OLD.cosigned_at IS NULL AND OLD.cosigned_by_id IS NULL
  AND OLD.cosign_hash = '' AND NEW.status = 'signed' AND NEW.cosigned_at IS NOT NULL
  AND NEW.cosign_hash <> '' AND NEW.version = OLD.version + 1
  AND NEW.cosigned_by_id = (SELECT m.supervisor_id FROM accounts_membership m
                            WHERE m.id = OLD.author_id)
"""

_purging: contextvars.ContextVar[bool] = contextvars.ContextVar("tandem_purging", default=False)


def history_tables() -> list[str]:
    """The version-history tables of every versioned clinical model."""
    from simple_history.utils import get_history_model_for_model

    from tandem.audit.versions import versioned_models

    return sorted(get_history_model_for_model(model)._meta.db_table for model in versioned_models())


# --- PostgreSQL -----------------------------------------------------------------

# Built from the constants above only (no outside input).
PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tandem_seal_note() RETURNS trigger AS $$
DECLARE
  cosign_columns text[] := ARRAY[{", ".join(f"'{c}'" for c in COSIGN_COLUMNS)}];
BEGIN
  IF OLD.signed_at IS NOT NULL THEN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'Signed session note % cannot be deleted', OLD.id;
    END IF;
    IF (to_jsonb(NEW) - cosign_columns) IS DISTINCT FROM (to_jsonb(OLD) - cosign_columns) THEN
      RAISE EXCEPTION 'Signed session note % is locked; add an addendum', OLD.id;
    END IF;
    IF ({", ".join(f"NEW.{c}" for c in COSIGN_COLUMNS)})
       IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in COSIGN_COLUMNS)})
       AND NOT ({COSIGNATURE}) THEN
      RAISE EXCEPTION 'Signed session note % is locked; only its co-signature may be added, once',
        OLD.id;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tandem_seal_goal_data() RETURNS trigger AS $$
DECLARE note_id uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN note_id := OLD.note_id; ELSE note_id := NEW.note_id; END IF;
  IF EXISTS (SELECT 1 FROM notes_sessionnote n WHERE n.id = note_id AND n.signed_at IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (
         SELECT 1 FROM notes_sessionnote n
         WHERE n.id = OLD.note_id AND n.signed_at IS NOT NULL)) THEN
    RAISE EXCEPTION 'Goal data of signed session note % is locked', note_id;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tandem_forbid_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows cannot be changed or deleted', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION tandem_forbid_truncate() RETURNS trigger AS $$
BEGIN
  IF current_setting('tandem.allow_purge', true) = 'on'
     AND current_database() LIKE 'test\\_%' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% cannot be truncated', TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;
"""  # noqa: S608


def _pg_triggers(history: list[str]) -> dict[tuple[str, str], str]:
    """(table, trigger name) → its CREATE TRIGGER statement."""
    row = "FOR EACH ROW EXECUTE FUNCTION"
    triggers = {
        ("notes_sessionnote", "notes_sessionnote_seal"): (
            f"BEFORE UPDATE OR DELETE ON notes_sessionnote {row} tandem_seal_note()"
        ),
        ("notes_goaldata", "notes_goaldata_seal"): (
            f"BEFORE INSERT OR UPDATE OR DELETE ON notes_goaldata {row} tandem_seal_goal_data()"
        ),
    }
    for table in ("notes_addendum", *history):
        triggers[(table, f"{table}_append_only")] = (
            f"BEFORE UPDATE OR DELETE ON {table} {row} tandem_forbid_change()"
        )
    for table in (*SEALED_TABLES, "audit_accesslog", *history):
        triggers[(table, f"{table}_no_truncate")] = (
            f"BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
            "tandem_forbid_truncate()"
        )
    return {key: f"CREATE TRIGGER {key[1]} {body}" for key, body in triggers.items()}


def _install_postgresql(cursor: Any, tables: set[str]) -> None:
    cursor.execute(PG_FUNCTIONS)
    cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    existing = {name for (name,) in cursor.fetchall()}
    for (table, name), sql in _pg_triggers(history_tables()).items():
        if table in tables and name not in existing:
            cursor.execute(sql)


# --- SQLite ---------------------------------------------------------------------

PURGE = "tandem_may_purge()"


def _sqlite_triggers(
    connection: BaseDatabaseWrapper, history: list[str]
) -> dict[str, tuple[str, str]]:
    """Trigger name → (its table, its CREATE TRIGGER statement)."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "notes_sessionnote")
    locked = " OR ".join(
        f'NEW."{c.name}" IS NOT OLD."{c.name}"' for c in description if c.name not in COSIGN_COLUMNS
    )
    cosign_changed = " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in COSIGN_COLUMNS)
    signed = "SELECT 1 FROM notes_sessionnote n WHERE n.signed_at IS NOT NULL AND n.id"

    def refuse(message: str) -> str:
        return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"

    note, data = "notes_sessionnote", "notes_goaldata"
    triggers = {
        "notes_sessionnote_seal_update": (
            note,
            f"BEFORE UPDATE ON {note} WHEN OLD.signed_at IS NOT NULL AND "
            f"(({locked}) OR (({cosign_changed}) AND NOT ({COSIGNATURE}))) "
            + refuse("Signed session notes are locked; add an addendum"),
        ),
        "notes_sessionnote_seal_delete": (
            note,
            f"BEFORE DELETE ON {note} WHEN OLD.signed_at IS NOT NULL AND NOT {PURGE} "
            + refuse("Signed session notes cannot be deleted"),
        ),
        "notes_goaldata_seal_insert": (
            data,
            f"BEFORE INSERT ON {data} WHEN EXISTS ({signed} = NEW.note_id) "
            + refuse("Goal data of signed session notes is locked"),
        ),
        "notes_goaldata_seal_update": (
            data,
            f"BEFORE UPDATE ON {data} WHEN EXISTS ({signed} IN (NEW.note_id, OLD.note_id)) "
            + refuse("Goal data of signed session notes is locked"),
        ),
        "notes_goaldata_seal_delete": (
            data,
            f"BEFORE DELETE ON {data} WHEN EXISTS ({signed} = OLD.note_id) AND NOT {PURGE} "
            + refuse("Goal data of signed session notes is locked"),
        ),
    }
    for table in (*APPEND_ONLY_TABLES, *history):
        triggers[f"{table}_append_only_update"] = (
            table,
            f"BEFORE UPDATE ON {table} " + refuse(f"{table} rows cannot be changed"),
        )
        triggers[f"{table}_append_only_delete"] = (
            table,
            f"BEFORE DELETE ON {table} WHEN NOT {PURGE} "
            + refuse(f"{table} rows cannot be deleted"),
        )
    return {
        name: (table, f"CREATE TRIGGER {name} {body}") for name, (table, body) in triggers.items()
    }


def _install_sqlite(connection: BaseDatabaseWrapper, cursor: Any, tables: set[str]) -> None:
    # Always re-created: a table a migration rebuilt, or a column added, is then covered.
    for name, (table, sql) in _sqlite_triggers(connection, history_tables()).items():
        if table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(sql)


def _uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop what ``install()`` created (migrating back before 0006)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, name in _pg_triggers(history_tables()):
                if table in tables:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for function in ("tandem_seal_note", "tandem_seal_goal_data", "tandem_forbid_truncate"):
                cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        elif connection.vendor == "sqlite":
            for name in _sqlite_triggers(connection, history_tables()):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers on whichever of their tables exist (idempotent)."""
    tables = set(connection.introspection.table_names())
    if "notes_sessionnote" not in tables:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, tables)
        elif connection.vendor == "sqlite":
            _install_sqlite(connection, cursor, tables)


def drop_sqlite_triggers_before_migrate(using: str = "default", **kwargs: Any) -> None:
    """Before ``migrate`` on SQLite: take the triggers off while tables are rebuilt.

    SQLite rebuilds a table to alter it (create, copy, drop, rename), and the rename
    fails while a trigger elsewhere names the dropped table (the goal data's names the
    notes table, the note's names memberships). ``install_after_migrate`` puts them
    back once every migration has run.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name GLOB 'notes_*_seal_*' "
            "OR name GLOB '*_append_only_update' OR name GLOB '*_append_only_delete')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def install_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """After every ``migrate``: cover new history tables and rebuilt SQLite tables."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if ("notes", "0006_seal_triggers") in MigrationRecorder(connection).applied_migrations():
        install(connection)


# --- Purging whole data sets ----------------------------------------------------


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Give the app's SQLite connections the function the triggers ask before a purge."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("tandem_may_purge", 0, lambda: int(_purging.get()))


@contextlib.contextmanager
def allow_purge(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let whole data sets be deleted for the duration (tests, the demo on SQLite).

    On PostgreSQL this lets ``TRUNCATE`` through in a test database only; row
    triggers still refuse deleting or changing sealed rows.
    """
    token = _purging.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('tandem.allow_purge', 'on', false)")
        yield
    finally:
        _purging.reset(token)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('tandem.allow_purge', 'off', false)")
