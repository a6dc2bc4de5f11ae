"""Copying the database out and back in: SQLite's online backup API, PostgreSQL's
``pg_dump`` / ``pg_restore``.

SQLite: ``Connection.backup`` copies the whole database in one step inside a read
transaction, so the copy is one consistent moment even while gunicorn and the worker
write (in WAL mode readers and writers do not block each other); the copy is then made a
single self-contained file (journal mode DELETE) and checked with ``PRAGMA
integrity_check``. Restoring runs the same API the other way, into the configured
database, and ends with ``PRAGMA optimize``.

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot, taken while the
application runs) and ``pg_restore --clean --if-exists --single-transaction`` (all of it
or nothing), without owners or grants, so that it restores as whichever role runs it (the
owner, as for ``migrate``; docs/postgres-app-role.sql gives the application its rights
again), then ``ANALYZE``.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

from .manifest import BackupRefused

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
# A restore waits this long for a table a running server still uses, then gives up.
LOCK_TIMEOUT = "60s"


def engine() -> str:
    """The configured database: "sqlite" or "postgresql"."""
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupRefused(f"Backups of a {connection.vendor} database are not supported.")
    return connection.vendor


def server_version() -> str:
    if engine() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


# --- SQLite -----------------------------------------------------------------------


def _raw_sqlite() -> sqlite3.Connection:
    if connection.in_atomic_block:
        # The online backup API would wait for ever on this connection's own transaction.
        raise BackupRefused("Back up and restore SQLite outside a database transaction.")
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def backup_sqlite(target: Path) -> list[str]:
    """Copy the database to ``target``; return the migrations applied in the copy."""
    copy = sqlite3.connect(target)
    try:
        # pages=-1 (the default): the whole database in one step, one read transaction.
        _raw_sqlite().backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # a single file, no -wal beside it
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupRefused(f"The copy of the database failed its integrity check: {verdict}")
        applied = copy.execute("SELECT app, name FROM django_migrations").fetchall()
    finally:
        copy.close()
    return sorted(f"{app}.{name}" for app, name in applied)


def restore_sqlite(source: Path) -> None:
    """Replace the configured database with the copy at ``source``, then optimize."""
    copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        raw = _raw_sqlite()
        copy.backup(raw)
        raw.execute("PRAGMA optimize")
    finally:
        copy.close()


# --- PostgreSQL -------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            f"{name} was not found: install PostgreSQL's client programs "
            "(on Debian: apt-get install postgresql-client-15)."
        )
    return found


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore; the password goes in the environment."""
    settings = connection.settings_dict
    args = ["--no-password", f"--dbname={settings['NAME']}"]
    if settings.get("HOST"):
        args.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        args.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        args.append(f"--username={settings['USER']}")
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        program = Path(args[0]).name
        raise BackupRefused(f"{program} failed (exit {done.returncode}): {done.stderr.strip()}")


def backup_postgres(target: Path) -> None:
    args, env = _pg_args_and_env()
    _run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}", *args], env)


def _tables_in_dump(source: Path) -> set[str]:
    listed = subprocess.run(  # noqa: S603
        [_pg_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True
    )
    if listed.returncode != 0:
        raise BackupRefused(f"pg_restore cannot read {source.name}: {listed.stderr.strip()}")
    return set(re.findall(r"^\d+; \d+ \d+ TABLE public (\S+) ", listed.stdout, re.MULTILINE))


def restore_postgres(source: Path) -> None:
    """Replace the configured database's tables with the dump's, in one transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        present = {row[0] for row in cursor.fetchall()}
    extra = sorted(present - _tables_in_dump(source))
    if extra:
        raise BackupRefused(
            f"The database {database_name()} has tables the backup does not know "
            f"({', '.join(extra[:5])}{' …' if len(extra) > 5 else ''}): restore into an empty "
            "database (createdb) instead. Nothing was restored."
        )
    connections.close_all()  # our own idle connection must hold no lock on a table
    args, env = _pg_args_and_env()
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    restore = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction"]
    restore += ["--exit-on-error", "--no-owner", "--no-privileges", *args, str(source)]
    _run(restore, env)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
