"""Which bulk exports a member reaches, and which children a FHIR Group names.

A job is its requester's: nobody else polls it or downloads its files (not even an admin,
who reads other things than a therapist). The clinic's admins list and cancel every job
of their clinic (``bulkdata.manage``), never another clinic's.
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from tandem.access import allows, not_found
from tandem.access.relation import ORG_WIDE_ROLES
from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember
from tandem.core import clock
from tandem.groups.access import get_program
from tandem.groups.models import Enrolment, EnrolmentStatus

from .models import BulkExport

CASELOAD = "caseload-"  # Group/caseload-<membership id>: a therapist's caseload


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


def group_children(membership: Membership, group_id: str) -> set[Any]:
    """The ids of the children a Group names, else 404 (not there, another clinic's, or
    not the member's to name). A therapeutic group (``Group/<program id>``: its enrolled
    children) for whoever reads the clinic's groups; a caseload
    (``Group/caseload-<therapist's membership id>``: the children on their care teams)
    for that therapist and the clinic's office. The rows exported are then narrowed to
    what the member reads, child by child."""
    org = membership.organization_id
    if group_id.startswith(CASELOAD):
        try:
            therapist_id = uuid.UUID(group_id.removeprefix(CASELOAD))
        except ValueError as exc:
            raise not_found() from exc
        own = therapist_id == membership.pk and membership.role == Role.THERAPIST
        if not (own or membership.role in ORG_WIDE_ROLES):
            raise not_found()
        seats = CareTeamMember.objects.filter(
            organization_id=org, therapist_id=therapist_id, therapist__role=Role.THERAPIST
        )
        if not Membership.objects.filter(
            organization_id=org, pk=therapist_id, role=Role.THERAPIST
        ).exists():
            raise not_found()
        return set(seats.values_list("child_id", flat=True))
    if not allows(membership, "groups.view"):
        raise not_found()
    try:
        program = get_program(membership, uuid.UUID(group_id))
    except ValueError as exc:
        raise not_found() from exc
    enrolled = Enrolment.objects.filter(
        organization_id=org, program=program, status=EnrolmentStatus.ENROLLED
    )
    return set(enrolled.values_list("child_id", flat=True))
