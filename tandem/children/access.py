"""Who may see and change which child. Every view and API call uses these.

- clinic admin: every child in their organization, read and write;
- therapist: children whose care team they are on; lead and treating members write;
- guardian: only their own children, read-mostly;
- collaborator: nothing yet (consent-scoped access comes with consents);
- nobody: anything in another organization.
"""

import uuid

from django.db.models import BooleanField, Exists, OuterRef, Value

from tandem.accounts.models import Membership, Role
from tandem.core.access import not_found, read_only

from .models import CareTeamMember, Child, ChildQuerySet, Diagnosis, GuardianLink, TeamRole


def children_visible_to(membership: Membership) -> ChildQuerySet:
    """Return the children this member may see, each annotated with ``can_edit``."""
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
    return children.none().annotate(can_edit=Value(False, output_field=BooleanField()))


def get_child(
    membership: Membership, child_id: uuid.UUID | str, *, for_edit: bool = False
) -> Child:
    """Return a child this member may see (404 otherwise); 403 if editing is not theirs."""
    try:
        child = children_visible_to(membership).get(pk=child_id, archived_at__isnull=True)
    except (Child.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    if for_edit and not child.can_edit:
        raise read_only()
    return child


def can_manage_people(membership: Membership) -> bool:
    """Admins add and remove guardians and care-team members."""
    return membership.role == Role.ADMIN


def guardian_links_visible_to(membership: Membership, child: Child):
    """Return the guardians of a child the member may already see."""
    return GuardianLink.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("guardian__user")


def care_team_visible_to(membership: Membership, child: Child):
    """Return a child's care team, for a member who may see the child."""
    return CareTeamMember.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("therapist__user")


def diagnoses_visible_to(membership: Membership, child: Child):
    """Return a child's diagnoses, for a member who may see the child."""
    return Diagnosis.objects.filter(organization_id=membership.organization_id, child=child)


def diagnoses_in(membership: Membership):
    """Diagnoses of the member's organization, for prefetching onto visible children."""
    return Diagnosis.objects.filter(organization_id=membership.organization_id).order_by("code")


def care_team_in(membership: Membership):
    """Care-team seats of the member's organization, for prefetching onto visible children."""
    return CareTeamMember.objects.filter(organization_id=membership.organization_id).select_related(
        "therapist__user"
    )
