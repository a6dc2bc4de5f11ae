"""What the authorization matrix needs to walk the bulk exports (tandem/core/testing/matrix).

The clinic's bulk exports page and its cancel button are for admins (``ORG_FILLERS``: an
export of each clinic). The FHIR routes are walked by this app's own test_matrix.py
(a kick-off answers 202, a FHIR client 401): who may kick off what, from PRODUCT.md —
the clinic's whole data for its admins; every patient (Patient/$export) for the staff and
the office; a therapeutic group for those who read the clinic's groups (admins,
therapists, the front desk); a therapist's caseload for that therapist and those who
list the staff (admins, front desk); a job's status and files for the member who asked, nobody else.
"""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone


def _job(member: Any, with_file: bool) -> Any:
    from tandem.bulkdata.models import BulkExport

    now = timezone.now()
    job = BulkExport.objects.create(
        organization_id=member.organization_id,
        requested_by=member,
        level=BulkExport.Level.SYSTEM,
        request_url="http://testserver/fhir/R4/$export",
        status=BulkExport.Status.DONE,
        transaction_time=now,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=1),
    )
    if with_file:
        line = b'{"resourceType":"Organization","id":"x","name":"Riverside"}\n'
        name = default_storage.save(f"bulkdata/{job.pk}/Organization.ndjson", ContentFile(line))
        job.output = [{"type": "Organization", "name": name, "count": 1, "size": len(line)}]
        job.save()
    return job


def populate(world: Any) -> None:
    """A finished export in each clinic, asked for by its admin, with one file."""
    world.bulk_jobs = {
        "own": _job(world.admin, with_file=True),
        "foreign": _job(world.foreign_admin, with_file=True),
    }


ORG_FILLERS = {
    "bulk_job_id": lambda w: (w.bulk_jobs["own"].id, w.bulk_jobs["foreign"].id),
}
