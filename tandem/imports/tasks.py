"""The worker's side: import a checked file, as the admin who asked, in one transaction.

Progress: the rows written so far go to the ``progress`` cache every ``writing.BATCH``
rows (Redis, or files under var/: outside the import's transaction, so the page sees them
move while it is open). ``ImportRun.done`` is the count once the import ends.
"""

import logging

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tandem.core import clock
from tandem.core.access import Conflict

from .actions import prune, read_file
from .checking import REFUSED
from .models import ImportRun
from .writing import write

logger = logging.getLogger(__name__)


def progress_key(run_id: object) -> str:
    return f"imports:{run_id}:done"


@task()
def run_import(run_id: str) -> str:
    """Import the run once ("done", "failed" or "gone"): a run is claimed first (queued →
    running, one conditional update), so a second run of the task finds nothing to do."""
    prune()  # files checked a day ago and never imported, anyone's
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, updated_at=clock.now()
    )
    if not claimed:
        return "gone"
    run = ImportRun.objects.select_related("started_by__user", "started_by__organization").get(
        pk=run_id
    )
    by = run.started_by
    with (
        translation.override(by.user.language or "en"),
        timezone.override(by.organization.timezone),
    ):
        if not (by.is_active and by.user.is_active and by.role == "admin"):
            return _end(run, ImportRun.Status.FAILED, [], "no longer an admin")
        checked = read_file(by, run.kind, run.content, run.encoding, run.identifier_system)
        report = [p.as_report() for p in checked.planned]
        if checked.problems or (checked.refused and not run.valid_only):
            return _end(run, ImportRun.Status.FAILED, report, "rows refused", checked.problems)
        try:
            written = write(
                by, checked.planned, lambda n: caches["progress"].set(progress_key(run.pk), n, 3600)
            )
        except (ValidationError, DatabaseError, Conflict, ValueError) as exc:
            logger.exception("import %s failed", run.pk)
            return _end(run, ImportRun.Status.FAILED, report, "error", [_failure(exc)])
        except Exception:
            logger.exception("import %s failed", run.pk)
            return _end(run, ImportRun.Status.FAILED, report, "error")
    logger.info("import %s: %s children written", run.pk, written)
    return _end(run, ImportRun.Status.DONE, report, "done")


def _failure(exc: Exception) -> str:
    """The admin's reason, in their language: nothing was written."""
    if isinstance(exc, ValidationError):
        return _("Nothing was imported: %(reason)s") % {"reason": "; ".join(exc.messages)}
    return _("Nothing was imported: the clinic changed while importing. Check the file again.")


def _end(
    run: ImportRun,
    status: str,
    report: list[dict[str, object]],
    why: str,
    problems: list[str] | None = None,
) -> str:
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        report=report or run.report,
        problems=problems if problems is not None else run.problems,
        done=sum(1 for row in report if row["outcome"] != REFUSED) if status == "done" else 0,
        content="",
        finished_at=clock.now(),
        updated_at=clock.now(),
    )
    caches["progress"].delete(progress_key(run.pk))
    logger.info("import %s ended: %s", run.pk, why)
    return "done" if status == ImportRun.Status.DONE else "failed"
