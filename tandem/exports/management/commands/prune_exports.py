"""Delete made documents past their keeping time (an hour): run it from cron or a timer.

The worker deletes expired ones each time it makes a PDF; this command clears them
when no PDF has been asked for since.
"""

from typing import Any

from django.core.management.base import BaseCommand

from tandem.exports.actions import prune


class Command(BaseCommand):
    help = "Delete PDF exports older than an hour (they are made again on request)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {prune()} expired export(s).")
