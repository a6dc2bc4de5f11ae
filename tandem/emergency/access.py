"""Which emergency grants and searches a member sees (scopes only; rules are in ``rules.py``).

- ``accesses_of``: an admin, every grant of the clinic; a therapist, their own; nobody else
  any;
- ``get_access`` / ``active_access``: one grant (404), the member's active one for a child;
- ``children_named``: the children of the member's clinic with exactly this name and date
  of birth (the search of the break-glass page; nothing else finds a child outside one's
  caseload);
- ``searches_of`` / ``failed_searches_since``: the clinic's searches (admins), one
  member's recent searches that found nobody (the limit).
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.models import Child
from tandem.core.access import not_found

from .models import EmergencyAccess, EmergencyAccessQuerySet, EmergencySearch, SearchOutcome


def accesses_of(membership: Membership) -> EmergencyAccessQuerySet:
    """The grants the member sees, newest first, with who and which child."""
    grants = EmergencyAccess.objects.in_organization(membership.organization_id).select_related(
        "child", "member__user", "ended_by__user", "reviewed_by__user"
    )
    if membership.role == Role.ADMIN:
        return grants
    if membership.role == Role.THERAPIST:
        return grants.filter(member=membership)
    return grants.none()


def get_access(membership: Membership, access_id: uuid.UUID | str) -> EmergencyAccess:
    """One grant the member sees (a made-up or malformed id: 404)."""
    try:
        return accesses_of(membership).get(pk=access_id)
    except (EmergencyAccess.DoesNotExist, ValueError, ValidationError) as exc:
        raise not_found() from exc


def active_access(membership: Membership, child: Child) -> EmergencyAccess | None:
    """The member's active grant for the child (the latest to end), or None."""
    return (
        EmergencyAccess.objects.held_by(membership)
        .active()
        .filter(child_id=child.pk)
        .order_by("-expires_at")
        .first()
    )


def children_named(
    membership: Membership, first_name: str, last_name: str, date_of_birth: datetime.date
) -> list[Child]:
    """At most two children of the member's clinic, not archived, whose first (or
    preferred) name, last name and date of birth are these, letter case aside."""
    return list(
        Child.objects.filter(
            Q(first_name__iexact=first_name) | Q(preferred_name__iexact=first_name),
            organization_id=membership.organization_id,
            archived_at__isnull=True,
            last_name__iexact=last_name,
            date_of_birth=date_of_birth,
        ).order_by("id")[:2]
    )


def searches_of(membership: Membership) -> QuerySet[EmergencySearch]:
    """The clinic's searches that found no child, newest first (admins; nobody else)."""
    if membership.role != Role.ADMIN:
        return EmergencySearch.objects.none()
    return (
        EmergencySearch.objects.filter(organization_id=membership.organization_id)
        .exclude(outcome=SearchOutcome.FOUND)
        .select_related("member__user")
    )


def failed_searches_since(membership: Membership, since: datetime.datetime) -> int:
    """How many searches of this member found no child (or were refused) since then."""
    return (
        EmergencySearch.objects.filter(
            organization_id=membership.organization_id, member=membership, created_at__gte=since
        )
        .exclude(outcome=SearchOutcome.FOUND)
        .count()
    )
