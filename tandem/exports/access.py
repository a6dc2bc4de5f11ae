"""Whose exports a member reaches: their own, in their clinic — nobody else's.

Not even an admin's: a document is made in its requester's register (a guardian's is the
family one), so handing it to another member would show them what they asked for, not
what they may see.
"""

from django.db.models import QuerySet

from tandem.accounts.models import Membership

from .models import Export


def exports_of(membership: Membership) -> QuerySet[Export]:
    return Export.objects.filter(
        organization_id=membership.organization_id, requested_by=membership
    )
