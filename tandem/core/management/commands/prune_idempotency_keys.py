"""Delete idempotency keys past their retention (run daily, like the reminders)."""

from typing import Any

from django.core.management.base import BaseCommand

from tandem.core import idempotency


class Command(BaseCommand):
    help = "Delete idempotency keys older than the retention period (7 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency.prune()
        self.stdout.write(f"Deleted {deleted} idempotency keys.")
