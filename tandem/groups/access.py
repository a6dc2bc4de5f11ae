"""Which groups, enrolments and group sessions a member reads.

Groups belong to a clinic: its staff and office read them (``groups.view``); a group's
children are named only where the member sees the child (``visible_children``). A family
reads their own children's enrolments only.
"""

import datetime
import uuid
from typing import Any

from django.db.models import Count, Min, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tandem.access import not_found, visible_children
from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment, AppointmentStatus
from tandem.children.models import Child
from tandem.notes.models import GoalData, SessionNote

from .models import TAKING_A_PLACE, Enrolment, GroupProgram, GroupSession


def programs_for(membership: Membership) -> QuerySet[GroupProgram]:
    return GroupProgram.objects.filter(organization_id=membership.organization_id).select_related(
        "leader__user", "co_leader__user", "room"
    )


def get_program(membership: Membership, program_id: uuid.UUID | str) -> GroupProgram:
    try:
        return programs_for(membership).get(pk=program_id)
    except (GroupProgram.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def enrolments_seen(membership: Membership, program: GroupProgram) -> list[Enrolment]:
    """The group's enrolments of children the member sees (others are not named), each
    child loaded with the member's relation to them (rules ask no further query)."""
    org = membership.organization_id
    in_group = Enrolment.objects.filter(organization_id=org, program=program).values("child_id")
    children = {
        c.pk: c
        for c in visible_children(membership).filter(pk__in=in_group, archived_at__isnull=True)
    }
    rows = list(
        Enrolment.objects.filter(organization_id=org, program=program, child_id__in=list(children))
    )
    for row in rows:
        row.child = children[row.child_id]
    return sorted(rows, key=lambda e: (e.child.first_name, e.child.last_name, str(e.pk)))


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


def programs_listed(membership: Membership, now: datetime.datetime) -> QuerySet[GroupProgram]:
    """The clinic's groups by name, each with its next session and the places taken."""
    org = membership.organization_id
    next_session = (
        GroupSession.objects.filter(
            organization_id=org,
            program=OuterRef("pk"),
            encounter__organization_id=org,
            encounter__starts_at__gte=now,
        )
        .order_by("encounter__starts_at")
        .values("encounter__starts_at")[:1]
    )
    taken = (
        Enrolment.objects.filter(
            organization_id=org, program=OuterRef("pk"), status__in=TAKING_A_PLACE
        )
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        programs_for(membership)
        .annotate(next_session=Subquery(next_session), taken=Coalesce(Subquery(taken), Value(0)))
        .order_by("name", "id")
    )


def sessions_with_attendance(
    membership: Membership, program: GroupProgram
) -> QuerySet[GroupSession]:
    """The group's sessions in order, each with how many children came (``present``)."""
    org = membership.organization_id
    came = (
        Appointment.objects.filter(
            organization_id=org, encounter=OuterRef("encounter"), status=AppointmentStatus.ATTENDED
        )
        .values("encounter")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return sessions_of(membership, program).annotate(present=Coalesce(Subquery(came), Value(0)))


def next_sessions(
    membership: Membership, program_ids: list[Any], now: datetime.datetime
) -> dict[Any, datetime.datetime]:
    """Each of these groups' next session start."""
    rows = (
        GroupSession.objects.filter(
            organization_id=membership.organization_id,
            program_id__in=program_ids,
            encounter__starts_at__gte=now,
        )
        .values("program_id")
        .annotate(first=Min("encounter__starts_at"))
    )
    return {row["program_id"]: row["first"] for row in rows}


def get_enrolment(membership: Membership, enrolment_id: uuid.UUID | str, **where: Any) -> Enrolment:
    """An enrolment of the member's clinic (narrowed by ``where``), else 404; whether the
    member sees its child is the caller's check (``child_for``)."""
    try:
        return (
            Enrolment.objects.filter(organization_id=membership.organization_id, **where)
            .select_related("child", "program")
            .get(pk=uuid.UUID(str(enrolment_id)))
        )
    except (Enrolment.DoesNotExist, ValueError) as exc:
        raise not_found() from exc


def session_notes(
    membership: Membership, session: GroupSession, child_ids: list[Any]
) -> dict[Any, SessionNote]:
    """These children's notes on the group session (the children already checked)."""
    return {
        n.child_id: n
        for n in SessionNote.objects.filter(
            organization_id=membership.organization_id,
            encounter_id=session.encounter_id,
            child_id__in=child_ids,
        ).select_related("author__user")
    }


def goal_data_of(
    membership: Membership, notes: list[SessionNote]
) -> dict[tuple[Any, Any], GoalData]:
    """The goal data of these notes, by (note, goal)."""
    return {
        (d.note_id, d.goal_id): d
        for d in GoalData.objects.filter(organization_id=membership.organization_id, note__in=notes)
    }
