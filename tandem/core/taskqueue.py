"""Keeping the background task queue (django-tasks-db's ``DBTaskResult`` rows) healthy.

The worker (``manage.py db_worker``) marks a task RUNNING when it claims it. A worker
that is killed mid-task (an out-of-memory kill, a restart during a deploy) leaves that
row RUNNING for ever: the library has no timeout of its own. ``requeue_stale`` puts a
task that has run longer than ``TASK_STALE_AFTER`` back in the queue; every task
Tandem enqueues is safe to run again (it carries ids and re-reads the records; an
email already sent is not sent twice). A task whose workers died ``TASK_MAX_ATTEMPTS``
times is marked failed instead, so one poisonous task cannot kill workers for ever.

Finished rows are deleted after ``TASK_RESULTS_KEEP_DAYS`` days by the library's own
``prune_db_task_results``. ``manage.py task_upkeep`` does both (``bin/run`` repeats it
every minute), and ``stuck_tasks`` lists what an administrator should look at.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

WORKER_LOST = "tandem.core.taskqueue.WorkerLost"


class WorkerLost(Exception):
    """The worker that ran the task stopped before finishing it, too many times."""


def requeue_stale(now: datetime) -> tuple[int, int]:
    """Put tasks RUNNING for longer than ``TASK_STALE_AFTER`` back in the queue, or
    fail those already tried ``TASK_MAX_ATTEMPTS`` times; return (requeued, failed)."""
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - settings.TASK_STALE_AFTER)
    requeued = failed = 0
    for row in stale.only("id", "worker_ids"):
        still = DBTaskResult.objects.running().filter(
            pk=row.pk, started_at__lt=now - settings.TASK_STALE_AFTER
        )
        if len(row.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            failed += still.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=(
                    f"{WORKER_LOST}: the worker stopped before finishing this task "
                    f"{len(row.worker_ids)} times; it was not tried again."
                ),
            )
        else:
            requeued += still.update(status=TaskResultStatus.READY, started_at=None)
    return requeued, failed


def prune_finished() -> None:
    """Delete finished task rows older than ``TASK_RESULTS_KEEP_DAYS`` (the library's command)."""
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
        verbosity=0,
    )


@dataclass
class StuckTasks:
    running_too_long: list[DBTaskResult]
    waiting_too_long: list[DBTaskResult]
    failed: list[DBTaskResult]

    def __bool__(self) -> bool:
        return bool(self.running_too_long or self.waiting_too_long or self.failed)


def _listing(rows: QuerySet[DBTaskResult], limit: int) -> list[DBTaskResult]:
    # The arguments (ids) and tracebacks are not shown: the page lists names and times.
    fields = ("id", "status", "task_path", "enqueued_at", "started_at", "finished_at")
    return list(rows.only(*fields, "worker_ids", "exception_class_path")[:limit])


def stuck_tasks(now: datetime, limit: int = 50) -> StuckTasks:
    """Tasks an administrator should know of: running or waiting longer than
    ``TASK_STALE_AFTER`` (no worker running, or one hung), and recent failures."""
    cutoff = now - settings.TASK_STALE_AFTER
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after__lt=cutoff) | Q(run_after=get_date_max(), enqueued_at__lt=cutoff)
    )
    return StuckTasks(
        running_too_long=_listing(
            DBTaskResult.objects.running().filter(started_at__lt=cutoff).order_by("started_at"),
            limit,
        ),
        waiting_too_long=_listing(waiting.order_by("enqueued_at"), limit),
        failed=_listing(DBTaskResult.objects.failed().order_by("-finished_at"), limit),
    )
