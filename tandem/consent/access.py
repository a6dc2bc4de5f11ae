"""Who may see, give and withdraw consents, and what a collaborator sees through them.

- giving consent: a guardian of the child with legal authority;
- withdrawing it: such a guardian, or a clinic admin;
- seeing a child's consents: the child's guardians and the clinic's admins;
- a collaborator sees a child only through an active consent, and only the parts of
  the record it shares (``tandem.children.access.get_child(..., consent_scope=…)``).
"""

import uuid

from django.db.models import QuerySet

from tandem.accounts.models import Membership, Role
from tandem.children.access import get_child, has_legal_authority
from tandem.children.models import Child
from tandem.core.access import not_found, read_only

from .models import ConsentGrant


def may_see_consents(membership: Membership) -> bool:
    """A child's guardians and the clinic's admins see who the child's record is shared with.

    Only for a child the member may already see (``get_child`` has run).
    """
    return membership.role in (Role.ADMIN, Role.GUARDIAN)


def get_child_for_consents(membership: Membership, child_id: uuid.UUID | str) -> Child:
    """The child whose consents the member may see (404 for everyone else)."""
    if not may_see_consents(membership):
        raise not_found()
    return get_child(membership, child_id)


def can_give_consent(membership: Membership, child: Child) -> bool:
    """A guardian of this child with legal authority."""
    return has_legal_authority(membership, child)


def can_withdraw_consent(membership: Membership, child: Child) -> bool:
    """A guardian with legal authority, or a clinic admin."""
    return membership.role == Role.ADMIN or can_give_consent(membership, child)


def require_consent_giver(membership: Membership, child: Child) -> None:
    if not can_give_consent(membership, child):
        raise read_only()


def require_consent_withdrawer(membership: Membership, child: Child) -> None:
    if not can_withdraw_consent(membership, child):
        raise read_only()


def grants_of(membership: Membership, child: Child) -> QuerySet[ConsentGrant]:
    """Every consent given for a child, newest first, for its guardians and admins."""
    if not may_see_consents(membership):
        return ConsentGrant.objects.none()
    return ConsentGrant.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("collaborator__user", "granted_by__user", "revoked_by__user")


def get_grant(membership: Membership, child: Child, grant_id: uuid.UUID | str) -> ConsentGrant:
    try:
        grant = grants_of(membership, child).get(pk=grant_id)
    except (ConsentGrant.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    grant.child = child
    return grant


def shared_with(membership: Membership) -> QuerySet[ConsentGrant]:
    """A collaborator's active consents, with each child (one row per consent)."""
    if membership.role != Role.COLLABORATOR:
        return ConsentGrant.objects.none()
    return (
        ConsentGrant.objects.held_by(membership)
        .active()
        .filter(child__organization_id=membership.organization_id, child__archived_at__isnull=True)
        .select_related("child", "granted_by__user")
        .order_by("child__last_name", "child__first_name", "-created_at")
    )


def grant_for(membership: Membership, child: Child) -> ConsentGrant | None:
    """The collaborator's active consent for a child they were let see (None otherwise)."""
    return (
        ConsentGrant.objects.held_by(membership)
        .active()
        .filter(child=child)
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
