"""Making a backup folder and restoring one (``manage.py backup`` / ``restore``).

A backup is a folder: the database's copy (``database.sqlite3`` or ``database.dump``),
the uploaded files (``media.tar``) and ``manifest.json`` (``manifest.py``). It is written
under a ``.partial`` name and renamed when complete, so a folder with the final name is
always a whole backup.
"""

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import databases
from .manifest import BackupRefused, Manifest, applied_migrations
from .media import MEDIA_FILE, backup_media, media_root, restore_media

ON_STORAGE_SERVICE = (
    "not included: uploaded files are kept by the storage service (S3-compatible); "
    "rely on its versioning and replication"
)


def default_folder(now: datetime.datetime | None = None) -> Path:
    """``var/backups/<UTC time>``, e.g. var/backups/20261203T003000Z."""
    moment = now or datetime.datetime.now(datetime.UTC)
    return Path(settings.VAR_DIR) / "backups" / moment.strftime("%Y%m%dT%H%M%SZ")


def make_backup(folder: Path) -> Manifest:
    """Copy the database and the uploaded files into ``folder`` (new or empty)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupRefused(f"{folder} already exists and is not empty: choose a new folder.")
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        manifest = _write(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # never leave half a backup behind
        raise
    if folder.exists():
        folder.rmdir()
    partial.rename(folder)
    return manifest


def _write(partial: Path) -> Manifest:
    kind = databases.engine()
    manifest = Manifest(
        created_at=datetime.datetime.now(datetime.UTC).isoformat(),
        engine=kind,
        database=databases.database_name(),
        server_version=databases.server_version(),
        migrations=[],
    )
    if kind == "sqlite":
        manifest.migrations = databases.backup_sqlite(partial / databases.SQLITE_FILE)
        manifest.add_file(partial, databases.SQLITE_FILE)
    else:
        manifest.migrations = applied_migrations()  # they change only while deploying
        databases.backup_postgres(partial / databases.POSTGRES_FILE)
        manifest.add_file(partial, databases.POSTGRES_FILE)
    root = media_root()
    if root is None:
        manifest.media = ON_STORAGE_SERVICE
    else:
        count = backup_media(root, partial / MEDIA_FILE)
        manifest.add_file(partial, MEDIA_FILE)
        manifest.media = f"{count} files from {root}"
    manifest.write(partial)
    return manifest


def check_backup(folder: Path) -> Manifest:
    """The backup's manifest, once every check passed; else BackupRefused saying why."""
    manifest = Manifest.read(folder)
    manifest.check_files(folder)
    kind = databases.engine()
    if manifest.engine != kind:
        raise BackupRefused(
            f"The backup is of a {manifest.engine} database; this Tandem runs on {kind}. "
            "Nothing was restored."
        )
    manifest.check_migrations()
    return manifest


@dataclass
class Restored:
    files: bool  # whether uploaded files were restored
    kept: Path | None  # where the files that were there before went


def restore_backup(folder: Path, manifest: Manifest) -> Restored:
    """Replace the database and the uploaded files with the backup's (checked first)."""
    if manifest.engine == "sqlite":
        databases.restore_sqlite(folder / databases.SQLITE_FILE)
    else:
        databases.restore_postgres(folder / databases.POSTGRES_FILE)
    root = media_root()
    if MEDIA_FILE not in manifest.files or root is None:
        return Restored(files=False, kept=None)
    return Restored(files=True, kept=restore_media(folder / MEDIA_FILE, root))
