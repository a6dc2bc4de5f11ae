"""Delete bulk exports past their keeping time (a day) and their files: run it from cron
or a timer (the worker also prunes each time it starts an export)."""

from typing import Any

from django.core.management.base import BaseCommand

from tandem.bulkdata.actions import prune


class Command(BaseCommand):
    help = "Delete expired or cancelled FHIR bulk exports and their files."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {prune()} expired bulk export(s).")
