"""``manage.py record_digest``: one SHA-256 per clinic over every record it owns.

Run it on a server before a backup and on the restored copy: equal digests mean every row
and every uploaded file came back (tandem/backups/records.py says what is counted).
``--write FOLDER`` also writes each clinic's full-record export as JSON.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tandem.accounts.models import Organization
from tandem.backups.records import record_of


class Command(BaseCommand):
    help = "Print a digest of each clinic's full record (rows and uploaded files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization", action="append", default=[], help="Only this clinic (its id)."
        )
        parser.add_argument("--write", metavar="FOLDER", help="Also write <id>.json exports.")

    def handle(
        self, *args: Any, organization: list[str], write: str | None, **options: Any
    ) -> None:
        clinics = Organization.objects.order_by("name", "pk")
        if organization:
            clinics = clinics.filter(pk__in=organization)
        folder = Path(write) if write else None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        for clinic in clinics:
            record = record_of(clinic.pk)
            if folder is not None:
                (folder / f"{clinic.pk}.json").write_text(record.as_json())
            self.stdout.write(
                f"{record.digest()}  {clinic.pk}  {record.rows} rows, "
                f"{len(record.files)} files  {clinic.name}"
            )
