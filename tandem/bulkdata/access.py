"""Which bulk exports a member reaches (which children a FHIR Group names is
``tandem.fhir.groups.group_children``, shared with the Group resource).

A job is its requester's: nobody else polls it or downloads its files (not even an admin,
who reads other things than a therapist). The clinic's admins list and cancel every job
of their clinic (``bulkdata.manage``), never another clinic's.
"""

import uuid

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.core import clock
from tandem.fhir.groups import group_children as group_children

from .models import BulkExport


def jobs_of(membership: Membership) -> QuerySet[BulkExport]:
    """The member's own jobs, not expired (what the status and file routes answer)."""
    return (
        BulkExport.objects.filter(
            organization_id=membership.organization_id, requested_by=membership
        )
        .exclude(expires_at__lt=clock.now())
        .exclude(status=BulkExport.Status.CANCELLED)
    )


def get_job(membership: Membership, job_id: str) -> BulkExport:
    try:
        return jobs_of(membership).get(pk=uuid.UUID(job_id))
    except (BulkExport.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def clinic_jobs(membership: Membership) -> QuerySet[BulkExport]:
    """Every job of the member's clinic (the admins' page), newest first."""
    return BulkExport.objects.filter(organization_id=membership.organization_id).select_related(
        "requested_by__user"
    )


def get_clinic_job(membership: Membership, job_id: uuid.UUID) -> BulkExport:
    try:
        return clinic_jobs(membership).get(pk=job_id)
    except BulkExport.DoesNotExist as exc:
        raise not_found() from exc
