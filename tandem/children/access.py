"""Who may see and change which child. Every view and API call uses these.

- clinic admin: every child in their organization, read and write;
- therapist: children whose care team they are on; lead and treating members write;
- guardian: only their own children, read-mostly;
- collaborator: only a child a guardian's active consent shares with them, and only when
  the caller names the part of the record it shows (``consent_scope``); read only;
- nobody: anything in another organization.
"""

import uuid

from django.db.models import QuerySet

from tandem.access import allows
from tandem.access.relation import visible_children
from tandem.accounts.models import Membership, Role
from tandem.core.access import not_found, read_only

from .models import CareTeamMember, Child, ChildQuerySet, Diagnosis, GuardianLink


def children_visible_to(
    membership: Membership, *, consent_scope: str | None = None
) -> ChildQuerySet:
    """The children this member may see (``tandem.access.visible_children``), each
    annotated with ``can_edit`` and the member's relation to it.

    Deprecated in favour of ``access.child_for(request, child_id, action)`` with a rule
    naming ``COLLABORATOR(scope)``: ``consent_scope`` narrows a collaborator's children
    to those whose consent shares that part; without it a collaborator sees nobody.
    """
    children = visible_children(membership)
    if membership.role in (Role.FRONT_DESK, Role.BILLING):
        # Pages not yet moved to the kernel's rules stay closed to the office roles: they
        # reach a child only through an action whose rule admits them (child_for).
        return children.none()
    if membership.role == Role.COLLABORATOR:
        if not consent_scope:
            return children.none()
        return children.filter(**{f"rel_{consent_scope}": True})
    return children


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


def guardian_links_visible_to(membership: Membership, child: Child) -> QuerySet[GuardianLink]:
    """Return the guardians of a child the member may already see (not collaborators)."""
    links = GuardianLink.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("guardian__user")
    return links.none() if membership.role == Role.COLLABORATOR else links


def care_team_visible_to(membership: Membership, child: Child) -> QuerySet[CareTeamMember]:
    """Return a child's care team, for a member who may see the child (not collaborators)."""
    seats = CareTeamMember.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("therapist__user")
    return seats.none() if membership.role == Role.COLLABORATOR else seats


def diagnoses_visible_to(membership: Membership, child: Child) -> QuerySet[Diagnosis]:
    """Return a child's diagnoses, for a member who may see the child and whose role sees
    diagnoses (``children.diagnoses``: not the front desk; consents never share them)."""
    diagnoses = Diagnosis.objects.filter(organization_id=membership.organization_id, child=child)
    return diagnoses if allows(membership, "children.diagnoses", child=child) else diagnoses.none()


def diagnoses_in(membership: Membership) -> QuerySet[Diagnosis]:
    """Diagnoses of the member's organization, for prefetching onto visible children."""
    return Diagnosis.objects.filter(organization_id=membership.organization_id).order_by("code")


def care_team_in(membership: Membership) -> QuerySet[CareTeamMember]:
    """Care-team seats of the member's organization, for prefetching onto visible children."""
    return CareTeamMember.objects.filter(organization_id=membership.organization_id).select_related(
        "therapist__user"
    )


def guardian_links_in(membership: Membership) -> QuerySet[GuardianLink]:
    """Guardian links of the member's organization, for narrowing to the children a rule
    already admitted (``children.team``: not collaborators, who never read them)."""
    links = GuardianLink.objects.filter(organization_id=membership.organization_id)
    links = links.select_related("guardian__user")
    return links.none() if membership.role == Role.COLLABORATOR else links
