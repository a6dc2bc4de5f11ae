"""Who may see and change which child. Every view and API call uses these.

- clinic admin: every child in their organization, read and write;
- therapist: children whose care team they are on; lead and treating members write;
- guardian: only their own children, read-mostly;
- collaborator: only a child a guardian's active consent shares with them, and only when
  the caller names the part of the record it shows (``consent_scope``); read only;
- nobody: anything in another organization.
"""

import uuid

from django.db.models import BooleanField, Exists, OuterRef, Value

from tandem.accounts.models import Membership, Role
from tandem.consent.models import consent_covers
from tandem.core.access import not_found, read_only

from .models import CareTeamMember, Child, ChildQuerySet, Diagnosis, GuardianLink, TeamRole


def children_visible_to(
    membership: Membership, *, consent_scope: str | None = None
) -> ChildQuerySet:
    """Return the children this member may see, each annotated with ``can_edit``.

    ``consent_scope`` (a ``tandem.consent.models.Scope``) is for the collaborator pages:
    a collaborator sees the children whose active consent shares that part of the record.
    Without it a collaborator sees nobody, so the clinic's own pages stay closed to them.
    Other roles are not affected by it.
    """
    children = Child.objects.filter(organization_id=membership.organization_id)
    if membership.role == Role.ADMIN:
        return children.annotate(can_edit=Value(True, output_field=BooleanField()))
    if membership.role == Role.THERAPIST:
        seats = CareTeamMember.objects.filter(
            organization_id=membership.organization_id,
            child=OuterRef("pk"),
            therapist=membership,
        )
        writable = seats.filter(role__in=[TeamRole.LEAD, TeamRole.TREATING])
        return children.filter(Exists(seats)).annotate(can_edit=Exists(writable))
    if membership.role == Role.GUARDIAN:
        links = GuardianLink.objects.filter(
            organization_id=membership.organization_id, child=OuterRef("pk"), guardian=membership
        )
        return children.filter(Exists(links)).annotate(
            can_edit=Value(False, output_field=BooleanField())
        )
    if membership.role == Role.COLLABORATOR and consent_scope:
        return children.filter(consent_covers(membership, consent_scope)).annotate(
            can_edit=Value(False, output_field=BooleanField())
        )
    return children.none().annotate(can_edit=Value(False, output_field=BooleanField()))


def get_child(
    membership: Membership,
    child_id: uuid.UUID | str,
    *,
    for_edit: bool = False,
    consent_scope: str | None = None,
) -> Child:
    """Return a child this member may see (404 otherwise); 403 if editing is not theirs.

    ``consent_scope``: see ``children_visible_to``; it opens nothing for other roles.
    """
    visible = children_visible_to(membership, consent_scope=consent_scope)
    try:
        child = visible.get(pk=child_id, archived_at__isnull=True)
    except (Child.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    if for_edit and not child.can_edit:
        raise read_only()
    return child


def can_manage_people(membership: Membership) -> bool:
    """Admins add and remove guardians and care-team members."""
    return membership.role == Role.ADMIN


def has_legal_authority(membership: Membership, child: Child) -> bool:
    """Whether the member is a guardian of the child with legal authority: the one who
    signs the child's plans and gives or withdraws consent to share the record."""
    if membership.role != Role.GUARDIAN:
        return False
    return GuardianLink.objects.filter(
        organization_id=membership.organization_id,
        child=child,
        guardian=membership,
        has_legal_authority=True,
    ).exists()


def guardian_links_visible_to(membership: Membership, child: Child):
    """Return the guardians of a child the member may already see (not collaborators)."""
    links = GuardianLink.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("guardian__user")
    return links.none() if membership.role == Role.COLLABORATOR else links


def care_team_visible_to(membership: Membership, child: Child):
    """Return a child's care team, for a member who may see the child (not collaborators)."""
    seats = CareTeamMember.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("therapist__user")
    return seats.none() if membership.role == Role.COLLABORATOR else seats


def diagnoses_visible_to(membership: Membership, child: Child):
    """Return a child's diagnoses, for a member who may see the child (consents never
    share diagnoses with collaborators)."""
    diagnoses = Diagnosis.objects.filter(organization_id=membership.organization_id, child=child)
    return diagnoses.none() if membership.role == Role.COLLABORATOR else diagnoses


def diagnoses_in(membership: Membership):
    """Diagnoses of the member's organization, for prefetching onto visible children."""
    return Diagnosis.objects.filter(organization_id=membership.organization_id).order_by("code")


def care_team_in(membership: Membership):
    """Care-team seats of the member's organization, for prefetching onto visible children."""
    return CareTeamMember.objects.filter(organization_id=membership.organization_id).select_related(
        "therapist__user"
    )
