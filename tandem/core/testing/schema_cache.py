"""Test databases from a cached schema: migrate once per set of migrations, copy after.

Migrating an empty database runs every migration (about 50 s of CPU on SQLite, 80 s on
PostgreSQL, mostly Django rendering model states), and a test run creates one database
per worker — ``make test-clock`` three times over. ``install()`` makes the test
database's ``migrate`` (only that one, inside ``create_test_db``) look for a copy of an
already migrated database made from exactly the same migrations; the first run makes
it, every later run copies it:

- SQLite: a file under ``var/test-schema/`` copied into the in-memory test database
  with SQLite's backup API (as Django clones test databases for its parallel runner);
- PostgreSQL: a database ``tandem_schema_<key>`` the test database is created from
  with ``CREATE DATABASE … TEMPLATE``.

The key hashes every migration file Django loads (Tandem's and the installed apps'),
Django's version and the database vendor: a changed or added migration makes a new copy,
and older copies are deleted. ``TANDEM_TEST_SCHEMA_CACHE=0`` turns it off (every test
database is migrated, as Django does). A file lock lets one xdist worker make the copy
while the others wait for it.
"""

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.migrations.loader import MigrationLoader

PREFIX = "tandem_schema_"
_creating: list[str] = []  # the alias whose test database is being created, if any


def install() -> None:
    """Patch ``create_test_db`` and ``migrate`` for this test process."""
    if os.environ.get("TANDEM_TEST_SCHEMA_CACHE", "1") == "0":
        return
    from django.core.management.commands import migrate

    real_create = BaseDatabaseCreation.create_test_db
    real_handle = migrate.Command.handle

    def create_test_db(self: BaseDatabaseCreation, *args: Any, **kwargs: Any) -> str:
        _creating.append(self.connection.alias)
        try:
            return real_create(self, *args, **kwargs)
        finally:
            _creating.pop()

    def handle(command: Any, *args: Any, **options: Any) -> Any:
        alias = options.get("database") or "default"
        if not _creating or _creating[-1] != alias:
            return real_handle(command, *args, **options)
        connection = connections[alias]
        if connection.vendor not in ("sqlite", "postgresql"):
            return real_handle(command, *args, **options)
        key = schema_key(connection.vendor)
        with _locked(key):
            if _load(connection, key):
                return None
            result = real_handle(command, *args, **options)
            _save(connection, key)
            return result

    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]
    migrate.Command.handle = handle  # type: ignore[method-assign,assignment]


def schema_key(vendor: str) -> str:
    """A hash of every migration Django would apply, its version and the vendor."""
    digest = hashlib.sha256(f"{django.__version__} {vendor}".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    for app_label, name in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[(app_label, name)].__module__]
        digest.update(f"{app_label}.{name}".encode())
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "test-schema"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def _locked(key: str) -> Iterator[None]:
    with open(_folder() / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load(connection: Any, key: str) -> bool:
    if connection.vendor == "sqlite":
        copy = _folder() / f"{key}.sqlite3"
        if not copy.exists():
            return False
        connection.ensure_connection()
        source = sqlite3.connect(copy)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return True
    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PREFIX + key])
        if cursor.fetchone() is None:
            return False
    connection.close()
    with connection._nodb_cursor() as cursor:
        quoted = connection.ops.quote_name
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted(name)}")
        cursor.execute(f"CREATE DATABASE {quoted(name)} TEMPLATE {quoted(PREFIX + key)}")
    return True


def _save(connection: Any, key: str) -> None:
    if connection.vendor == "sqlite":
        folder = _folder()
        for old in folder.glob("*.sqlite3"):
            old.unlink(missing_ok=True)
        partial = folder / f"{key}.partial"
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        os.replace(partial, folder / f"{key}.sqlite3")
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    quoted = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"])
        for (old,) in cursor.fetchall():
            # An older copy another checkout is copying from right now stays.
            with contextlib.suppress(DatabaseError):
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted(old)}")
        cursor.execute(f"CREATE DATABASE {quoted(PREFIX + key)} TEMPLATE {quoted(name)}")


def copy_sqlite_schema(path: Path) -> bool:
    """Write a migrated, empty SQLite database to ``path`` from the cached copy, for a test
    that starts a server or a script on a database file of its own. False when there is
    no copy yet (the caller migrates ``path`` itself)."""
    copy = _folder() / f"{schema_key('sqlite')}.sqlite3"
    if os.environ.get("TANDEM_TEST_SCHEMA_CACHE", "1") == "0" or not copy.exists():
        return False
    source, target = sqlite3.connect(copy), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return True
