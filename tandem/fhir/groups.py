"""Which FHIR Groups a member may name, and the children in them: the one place the rule
lives, for the Group resource (``resources/group.py``) and Bulk Data's
``Group/[id]/$export`` (``tandem.bulkdata``).

A group is a therapeutic group (``Group/<program id>``: its enrolled children), named by
whoever reads the clinic's groups (``groups.view``, through ``groups.access``), or a
therapist's caseload (``Group/caseload-<membership id>``: the children on their care
teams), named by that therapist and by those who list the clinic's staff (admins and the
front desk, ``accounts.access.members_visible_to``).
"""

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from tandem.access import allows, not_found, visible_children
from tandem.access.relation import ORG_WIDE_ROLES
from tandem.accounts.access import members_visible_to
from tandem.accounts.models import Membership, Role
from tandem.children.models import CareTeamMember
from tandem.groups.access import programs_for
from tandem.groups.models import Enrolment, EnrolmentStatus, GroupProgram

CASELOAD = "caseload-"  # Group/caseload-<membership id>: a therapist's caseload
# Who may name some group: the clinic's groups' readers, therapists (their own caseload)
# and the office (every caseload). Which groups, exactly, is the readers' answer below.
NAMERS = frozenset({Role.THERAPIST, *ORG_WIDE_ROLES})


def caseload_owners(membership: Membership) -> QuerySet[Membership]:
    """The therapists whose caseload the member may name: their own, or every therapist
    the member may list (the staff reader: admins and front desk; billing lists none)."""
    if membership.role in ORG_WIDE_ROLES:
        return members_visible_to(membership).filter(role=Role.THERAPIST)
    therapists = Membership.objects.filter(
        organization_id=membership.organization_id, role=Role.THERAPIST
    )
    if membership.role == Role.THERAPIST:
        return therapists.filter(pk=membership.pk)
    return therapists.none()


def named_programs(membership: Membership) -> QuerySet[GroupProgram]:
    """The therapeutic groups the member may name: the clinic's, if they read its groups."""
    programs = programs_for(membership)
    return programs if allows(membership, "groups.view") else programs.none()


def _seats(membership: Membership) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(
        organization_id=membership.organization_id, therapist__role=Role.THERAPIST
    )


def _enrolled(membership: Membership) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        organization_id=membership.organization_id, status=EnrolmentStatus.ENROLLED
    )


def group_children(membership: Membership, group_id: str) -> set[Any]:
    """The ids of the children a Group names, else 404 (not there, another clinic's, or
    not the member's to name). All of them: what is exported of each is then narrowed to
    what the member reads, child by child."""
    if group_id.startswith(CASELOAD):
        try:
            therapist_id = uuid.UUID(group_id.removeprefix(CASELOAD))
        except ValueError as exc:
            raise not_found() from exc
        if not caseload_owners(membership).filter(pk=therapist_id).exists():
            raise not_found()
        seats = _seats(membership).filter(therapist_id=therapist_id)
        return set(seats.values_list("child_id", flat=True))
    try:
        program = named_programs(membership).get(pk=uuid.UUID(group_id))
    except (GroupProgram.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    return set(_enrolled(membership).filter(program=program).values_list("child_id", flat=True))


def _shown(membership: Membership) -> Any:
    """The children a group's listing may name: those the member sees (not archived)."""
    return visible_children(membership).filter(archived_at__isnull=True).values("pk")


def caseload_members(membership: Membership, therapist_ids: list[Any]) -> dict[Any, list[Any]]:
    """Each of these caseloads' children the member sees, by therapist (one query)."""
    seats = _seats(membership).filter(therapist_id__in=therapist_ids)
    return _children_by(membership, seats, "therapist_id")


def program_members(membership: Membership, program_ids: list[Any]) -> dict[Any, list[Any]]:
    """Each of these groups' enrolled children the member sees, by group (one query)."""
    enrolled = _enrolled(membership).filter(program_id__in=program_ids)
    return _children_by(membership, enrolled, "program_id")


def _children_by(membership: Membership, rows: QuerySet[Any], key: str) -> dict[Any, list[Any]]:
    """The children of ``rows`` the member sees, by ``key``: in name order, each once."""
    found: dict[Any, list[Any]] = defaultdict(list)
    shown = (
        rows.filter(child__in=_shown(membership))
        .order_by("child__last_name", "child__first_name", "child_id")
        .values_list(key, "child_id")
    )
    for owner, child_id in shown:
        if child_id not in found[owner]:
            found[owner].append(child_id)
    return found
