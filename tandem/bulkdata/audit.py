"""Every kick-off, download and cancel of a bulk export, in the access log.

A kick-off and a cancel name no child (nothing was read yet, or nothing is read); a
download names the children whose records the export holds (``child_ids``), one row per
file; a file of the clinic's staff or of the clinic itself names none.
"""

import uuid

from django.http import HttpRequest

from tandem.audit.models import AccessLog
from tandem.fhir.registry import SPECS

from .models import BulkExport


def log(request: HttpRequest, job: BulkExport, route: str, resource_type: str = "") -> None:
    if not request.user.is_authenticated:
        return
    hexes = job.child_ids.split()
    spec = SPECS.get(resource_type)
    if not resource_type or spec is None or spec.child_attr is None:
        hexes = []
    AccessLog.objects.create(
        organization_id=job.organization_id,
        user=request.user,
        child_id=uuid.UUID(hex=hexes[0]) if len(hexes) == 1 else None,
        child_ids=" ".join(hexes) if len(hexes) > 1 else "",
        action=AccessLog.Action.EXPORT,
        route=route[:200],
        path=request.get_full_path()[:500],
    )
