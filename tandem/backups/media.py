"""Uploaded files (``MEDIA_ROOT``) in a backup: one tar next to the database's copy.

The database is copied first, the files after: a file is written before the record that
names it is committed, so every file the copied records name is whole in the tar (files
uploaded meanwhile may be there too, named by nothing). When uploads live on an
S3-compatible service instead of this machine's disk, the backup says so and leaves them
to that service's versioning and replication (docs/deployment.md).
"""

import datetime
import shutil
import tarfile
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage

MEDIA_FILE = "media.tar"


def media_root() -> Path | None:
    """The folder of uploaded files, or None when they are not on this machine's disk."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(default_storage.location)


def backup_media(root: Path, target: Path) -> int:
    """Write every file under ``root`` into the tar ``target``; return how many."""
    count = 0
    with tarfile.open(target, "w") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                    count += 1
    return count


def restore_media(source: Path, root: Path) -> Path | None:
    """Put the tar's files in ``root``; what was there is moved aside, not deleted.

    Return the folder the earlier files were moved to (None when there were none). The
    tar is unpacked beside ``root`` first, with tarfile's "data" filter (no absolute
    paths, no ``..``, no links out, no devices), then moved in entry by entry (a rename
    on one file system; ``root`` itself may be a mount point, its entries then copied).
    """
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    root.mkdir(parents=True, exist_ok=True)
    staging = root.parent / f".{root.name}.restoring-{stamp}"
    staging.mkdir()
    with tarfile.open(source) as tar:
        tar.extractall(staging, filter="data")
    earlier = sorted(root.iterdir())
    kept = None
    if earlier:
        kept = root.parent / f"{root.name}.before-restore-{stamp}"
        kept.mkdir()
        for entry in earlier:
            shutil.move(entry, kept / entry.name)
    for entry in sorted(staging.iterdir()):
        shutil.move(entry, root / entry.name)
    staging.rmdir()
    return kept
