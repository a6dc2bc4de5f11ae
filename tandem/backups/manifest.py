"""What a backup holds, written next to its files as ``manifest.json``.

The manifest says when the backup was made, of which database (engine, name, server
version), at which migration state, and the size and SHA-256 of every file in it. A
restore checks all of it before touching anything: a file that changed since (damage,
tampering) or a backup made by a newer Tandem (migrations this code does not have) is
refused.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

NAME = "manifest.json"
FORMAT = 1
CHUNK = 1 << 20


class BackupRefused(Exception):
    """The backup cannot be restored here; the message says why."""


@dataclass
class Manifest:
    created_at: str
    engine: str  # "sqlite" or "postgresql"
    database: str
    server_version: str
    migrations: list[str]  # "app_label.migration_name", every one applied in the backup
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → sha256, bytes
    media: str = ""  # what the backup says about uploaded files
    format: int = FORMAT

    def write(self, folder: Path) -> None:
        text = json.dumps(asdict(self), indent=1, sort_keys=True)
        (folder / NAME).write_text(text + "\n")

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = folder / NAME
        if not path.is_file():
            raise BackupRefused(f"{folder} holds no {NAME}: it is not a Tandem backup.")
        try:
            data = json.loads(path.read_text())
            manifest = cls(**data)
        except (ValueError, TypeError) as exc:
            raise BackupRefused(f"{path} cannot be read ({exc}): the backup is damaged.") from exc
        if manifest.format != FORMAT:
            raise BackupRefused(
                f"{path} is of format {manifest.format}; this Tandem reads format {FORMAT}."
            )
        return manifest

    def add_file(self, folder: Path, name: str) -> None:
        path = folder / name
        self.files[name] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}

    def check_files(self, folder: Path) -> None:
        """Refuse a backup a file of which is missing or is not what was written."""
        if not self.files:
            raise BackupRefused(f"{folder / NAME} lists no files: the backup is incomplete.")
        for name, expected in sorted(self.files.items()):
            path = folder / name
            if not path.is_file():
                raise BackupRefused(f"{name} is missing from {folder}: the backup is incomplete.")
            found = sha256_of(path)
            if found != expected["sha256"] or path.stat().st_size != expected["bytes"]:
                raise BackupRefused(
                    f"{name} does not match the manifest (SHA-256 {found}, the manifest says "
                    f"{expected['sha256']}): the backup was changed or damaged after it was "
                    "made. Nothing was restored."
                )

    def check_migrations(self) -> None:
        """Refuse a backup of a database migrated further than this code knows."""
        known = code_migrations()
        unknown = sorted(set(self.migrations) - known)
        if unknown:
            shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            raise BackupRefused(
                f"The backup was made by a newer Tandem: {len(unknown)} of its migrations are "
                f"not in this code ({shown}). Restore it with the version that made it. "
                "Nothing was restored."
            )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def code_migrations() -> set[str]:
    """Every migration this code has (applied here or not)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def applied_migrations() -> list[str]:
    """The migrations applied to the configured database, sorted."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)
