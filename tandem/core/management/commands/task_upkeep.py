"""Keep the task queue healthy: requeue tasks whose worker died, prune finished rows.

It also deletes idempotency keys past their retention: their stored answers hold
clinical data, so they must not outlive the week a retry can come in.

``bin/run`` repeats it every minute beside the worker; on a server run it from a
systemd timer or cron every few minutes (docs/deployment.md), or with ``--every``.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from tandem.core import idempotency, once
from tandem.core.taskqueue import prune_finished, requeue_stale

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Requeue tasks left running by a worker that died; delete old finished tasks "
        "and idempotency keys older than their retention (7 days)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, doing the upkeep every SECONDS (default: once, then exit).",
        )

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            try:
                requeued, failed = requeue_stale(timezone.now())
                prune_finished()
                idempotency.prune()
                once.prune()
            except Exception:
                if every <= 0:
                    raise
                logger.exception("Task queue upkeep failed")
            else:
                if requeued or failed:
                    logger.warning(
                        "Tasks left running by a stopped worker: %d requeued, %d failed",
                        requeued,
                        failed,
                    )
                if options["verbosity"] >= 1:
                    self.stdout.write(f"requeued: {requeued}, failed: {failed}")
            if every <= 0:
                return
            time.sleep(every)
            close_old_connections()
