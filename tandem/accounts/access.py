"""Who may see which people of an organization.

Admins see and manage everyone in their organization; therapists see the
staff directory; the front desk, the staff and the families (to book and to link a
guardian at intake); billing, guardians and collaborators see no directory (they meet the
care team through their child's page).
"""

import uuid

from django.db.models import QuerySet

from tandem.core.access import not_found

from .models import (
    STAFF_ROLES,
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    hash_secret,
)


def own_organization(membership: Membership) -> QuerySet[Organization]:
    """The member's own clinic (a one-row queryset, to read fresh)."""
    return Organization.objects.filter(pk=membership.organization_id)


def members_visible_to(membership: Membership) -> QuerySet[Membership]:
    """Return the memberships of the member's organization they may list."""
    members = Membership.objects.filter(organization_id=membership.organization_id).select_related(
        "user", "supervisor__user"
    )
    if membership.role == Role.ADMIN:
        return members
    if membership.role == Role.THERAPIST:
        return members.filter(role__in=STAFF_ROLES)
    if membership.role == Role.FRONT_DESK:
        # Scheduling and intake: the therapists' diaries and the families they book for.
        return members.filter(role__in=[*STAFF_ROLES, Role.GUARDIAN])
    return members.none()


def get_member(membership: Membership, member_id: uuid.UUID | str) -> Membership:
    """Return one visible membership or raise 404."""
    try:
        return members_visible_to(membership).get(pk=member_id)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def own_memberships(user: User | int | str) -> list[Membership]:
    """The person's own active memberships, oldest first (the clinics they may switch
    between), with the user and the organization. Keyed by the person (or their id), not
    by a clinic: it is how the clinic is chosen."""
    user_id = user.pk if isinstance(user, User) else user
    return list(
        Membership.objects.filter(user_id=user_id, is_active=True, organization__isnull=False)
        .select_related("organization", "user")
        .order_by("created_at")
    )


def own_membership(user: User, membership_id: str | None) -> Membership | None:
    """One of the person's own active memberships, or None (anyone else's is not there)."""
    return next((m for m in own_memberships(user) if str(m.pk) == membership_id), None)


def therapists_of(membership: Membership) -> QuerySet[Membership]:
    """Active therapists of the member's organization (for care-team choices)."""
    return members_visible_to(membership).filter(role=Role.THERAPIST, is_active=True)


def guardians_of(membership: Membership) -> QuerySet[Membership]:
    """Active guardians of the member's organization (admins only)."""
    return members_visible_to(membership).filter(role=Role.GUARDIAN, is_active=True)


def invitations_visible_to(membership: Membership) -> QuerySet[Invitation]:
    """Open invitations of the organization, for its admins."""
    if membership.role != Role.ADMIN:
        return Invitation.objects.none()
    return Invitation.objects.filter(organization_id=membership.organization_id)


def open_invitations_of(
    membership: Membership, member_ids: list[uuid.UUID]
) -> QuerySet[Invitation]:
    """The open (not accepted, not withdrawn) invitations of these members, newest first."""
    return invitations_visible_to(membership).filter(
        membership_id__in=member_ids, accepted_at__isnull=True, revoked_at__isnull=True
    )


def get_invitation(membership: Membership, invitation_id: uuid.UUID | str) -> Invitation:
    try:
        return invitations_visible_to(membership).get(pk=invitation_id)
    except (Invitation.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def invitation_by_token(raw: str) -> Invitation | None:
    """The invitation this link's secret opens (hashed lookup), with its clinic and the
    invited person, or None. The secret is the credential: no clinic is known yet."""
    return (
        Invitation.objects.select_related("organization", "membership__user")
        .filter(token_hash=hash_secret(raw))
        .first()
    )


def live_token(raw: str) -> ApiToken | None:
    """The unrevoked, unexpired API token with this secret, with its member, or None
    (hashed lookup)."""
    return (
        ApiToken.objects.live()
        .select_related("membership__user", "membership__organization")
        .filter(token_hash=hash_secret(raw))
        .first()
    )
