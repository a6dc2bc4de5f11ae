"""``manage.py restore FOLDER [--yes]``: put a backup back, after checking it.

Refused, before anything changes, when a file does not match the manifest (damage or
tampering), when the backup is of another database engine, or when it was made by a newer
Tandem (migrations this code does not have). Asks for confirmation unless ``--yes``.
Stop gunicorn and the worker first; on PostgreSQL run it with the owner's DATABASE_URL,
as for ``migrate``. See docs/deployment.md.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.backups.archive import check_backup, restore_backup
from tandem.backups.manifest import BackupRefused
from tandem.backups.media import MEDIA_FILE, media_root


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (checked first; asks unless --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The backup's folder (with its manifest.json).")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation (scripts, drills)."
        )

    def handle(self, *args: Any, folder: str, yes: bool = False, **options: Any) -> None:
        source = Path(folder)
        try:
            manifest = check_backup(source)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        root = media_root()
        with_files = root is not None and MEDIA_FILE in manifest.files
        files = f" and the uploaded files in {root}" if with_files else ""
        self.stdout.write(
            f"This replaces every record of the {manifest.engine} database "
            f"{manifest.database}{files} with the backup made at {manifest.created_at} "
            f"({source})."
        )
        if not yes and not self._confirmed():
            raise CommandError("Not restored: nothing was changed.")
        try:
            restored = restore_backup(source, manifest)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored the database from {source}.")
        if restored.files:
            self.stdout.write(f"Restored the uploaded files ({manifest.media}).")
        if restored.kept is not None:
            self.stdout.write(f"The files that were there before are kept in {restored.kept}.")
        grants = ", then docs/postgres-app-role.sql as the owner"
        self.stdout.write(
            "Next: `manage.py migrate` (when this code is newer than the backup)"
            + (grants if manifest.engine == "postgresql" else "")
            + "; then start gunicorn and the worker."
        )

    def _confirmed(self) -> bool:
        try:
            answer = input("Type yes to restore: ")
        except (EOFError, OSError):  # no terminal: scripts pass --yes
            return False
        return answer.strip().lower() == "yes"
