"""Emergency access straight through the ORM, for the kernel's tests."""

import datetime

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.emergency.models import EmergencyAccess


def grant(member: Membership, child: Child, **fields: object) -> EmergencyAccess:
    """An emergency access of ``member`` to ``child``, begun now, for four hours."""
    now = clock.now()
    values = {
        "reason": "The family called: a seizure during home practice.",
        "started_at": now,
        "expires_at": now + datetime.timedelta(hours=4),
    } | fields
    return EmergencyAccess.objects.create(
        organization=child.organization, child=child, member=member, **values
    )
