"""Which groups, enrolments and group sessions a member reads.

Groups belong to a clinic: its staff and office read them (``groups.view``); a group's
children are named only where the member sees the child (``visible_children``). A family
reads their own children's enrolments only.
"""

import uuid

from django.db.models import QuerySet

from tandem.access import not_found, visible_children
from tandem.accounts.models import Membership
from tandem.children.models import Child

from .models import Enrolment, GroupProgram, GroupSession


def programs_for(membership: Membership) -> QuerySet[GroupProgram]:
    return GroupProgram.objects.filter(organization_id=membership.organization_id).select_related(
        "leader__user", "co_leader__user", "room"
    )


def get_program(membership: Membership, program_id: uuid.UUID | str) -> GroupProgram:
    try:
        return programs_for(membership).get(pk=program_id)
    except (GroupProgram.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def enrolments_seen(membership: Membership, program: GroupProgram) -> QuerySet[Enrolment]:
    """The group's enrolments of children the member sees (others are not named)."""
    return (
        Enrolment.objects.filter(
            organization_id=membership.organization_id,
            program=program,
            child__in=visible_children(membership).filter(archived_at__isnull=True),
        )
        .select_related("child")
        .order_by("child__first_name", "child__last_name")
    )


def enrolments_of_child(membership: Membership, child: Child) -> QuerySet[Enrolment]:
    """A child's groups (the child already checked visible to the member)."""
    return (
        Enrolment.objects.filter(organization_id=membership.organization_id, child=child)
        .select_related("program__leader__user", "program__co_leader__user", "program__room")
        .order_by("-created_at")
    )


def sessions_of(membership: Membership, program: GroupProgram) -> QuerySet[GroupSession]:
    return GroupSession.objects.filter(
        organization_id=membership.organization_id, program=program
    ).select_related("encounter")


def get_session(membership: Membership, encounter_id: uuid.UUID | str) -> GroupSession:
    """A group session of the member's clinic by its encounter, else 404 (what the member
    may do there is decided per child: ``groups.document``)."""
    try:
        return (
            GroupSession.objects.filter(organization_id=membership.organization_id)
            .select_related("encounter", "program__leader__user", "program__co_leader__user")
            .get(encounter_id=encounter_id)
        )
    except (GroupSession.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
