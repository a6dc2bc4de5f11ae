"""The crash test's site: a database of its own made from the test database, and the
environment of the processes that run Tandem over it with production settings."""

import os
import sqlite3
from copy import deepcopy
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection, connections

from .driver import ROOT

# The test process's own settings, not the production ones the servers run with.
KEEP_OUT = (
    *("DEBUG", "TANDEM_TESTING", "DJANGO_SETTINGS_MODULE", "TASKS_BACKEND", "EMAIL_BACKEND"),
    *("REDIS_URL", "TANDEM_TEST_INSTANT", "DJANGO_ALLOW_ASYNC_UNSAFE"),
    # Their own database and media folder: no replica, no bucket.
    *("TANDEM_REPLICA_DATABASE_URL", "TANDEM_MEDIA_S3_BUCKET"),
)


class Databases:
    """The crash database (a copy of the migrated, empty test database) and an empty one
    for restoring the backup into; each readable here through a connection alias."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.vendor = connection.vendor
        self.base = deepcopy(connection.settings_dict)
        if self.vendor == "sqlite":
            crash, restored = folder / "crash.sqlite3", folder / "restored.sqlite3"
            copy = sqlite3.connect(crash)
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.close()
            self.names = {"crash": str(crash), "restored": str(restored)}
        else:
            name = f"tandem_crash_{os.getpid()}"
            self.names = {"crash": name, "restored": f"{name}_restored"}
            connections.close_all()  # CREATE DATABASE … TEMPLATE wants no one connected
            with self._admin() as admin:
                for db in self.names.values():
                    admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                template = self.base["NAME"]
                admin.execute(f'CREATE DATABASE "{self.names["crash"]}" TEMPLATE "{template}"')
                admin.execute(f'CREATE DATABASE "{self.names["restored"]}"')
        for alias, name in self.names.items():
            connections.settings[alias] = {**deepcopy(self.base), "NAME": name}

    def _admin(self) -> Any:
        import psycopg

        s = self.base
        return psycopg.connect(
            dbname="postgres",
            user=s["USER"] or None,
            password=s["PASSWORD"] or None,
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            autocommit=True,
        )

    def url(self, alias: str) -> str:
        name = self.names[alias]
        if self.vendor == "sqlite":
            return f"sqlite:///{name}"
        s = self.base
        return (
            f"postgres://{quote(s['USER'] or '')}:{quote(s['PASSWORD'] or '')}"
            f"@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
        )

    def drop(self) -> None:
        for alias in self.names:
            if alias in connections:
                connections[alias].close()
                del connections[alias]
            connections.settings.pop(alias, None)
        if self.vendor == "postgresql":
            with self._admin() as admin:
                for db in self.names.values():
                    admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def production_env(databases: Databases, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in KEEP_OUT}
    env.update(
        DJANGO_SETTINGS_MODULE="tandem.settings",
        DATABASE_URL=databases.url("crash"),
        SECRET_KEY="crash-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        TANDEM_VAR_DIR=str(folder / "var"),
        TANDEM_MEDIA_ROOT=str(folder / "media"),
        EMAIL_BACKEND="tandem.core.testing.crash.mail.Outbox",
        TANDEM_CRASH_MAIL_DIR=str(folder / "mail"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env
