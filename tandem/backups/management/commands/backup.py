"""``manage.py backup [FOLDER]``: the database and the uploaded files, with a manifest.

Safe while gunicorn and the worker run: each database's copy is one consistent moment
(tandem/backups/databases.py). See docs/deployment.md, "Backups, restore and
point-in-time recovery".
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.backups.archive import default_folder, make_backup
from tandem.backups.manifest import BackupRefused


class Command(BaseCommand):
    help = "Back up the database and the uploaded files to a new folder, with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "folder",
            nargs="?",
            help="Where to write the backup (a new folder; default var/backups/<UTC time>).",
        )

    def handle(self, *args: Any, folder: str | None = None, **options: Any) -> None:
        target = Path(folder) if folder else default_folder()
        try:
            manifest = make_backup(target)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Backed up the {manifest.engine} database {manifest.database} "
                f"({len(manifest.migrations)} migrations applied) to {target}"
            )
            self.stdout.write(f"Uploaded files: {manifest.media}")
            for name, found in sorted(manifest.files.items()):
                self.stdout.write(f"  {name}: {found['bytes']:,} bytes, sha256 {found['sha256']}")
