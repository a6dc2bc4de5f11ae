"""The worker's side: write a bulk export as the member who asked for it."""

import logging
import uuid
from typing import Any

from django.http import Http404
from django.utils import timezone, translation
from django_tasks import task

from tandem.access import allows
from tandem.core import clock
from tandem.core.dbrouters import reading_from_replica
from tandem.fhir.auth import Caller

from . import actions
from .access import group_children
from .export import Cancelled, bulk_scopes, delete_files, level_types, write_all
from .models import BulkExport

logger = logging.getLogger(__name__)


@task()
def run_bulk_export(job_id: str) -> str:
    """Write the export, once; return what happened ("done", "failed", "cancelled", "gone").

    A run first claims the job (accepted → running, one conditional update): a second
    run, or a retry, finds nothing to do. The member's access is asked again here, as it
    is now: someone whose access ended after asking gets nothing.
    """
    actions.prune()
    claimed = BulkExport.objects.filter(pk=job_id, status=BulkExport.Status.ACCEPTED).update(
        status=BulkExport.Status.RUNNING, transaction_time=clock.now(), updated_at=clock.now()
    )
    if not claimed:
        return "gone"
    job = BulkExport.objects.select_related("requested_by__user", "requested_by__organization").get(
        pk=job_id
    )
    membership = job.requested_by
    saved: list[str] = []
    try:
        with (
            translation.override(membership.user.language),
            timezone.override(membership.organization.timezone),
        ):
            action = "bulkdata.system" if job.level == job.Level.SYSTEM else "bulkdata.export"
            if not (membership.is_active and membership.user.is_active):
                return _fail(job, "The member who asked is no longer active.")
            if not allows(membership, action):
                return _fail(job, "The member who asked may no longer export.")
            caller = Caller(membership, bulk_scopes(membership))
            group = group_children(membership, job.group) if job.level == job.Level.GROUP else None
            if job.patients:  # ``patient``: these of the level's children only
                named = {uuid.UUID(pk) for pk in job.patients}
                group = named if group is None else group & named
            types = job.types or level_types(job.level)
            with reading_from_replica():
                files = write_all(job, caller, types, group, _progress(job, len(types)), saved)
    except Cancelled:
        delete_files(saved)
        return "cancelled"
    except Http404:
        delete_files(saved)
        return _fail(job, "This group is no longer there, or no longer the member's to export.")
    except Exception:
        logger.exception("bulk export %s could not be made", job.pk)
        delete_files(saved)
        return _fail(job, "The export could not be made (the server's log says why).")
    now = clock.now()
    children: set[Any] = set().union(*(f.children for f in files)) if files else set()
    stored = BulkExport.objects.filter(pk=job.pk, status=BulkExport.Status.RUNNING).update(
        status=BulkExport.Status.DONE,
        output=[{"type": f.type, "name": f.name, "count": f.count, "size": f.size} for f in files],
        child_ids=" ".join(sorted(c.hex for c in children)),
        types_done=len(types),
        finished_at=now,
        expires_at=now + actions.EXPIRES_AFTER,
        updated_at=now,
    )
    if not stored:  # cancelled as the last file was saved
        delete_files(saved)
        return "cancelled"
    return "done"


def _progress(job: BulkExport, total_types: int) -> Any:
    def progress(resource_type: str, types_done: int, rows_done: int, rows_total: int) -> None:
        moved = BulkExport.objects.filter(pk=job.pk, status=BulkExport.Status.RUNNING).update(
            types_total=total_types,
            types_done=types_done,
            current_type=resource_type,
            rows_done=rows_done,
            rows_total=rows_total,
            updated_at=clock.now(),
        )
        if not moved:
            raise Cancelled

    return progress


def _fail(job: BulkExport, why: str) -> str:
    logger.info("bulk export %s not made: %s", job.pk, why)
    BulkExport.objects.filter(pk=job.pk, status=BulkExport.Status.RUNNING).update(
        status=BulkExport.Status.FAILED,
        errors=[why],
        finished_at=clock.now(),
        expires_at=clock.now() + actions.EXPIRES_AFTER,
        updated_at=clock.now(),
    )
    return "failed"
