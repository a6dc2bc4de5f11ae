"""Delete made documents past their keeping time (an hour): run it from cron or a timer.

The page that asks for an export also deletes the member's own expired ones; this
command clears those of members who never came back.
"""

from typing import Any

from django.core.management.base import BaseCommand

from tandem.exports.actions import prune


class Command(BaseCommand):
    help = "Delete PDF exports older than an hour (they are made again on request)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {prune()} expired export(s).")
