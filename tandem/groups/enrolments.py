"""Inviting a child to a group, the family's answer, and leaving.

- A child is invited when their age fits, the group has a place, they have a guardian
  with legal authority, and no other session at the group's times; their legal
  guardians are told.
- When a guardian says yes, the group's leaders join the child's care team (treating)
  and the child takes part in every session still to come (their old places back, if
  they had left). Leaving cancels those and takes the seats joining added off the team.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.appointments import actions as booking
from tandem.appointments.models import (
    BUSY_STATUSES,
    MAX_MINUTES,
    Appointment,
    AppointmentStatus,
    Encounter,
)
from tandem.children.actions import add_to_care_team, remove_from_care_team
from tandem.children.models import CareTeamMember, Child, TeamRole
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind

from .models import (
    TAKING_A_PLACE,
    Enrolment,
    EnrolmentStatus,
    GroupProgram,
    GroupSession,
)


def _when(encounter: Encounter, zone: Any) -> dict[str, str]:
    start = encounter.starts_at.astimezone(zone)
    return {
        "start": time_format(start.time(), "H:i"),
        "end": time_format(encounter.ends_at.astimezone(zone).time(), "H:i"),
        "day": date_format(start.date(), "D j M"),
    }


# --- Inviting a child, and the family's answer -------------------------------------


def upcoming_sessions(program: GroupProgram, now: datetime.datetime) -> list[Encounter]:
    return list(
        Encounter.objects.filter(
            organization_id=program.organization_id,
            group__organization_id=program.organization_id,
            group__program=program,
            starts_at__gte=now,
        ).order_by("starts_at")
    )


def age_fits(program: GroupProgram, child: Child, on: datetime.date) -> bool:
    years, months = child.age_on(on)
    return program.min_age_months <= years * 12 + months <= program.max_age_months


def places_taken(program: GroupProgram) -> int:
    """Children invited or in the group (an archived child's place is free again)."""
    return Enrolment.objects.filter(
        organization_id=program.organization_id,
        program=program,
        status__in=TAKING_A_PLACE,
        child__archived_at__isnull=True,
    ).count()


@transaction.atomic
def invite(
    by: Membership, program: GroupProgram, child: Child, *, at: datetime.datetime | None = None
) -> Enrolment:
    """Offer the child a place; the child's legal guardians are asked to consent."""
    now = at or timezone.now()
    # One at a time per group: two invitations never take its last place twice.
    list(
        GroupProgram.objects.select_for_update()
        .filter(organization_id=program.organization_id, pk=program.pk)
        .order_by()
        .values_list("pk", flat=True)
    )
    errors: list[str] = []
    enrolment = Enrolment.objects.filter(
        organization_id=program.organization_id, program=program, child=child
    ).first()
    if enrolment is not None and enrolment.status in TAKING_A_PLACE:
        errors.append(
            _("%(child)s is already invited to this group or in it.")
            % {"child": child.display_name}
        )
    if child.organization_id != program.organization_id or child.archived_at is not None:
        errors.append(_("Choose a child of the clinic."))
    sessions = upcoming_sessions(program, now)
    if program.closed_at is not None:
        errors.append(_("This group is closed."))
    elif not sessions:
        errors.append(_("This group has no session still to come."))
    elif not age_fits(program, child, clock.today_for(child.organization, sessions[0].starts_at)):
        errors.append(
            _("%(child)s's age is outside this group's age range.") % {"child": child.display_name}
        )
    if places_taken(program) >= program.max_size:
        errors.append(_("The group is full."))
    legal = Membership.objects.filter(
        organization_id=child.organization_id,
        is_active=True,
        guardian_links__child=child,
        guardian_links__has_legal_authority=True,
        guardian_links__organization_id=child.organization_id,
    ).select_related("user", "organization")
    if not errors and not legal:
        errors.append(
            _(
                "%(child)s has no parent or guardian with legal authority to consent: "
                "add one on the Team tab first."
            )
            % {"child": child.display_name}
        )
    if not errors and (clash := _child_clash(child, sessions)):
        errors.append(clash)
    if errors:
        raise ValidationError(errors)
    if enrolment is None:
        enrolment = Enrolment(organization_id=program.organization_id, program=program, child=child)
    else:
        enrolment.version += 1
    enrolment.status = EnrolmentStatus.INVITED
    enrolment.invited_by = by
    enrolment.answered_by, enrolment.answered_at, enrolment.left_at = None, None, None
    enrolment.save(at=at)
    notify(
        legal,
        Kind.GROUP_INVITATION,
        child=child,
        detail=program.name,
        url=reverse("groups:family", args=[child.id]),
        now=at,
    )
    return enrolment


def _child_clash(child: Child, sessions: list[Encounter]) -> str | None:
    """The child's other session at one of the group's times, named, or None."""
    if not sessions:
        return None
    others = (
        Appointment.objects.filter(
            organization_id=child.organization_id,
            child=child,
            status__in=BUSY_STATUSES,
            encounter__starts_at__gte=sessions[0].starts_at
            - datetime.timedelta(minutes=MAX_MINUTES),
            encounter__starts_at__lt=sessions[-1].ends_at,
        )
        .exclude(encounter_id__in=[s.pk for s in sessions])
        .select_related("encounter")
    )
    zone = booking.clinic_zone(child.organization)
    for other in others:
        if any(
            other.encounter.starts_at < s.ends_at and other.encounter.ends_at > s.starts_at
            for s in sessions
        ):
            return _(
                "%(child)s already has a session from %(start)s to %(end)s on %(day)s, "
                "when the group meets."
            ) % {"child": child.display_name, **_when(other.encounter, zone)}
    return None


def _locked(enrolment: Enrolment, expected_version: int) -> Enrolment:
    current = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("program__leader", "program__co_leader", "child__organization")
        .get(organization_id=enrolment.organization_id, pk=enrolment.pk)
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    return current


@transaction.atomic
def answer(
    by: Membership,
    enrolment: Enrolment,
    *,
    expected_version: int,
    consent: bool,
    at: datetime.datetime | None = None,
) -> Enrolment:
    """A legal guardian says yes (the child joins every session still to come, and the
    leaders join the care team) or no."""
    current = _locked(enrolment, expected_version)
    if current.status != EnrolmentStatus.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    now = at or timezone.now()
    program, child = current.program, current.child
    if consent:
        sessions = upcoming_sessions(program, now)
        if not sessions:
            raise ValidationError(_("This group has no session still to come."))
        if clash := _child_clash(child, sessions):
            raise ValidationError(
                [clash, _("Please ask the clinic: they will find a time that works.")]
            )
        seated = set(
            CareTeamMember.objects.filter(
                organization_id=child.organization_id, child=child
            ).values_list("therapist_id", flat=True)
        )
        added = []
        for leader in (program.leader, program.co_leader):
            if leader is not None and leader.pk not in seated and leader.is_active:
                add_to_care_team(child, leader, TeamRole.TREATING, at=at)
                added.append(str(leader.pk))
        current.seated = added
        # A child who left and joins again takes their old places back.
        before = {
            a.encounter_id: a
            for a in Appointment.objects.filter(
                organization_id=child.organization_id,
                child=child,
                encounter_id__in=[e.pk for e in sessions],
            ).select_related("encounter", "child__organization")
        }
        for encounter in sessions:
            place = before.get(encounter.pk)
            if place is None:
                Appointment(
                    organization_id=child.organization_id,
                    encounter=encounter,
                    child=child,
                    status=AppointmentStatus.SCHEDULED,
                    created_by=by,
                ).save(at=at)
            elif place.status == AppointmentStatus.CANCELLED:
                booking.set_status(
                    place,
                    expected_version=place.version,
                    status=AppointmentStatus.SCHEDULED,
                    by=by,
                    at=at,
                )
    current.status = EnrolmentStatus.ENROLLED if consent else EnrolmentStatus.DECLINED
    current.answered_by, current.answered_at = by, now
    current.version += 1
    current.save(at=at)
    return current


@transaction.atomic
def leave(
    by: Membership,
    enrolment: Enrolment,
    *,
    expected_version: int,
    at: datetime.datetime | None = None,
) -> Enrolment:
    """Take the child out of the group (or withdraw the invitation): their sessions still
    to come are cancelled, with who did it."""
    current = _locked(enrolment, expected_version)
    if current.status not in TAKING_A_PLACE:
        raise ValidationError(_("This child is not in the group."))
    now = at or timezone.now()
    coming = Appointment.objects.filter(
        organization_id=current.organization_id,
        child_id=current.child_id,
        encounter__organization_id=current.organization_id,
        encounter__group__organization_id=current.organization_id,
        encounter__group__program_id=current.program_id,
        encounter__starts_at__gte=now,
        status=AppointmentStatus.SCHEDULED,
    ).select_related("encounter", "child__organization")
    for appointment in coming:
        booking.set_status(
            appointment,
            expected_version=appointment.version,
            status=AppointmentStatus.CANCELLED,
            reason=_("Left the group"),
            by=by,
            at=at,
        )
    _unseat(current)
    current.status = EnrolmentStatus.LEFT
    current.left_at = now
    current.seated = []
    current.version += 1
    current.save(at=at)
    return current


def _unseat(enrolment: Enrolment) -> None:
    """Take off the child's care team the leaders joining seated there, unless another
    group the child is still in keeps them (their notes stay: they are signed records)."""
    added = set(enrolment.seated or [])
    if not added:
        return
    still = Enrolment.objects.filter(
        organization_id=enrolment.organization_id,
        child_id=enrolment.child_id,
        status=EnrolmentStatus.ENROLLED,
    ).exclude(pk=enrolment.pk)
    kept = {s for e in still for s in (e.seated or [])}
    seats = CareTeamMember.objects.filter(
        organization_id=enrolment.organization_id,
        child_id=enrolment.child_id,
        therapist_id__in=list(added - kept),
        role=TeamRole.TREATING,
    )
    for seat in seats:
        remove_from_care_team(seat)


@transaction.atomic
def close_program(
    by: Membership,
    program: GroupProgram,
    *,
    expected_version: int,
    at: datetime.datetime | None = None,
) -> GroupProgram:
    """Close the group: every child still in it (or invited) leaves — their sessions to
    come cancelled, the seats joining added taken off — and its sessions to come that no
    child ever took part in are taken off the leaders' calendars. Past sessions and their
    notes stay as they are."""
    current = (
        GroupProgram.objects.select_for_update()
        .filter(organization_id=program.organization_id, pk=program.pk)
        .first()
    )
    if current is None:
        raise ValueError("no such group")
    if current.version != expected_version:
        raise Conflict(current.version)
    if current.closed_at is not None:
        raise ValidationError(_("This group is already closed."))
    now = at or timezone.now()
    staying = Enrolment.objects.filter(
        organization_id=current.organization_id, program=current, status__in=TAKING_A_PLACE
    )
    for enrolment in staying:
        leave(by, enrolment, expected_version=enrolment.version, at=at)
    coming = GroupSession.objects.filter(
        organization_id=current.organization_id,
        program=current,
        encounter__organization_id=current.organization_id,
        encounter__starts_at__gte=now,
    ).select_related("encounter")
    taken_part = set(
        Appointment.objects.filter(
            organization_id=current.organization_id,
            encounter_id__in=[s.encounter_id for s in coming],
        ).values_list("encounter_id", flat=True)
    )
    for session in coming:
        if session.encounter_id not in taken_part:
            encounter = session.encounter
            session.delete()
            booking.drop_unused_session(encounter)
    current.closed_at = now
    current.version += 1
    current.save(at=at)
    return current
