"""What the authorization matrix needs to know about the records app's routes.

A family's full record is theirs to ask for: only a guardian of the child with legal
authority opens the page, asks (POST) and downloads what they asked for.
"""

import datetime
import uuid
from typing import TYPE_CHECKING

from tandem.children.models import Child
from tandem.core import clock
from tandem.exports.models import Export
from tandem.records.actions import KIND

if TYPE_CHECKING:
    from tandem.conftest import World

READ_RULES = {
    "records:record": "legal_guardian",
    "records:download": "legal_guardian",
}
WRITE_RULES = {"records:record": "legal_guardian"}


def _record(child: Child) -> uuid.UUID:
    export = Export.objects.filter(child=child, kind=KIND).first()
    assert export is not None, f"no full record for {child}"
    return export.id


FILLERS = {"family_record_id": _record}


def populate(world: "World") -> None:
    """A ready record of each child, asked for by the child's guardian."""
    for child, guardian in (
        (world.child, world.guardian),
        (world.other_child, world.other_guardian),
        (world.foreign_child, world.foreign_guardian),
    ):
        Export.objects.create(
            organization_id=child.organization_id,
            child=child,
            requested_by=guardian,
            kind=KIND,
            language="en",
            status=Export.Status.READY,
            content=b"PK\x05\x06" + b"\0" * 18,
            filename="record.zip",
            size=22,
            expires_at=clock.now() + datetime.timedelta(days=7),
        )
