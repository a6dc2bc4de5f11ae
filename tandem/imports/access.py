"""What an admin's imports reach: their clinic's identifiers and import runs, no other."""

import uuid

from django.db.models import QuerySet

from tandem.accounts.models import Membership
from tandem.core.access import not_found

from .models import ChildIdentifier, ImportRun


def identifiers_of(membership: Membership) -> QuerySet[ChildIdentifier]:
    """The external identifiers of the member's clinic's children (import matching)."""
    return ChildIdentifier.objects.filter(organization_id=membership.organization_id)


def runs_of(membership: Membership) -> QuerySet[ImportRun]:
    """The clinic's imports (any of its admins may follow one another started)."""
    return ImportRun.objects.filter(organization_id=membership.organization_id)


def get_run(membership: Membership, run_id: uuid.UUID | str) -> ImportRun:
    """One import of the member's clinic, or 404."""
    try:
        return runs_of(membership).get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
