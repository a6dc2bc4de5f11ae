"""Opening stored files for the views that serve them through the access layer."""

from typing import IO, Any

from .access import not_found


def open_or_404(stored: Any) -> IO[bytes]:
    """Open a FileField's file for reading; a file missing from the disk is a 404 (the
    record outlived its file: restored from a backup without the media, say), not a 500."""
    try:
        return stored.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise not_found() from exc
