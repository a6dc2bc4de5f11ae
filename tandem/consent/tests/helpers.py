"""Give consents straight through the ORM for tests, and the clinic's today."""

import datetime

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.consent.models import ConsentGrant
from tandem.core import clock


def clinic_today(child: Child) -> datetime.date:
    """The date in the clinic's time zone, the one requests see."""
    return clock.today_for(child.organization)


def share(collaborator: Membership, child: Child, by: Membership, **fields: object) -> ConsentGrant:
    """A consent from ``by`` to ``collaborator`` for ``child`` (summary only, 30 days)."""
    values = {
        "role_title": "Class teacher",
        "expires_on": clinic_today(child) + datetime.timedelta(days=30),
    } | fields
    return ConsentGrant.objects.create(
        organization=child.organization,
        child=child,
        collaborator=collaborator,
        granted_by=by,
        **values,
    )
