"""Send the reminders and waiting emails that are due: run it every few minutes.

``bin/run`` (``make run``) repeats it every five minutes beside the worker; on a server
use a systemd timer or cron (docs/deployment.md). ``--every SECONDS`` keeps it running.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from tandem.notifications.dispatch import dispatch_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send due practice and check-in reminders and emails held back by quiet hours."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, dispatching every SECONDS (default: once, then exit).",
        )

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            try:
                result = dispatch_due(timezone.now())
            except Exception:
                if every <= 0:
                    raise
                # Keep the loop alive (a database restart, a bad row); try again next round.
                logger.exception("Dispatching due reminders failed")
            else:
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        f"{timezone.now():%Y-%m-%d %H:%M} practice reminders: "
                        f"{result.practice_reminders}, check-in reminders: "
                        f"{result.checkin_reminders}, emails sent: {result.emails_sent}"
                    )
            if every <= 0:
                return
            time.sleep(every)
            close_old_connections()  # a long-running loop must not keep a dead connection
