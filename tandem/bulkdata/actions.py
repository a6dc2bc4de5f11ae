"""Kicking off, cancelling and expiring bulk exports."""

import datetime

from django.db import transaction

from tandem.accounts.models import Membership
from tandem.core import clock

from .export import delete_folder, job_folder
from .kickoff import Asked
from .models import BulkExport

# How long the files of a finished export are kept (then the job and its files go).
EXPIRES_AFTER = datetime.timedelta(hours=24)
# Exports one member may have waiting or being written at once (a third is 429).
MAX_ACTIVE = 2
ACTIVE = (BulkExport.Status.ACCEPTED, BulkExport.Status.RUNNING)
# A job the worker has not finished after this long is not counted as active (it died).
GIVE_UP_AFTER = datetime.timedelta(hours=6)


class TooManyActive(Exception):
    """The member already has MAX_ACTIVE exports waiting or being written."""


def kick_off(
    membership: Membership,
    *,
    level: str,
    group: str,
    asked: Asked,
    request_url: str,
) -> BulkExport:
    """Store the export and enqueue it when the transaction commits."""
    from .tasks import run_bulk_export

    with transaction.atomic():
        active = BulkExport.objects.filter(
            organization_id=membership.organization_id,
            requested_by=membership,
            status__in=ACTIVE,
            created_at__gte=clock.now() - GIVE_UP_AFTER,
        )
        if active.count() >= MAX_ACTIVE:
            raise TooManyActive
        job = BulkExport.objects.create(
            organization_id=membership.organization_id,
            requested_by=membership,
            level=level,
            group=group,
            types=asked.types,
            since=asked.since,
            type_filters=asked.type_filters,
            elements=asked.elements,
            patients=asked.patients,
            request_url=request_url[:1000],
        )
        transaction.on_commit(lambda: run_bulk_export.enqueue(str(job.pk)))
    return job


def cancel(job: BulkExport) -> bool:
    """Cancel the job and delete its files (a running worker stops at its next batch and
    deletes what it wrote); False if it was already cancelled."""
    now = clock.now()
    moved = (
        BulkExport.objects.filter(organization_id=job.organization_id, pk=job.pk)
        .exclude(status=BulkExport.Status.CANCELLED)
        .update(status=BulkExport.Status.CANCELLED, expires_at=now + EXPIRES_AFTER, updated_at=now)
    )
    if moved:
        delete_folder(job_folder(job.organization_id, job.pk))
    return bool(moved)


def prune() -> int:
    """Delete the files and rows of every expired or cancelled export, of any clinic, and
    give up jobs no worker finished; return how many were deleted."""
    now = clock.now()
    BulkExport.objects.filter(status__in=ACTIVE, created_at__lt=now - GIVE_UP_AFTER).update(
        status=BulkExport.Status.FAILED, finished_at=now, expires_at=now, updated_at=now
    )
    gone = BulkExport.objects.filter(expires_at__lt=now)
    for organization_id, job_id in gone.values_list("organization_id", "pk").iterator():
        delete_folder(job_folder(organization_id, job_id))
    deleted, _ = gone.delete()
    return deleted
