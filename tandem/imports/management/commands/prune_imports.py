"""Empty the files of imports checked more than a day ago and never imported (patient
data): run it daily from cron or a timer (the worker also prunes each time it imports)."""

from typing import Any

from django.core.management.base import BaseCommand

from tandem.imports.actions import prune


class Command(BaseCommand):
    help = "Delete the files of caseload imports checked over a day ago and never imported."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Emptied {prune()} import(s) never imported.")
