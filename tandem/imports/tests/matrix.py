"""What the authorization matrices need to know about the imports app.

Importing a caseload is for the clinic's admins (``imports.run``): everyone else finds
no page (404), and another clinic's import is not there (404). An import names no child
of its own: its run is a clinic's record (``ORG_FILLERS``).
"""

import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tandem.conftest import World


def _run(organization: Any) -> uuid.UUID:
    from tandem.imports.models import ImportRun

    first = ImportRun.objects.filter(organization=organization).order_by("created_at").first()
    assert first is not None
    return first.id


ORG_FILLERS = {"import_run_id": lambda world: (_run(world.org), _run(world.foreign_org))}


def populate(world: "World") -> None:
    """A checked (dry-run) import of one new child in each clinic."""
    from tandem.imports.actions import check

    from .helpers import csv_file

    for admin in (world.admin, world.foreign_admin):
        rows = [{"identifier": f"M-{admin.organization_id}", "first_name": "Ivy"}]
        check(admin, "csv", csv_file(rows), filename="caseload.csv", system="urn:mrn")
