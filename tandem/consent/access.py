"""Which consents a member sees (scopes only; who may do what is in ``rules.py``).

- ``grants_of``: a child's consents, for those who may see them (``consent.view``);
- ``shared_with`` / ``grant_for``: the consents a collaborator holds, while they last;
- ``collaborator_in``: whether an email may receive a consent (nothing of it is shown).
"""

import uuid

from django.db.models import QuerySet

from tandem.access import not_found
from tandem.accounts.models import Membership
from tandem.children.models import Child

from .models import ConsentGrant


def grants_of(membership: Membership, child: Child) -> QuerySet[ConsentGrant]:
    """Every consent given for a child the member sees the consents of, newest first."""
    return (
        ConsentGrant.objects.visible_to(membership)
        .for_child(child)
        .select_related("collaborator__user", "granted_by__user", "revoked_by__user")
    )


def get_grant(membership: Membership, child: Child, grant_id: uuid.UUID | str) -> ConsentGrant:
    try:
        grant = grants_of(membership, child).get(pk=grant_id)
    except (ConsentGrant.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    grant.child = child
    return grant


def shared_with(membership: Membership) -> QuerySet[ConsentGrant]:
    """A collaborator's active consents, with each child (one row per consent)."""
    return (
        ConsentGrant.objects.visible_to(membership)
        .held_by(membership)
        .filter(child__organization_id=membership.organization_id, child__archived_at__isnull=True)
        .select_related("child", "granted_by__user")
        .order_by("child__last_name", "child__first_name", "-created_at")
    )


def grant_for(membership: Membership, child: Child) -> ConsentGrant | None:
    """The collaborator's active consent for a child they were let see (None otherwise)."""
    return (
        ConsentGrant.objects.visible_to(membership)
        .held_by(membership)
        .for_child(child)
        .select_related("granted_by__user")
        .order_by("-created_at")
        .first()
    )


def collaborator_in(membership: Membership, email: str) -> Membership | None:
    """The member of the organization with this email, whatever their role (None if none).

    Used only to decide whether a consent can go to this email; nothing of it is shown.
    """
    return (
        Membership.objects.filter(
            organization_id=membership.organization_id, user__email__iexact=email.strip()
        )
        .select_related("user")
        .first()
    )
