"""Starting a group, inviting children, a family's answer, and the group session note.

Each action runs in one transaction and raises ``ValidationError`` (by field) with
words the person can act on; nothing is saved when one part is refused.

- A group meets weekly from its first session (an RFC 5545 rule); each meeting is an
  encounter of the group service, booked when the group starts, with its leaders as the
  therapists and its room. Its leaders must be free then (other sessions, working hours,
  time off) and the room too: the refusal names the clash.
- A child is invited when their age fits, the group has a place, and they have no other
  session at the group's times; their legal guardians are told.
- When a guardian says yes, the group's leaders join the child's care team (treating) and
  the child takes part in every session still to come. Leaving cancels those.
- ``record``: one screen for the whole group: attendance, then for each child present a
  short note and data for their goals in the group's domains. Each child's part is that
  child's own session note (on the group's encounter), signed like any other.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from tandem.access import allows, visible_children
from tandem.accounts.models import Membership, Role
from tandem.appointments import actions as booking
from tandem.appointments.access import room_bookings, therapist_bookings
from tandem.appointments.availability import unavailable
from tandem.appointments.models import (
    BUSY_STATUSES,
    MAX_MINUTES,
    Appointment,
    AppointmentStatus,
    Encounter,
    Location,
    Room,
    ServiceType,
)
from tandem.appointments.series import starts, weekly
from tandem.children.actions import add_to_care_team, remove_from_care_team
from tandem.children.models import CareTeamMember, Child, TeamRole
from tandem.core import clock
from tandem.core.access import Conflict
from tandem.notes import actions as notes
from tandem.notes.goal_data import has_data
from tandem.notes.models import NoteStatus, SessionNote
from tandem.notifications.actions import notify
from tandem.notifications.models import Kind
from tandem.plans.models import Domain, Goal, GoalStatus, PlanStatus

from .models import (
    TAKING_A_PLACE,
    Enrolment,
    EnrolmentStatus,
    GroupProgram,
    GroupSession,
)

MAX_WEEKS = 26
PROGRAM_FIELDS = (
    "name",
    "kind",
    "discipline",
    "description",
    "min_age_months",
    "max_age_months",
    "min_size",
    "max_size",
    "target_domains",
    "duration_minutes",
)
ATTENDANCE = {
    "present": AppointmentStatus.ATTENDED,
    "absent": AppointmentStatus.MISSED,
    "excused": AppointmentStatus.CANCELLED,
}


def _problems(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Starting a group -------------------------------------------------------------


@transaction.atomic
def create_program(
    by: Membership,
    *,
    leader: Membership,
    co_leader: Membership | None,
    room: Room | None,
    starts_at: datetime.datetime,
    weeks: int,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> GroupProgram:
    """Start a group and book its weekly sessions."""
    organization = by.organization
    program = GroupProgram(
        organization_id=by.organization_id,
        leader=leader,
        co_leader=co_leader,
        room=room,
        created_by=by,
        starts_at=booking.in_clinic_time(starts_at, organization),
    )
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name not in PROGRAM_FIELDS:
            raise ValueError(f"{name} is not a field of a group")
        setattr(program, name, value)
    try:
        program.full_clean(
            exclude=["organization", "leader", "co_leader", "room", "created_by", "rule"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    _check_program(program, errors)
    if not 1 <= weeks <= MAX_WEEKS:
        errors.setdefault("weeks", []).append(
            _("A group meets for 1 to %(n)d weeks.") % {"n": MAX_WEEKS}
        )
    _problems(errors)
    program.rule = weekly(1, weeks)
    zone = booking.clinic_zone(organization)
    times = starts(program.rule, program.starts_at, zone)
    minutes = datetime.timedelta(minutes=program.duration_minutes)
    intervals = [(start, start + minutes) for start in times]
    if program.starts_at < (at or timezone.now()):
        errors.setdefault("starts_at", []).append(_("The first session must be in the future."))
    elif reason := _clash(program, intervals, zone):
        errors.setdefault("starts_at", []).append(reason)
    _problems(errors)
    program.save(at=at)
    for start in times:
        encounter = Encounter(
            organization_id=program.organization_id,
            starts_at=start,
            duration_minutes=program.duration_minutes,
            service_type=ServiceType.GROUP,
            discipline=program.discipline,
            location=Location.CLINIC,
            room=room,
            therapist=leader,
            co_therapist=co_leader,
            created_by=by,
        )
        encounter.save(at=at)
        GroupSession(
            organization_id=program.organization_id, program=program, encounter=encounter
        ).save(at=at)
    return program


def _check_program(program: GroupProgram, errors: dict[str, list[str]]) -> None:
    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field, person in (("leader", program.leader), ("co_leader", program.co_leader)):
        if person is None:
            continue
        if (
            person.organization_id != program.organization_id
            or person.role != Role.THERAPIST
            or not person.is_active
        ):
            problem(field, _("Choose one of the clinic's therapists."))
    if program.co_leader_id and program.co_leader_id == program.leader_id:
        problem("co_leader", _("Choose two different leaders, or only one."))
    if program.room is not None and (
        program.room.organization_id != program.organization_id or not program.room.is_active
    ):
        problem("room", _("Choose one of the clinic's rooms."))
    domains = program.target_domains
    if not isinstance(domains, list) or not domains:
        problem("target_domains", _("Choose at least one domain the group works on."))
    elif any(d not in Domain.values for d in domains):
        problem("target_domains", _("Choose domains from the list."))
    if (
        program.min_age_months is not None
        and program.max_age_months is not None
        and program.min_age_months > program.max_age_months
    ):
        problem("max_age_months", _("The oldest age must be at least the youngest age."))
    if (
        program.min_size is not None
        and program.max_size is not None
        and program.min_size > program.max_size
    ):
        problem("max_size", _("The most children must be at least the fewest."))


def _clash(
    program: GroupProgram, intervals: list[tuple[datetime.datetime, datetime.datetime]], zone: Any
) -> str | None:
    """Why the leaders or the room cannot take these sessions, or None (one query each)."""
    start, end = intervals[0][0], intervals[-1][1]
    earliest = start - datetime.timedelta(minutes=MAX_MINUTES)
    leaders = [p for p in (program.leader, program.co_leader) if p is not None]
    for first, last in intervals:
        local_start, local_end = first.astimezone(zone), last.astimezone(zone)
        if local_end.date() != local_start.date() and local_end.time() != datetime.time(0):
            return _("A group session must end by midnight on the day it starts.")

    def overlapping(found: Iterable[Encounter]) -> Encounter | None:
        return next(
            (
                other
                for other in found
                if any(other.starts_at < e and other.ends_at > s for s, e in intervals)
            ),
            None,
        )

    busy = overlapping(
        therapist_bookings(program.organization_id, [p.pk for p in leaders], earliest, end)
    )
    if busy is not None:
        who = busy.therapist if busy.therapist_id in program.leader_ids() else busy.co_therapist
        return _(
            "%(therapist)s already has a session from %(start)s to %(end)s on %(day)s. "
            "Choose another time or another leader."
        ) % {"therapist": who.display_name if who else "", **_when(busy, zone)}
    if program.room is not None:
        taken = overlapping(room_bookings(program.organization_id, program.room.pk, earliest, end))
        if taken is not None:
            return _(
                "%(room)s is booked from %(start)s to %(end)s on %(day)s. "
                "Choose another room or another time."
            ) % {"room": program.room.name, **_when(taken, zone)}
    return unavailable(program.organization_id, leaders, intervals, zone)


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
    if not sessions:
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


# --- The group session note ------------------------------------------------------


def linked_goals(
    organization_id: Any, domains: list[str], child_ids: Iterable[Any]
) -> dict[Any, list[Goal]]:
    """Each child's active goals (of active plans) in the group's domains: one query."""
    found: dict[Any, list[Goal]] = {}
    goals = Goal.objects.filter(
        organization_id=organization_id,
        child_id__in=list(child_ids),
        domain__in=domains,
        status=GoalStatus.ACTIVE,
        plan__status=PlanStatus.ACTIVE,
        plan__organization_id=organization_id,
    ).order_by("child_id", "position", "created_at")
    for goal in goals:
        found.setdefault(goal.child_id, []).append(goal)
    return found


def _left(session: GroupSession) -> Any:
    return Enrolment.objects.filter(
        organization_id=session.organization_id,
        program_id=session.program_id,
        status=EnrolmentStatus.LEFT,
    ).values("child_id")


def sees_a_child(by: Membership, session: GroupSession) -> bool:
    """Whether the member sees one of the children taking part in the session."""
    taking_part = Appointment.objects.filter(
        organization_id=session.organization_id, encounter_id=session.encounter_id
    ).values("child_id")
    return visible_children(by).filter(pk__in=taking_part).exists()


def documentable(by: Membership, session: GroupSession) -> list[Appointment]:
    """The children's places in the session whose part this member may write."""
    places = (
        Appointment.objects.filter(
            organization_id=session.organization_id, encounter_id=session.encounter_id
        )
        .exclude(status=AppointmentStatus.CANCELLED, child_id__in=_left(session))
        .select_related("child__organization", "encounter")
        .order_by("child__first_name", "child__last_name")
    )
    seen = {
        c.pk: c
        for c in visible_children(by).filter(
            pk__in=[p.child_id for p in places], archived_at__isnull=True
        )
    }
    mine = []
    for place in places:
        child = seen.get(place.child_id)
        if child is not None and allows(by, "groups.document", child=child):
            place.child = child
            mine.append(place)
    return mine


@transaction.atomic
def record(
    by: Membership,
    session: GroupSession,
    *,
    what_we_did: str,
    activities: str,
    children: Mapping[str, Mapping[str, Any]],
    sign: bool,
    at: datetime.datetime | None = None,
) -> list[SessionNote]:
    """Record the session for each child this member documents.

    ``children`` maps a child's id to ``attendance`` (present / absent / excused), the
    ``version`` of their draft when they have one (else a Conflict: it changed since it
    was read), and for
    a child present: ``note`` (how it went for them), ``engagement`` (1–5 or None) and
    ``goal_data`` (goal id → the fields its measurement records). Each child present gets
    their own draft note on the group's encounter (or their draft is updated); ``sign``
    signs them all. Any problem, for any child, keeps everything as it was.
    """
    encounter = session.encounter
    program = session.program
    zone = booking.clinic_zone(by.organization)
    places = {str(p.child_id): p for p in documentable(by, session)}
    unknown = set(children) - set(places)
    if unknown:
        raise ValidationError(_("A child in this form is not in the group session."))
    goals = linked_goals(by.organization_id, program.target_domains, places)
    drafts = {
        str(n.child_id): n
        for n in SessionNote.objects.filter(
            organization_id=by.organization_id, encounter=encounter, child_id__in=list(places)
        )
    }
    start = encounter.starts_at.astimezone(zone)
    end = encounter.ends_at.astimezone(zone)
    shared = {
        "date": start.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        # A session ending at midnight ends at 23:59 on the note (a note's times are a day's).
        "end_time": end.time().replace(second=0, microsecond=0)
        if end.date() == start.date()
        else datetime.time(23, 59),
        "service_type": ServiceType.GROUP,
        "location": encounter.location,
        "objective": what_we_did,
        "activities": activities,
    }
    errors: dict[str, list[str]] = {}
    written: list[SessionNote] = []
    for child_id, part in children.items():
        place = places[child_id]
        child = place.child
        name = child.display_name
        attendance = part.get("attendance", "")
        status = ATTENDANCE.get(attendance)
        if status is None:
            errors.setdefault(child_id, []).append(
                _("Say whether %(child)s came.") % {"child": name}
            )
            continue
        draft = drafts.get(child_id)
        if draft is not None and draft.is_locked:
            if status != AppointmentStatus.ATTENDED:
                errors.setdefault(child_id, []).append(
                    _("%(child)s's note is signed: they came.") % {"child": name}
                )
            continue  # signed: corrections are addenda, on the child's own note
        if draft is not None and part.get("version") != draft.version:
            # The draft changed since this form was read (another tab, another save).
            raise Conflict(draft.version)
        try:
            if place.status != status:
                booking.set_status(
                    place,
                    expected_version=place.version,
                    status=status,
                    reason=_("Absent from the group, the family told us")
                    if status == AppointmentStatus.CANCELLED
                    else "",
                    by=by,
                    at=at,
                )
            if status != AppointmentStatus.ATTENDED:
                if draft is not None:
                    if draft.author_id != by.pk:
                        raise ValidationError(
                            _("%(person)s has a draft for %(child)s in this session.")
                            % {"person": draft.author.display_name, "child": name}
                        )
                    draft.delete()
                continue
            fields = {
                **shared,
                "assessment": str(part.get("note") or "").strip(),
                "engagement": part.get("engagement"),
            }
            child_goals = goals.get(place.child_id, [])
            if draft is None:
                draft = notes.create_note(
                    by, child, goals=child_goals, encounter=encounter, at=at, **fields
                )
            elif draft.author_id != by.pk:
                raise ValidationError(
                    _("%(person)s has a draft for %(child)s in this session.")
                    % {"person": draft.author.display_name, "child": name}
                )
            else:
                draft = notes.update_note(
                    draft, by, expected_version=draft.version, fields=fields, at=at
                )
                draft = notes.set_goals(
                    draft, by, expected_version=draft.version, goals=child_goals
                )
            draft = notes.update_note(
                draft,
                by,
                expected_version=draft.version,
                goal_data=dict(part.get("goal_data") or {}),
                at=at,
            )
            if sign:
                # A goal the group did not work on today (no data) comes off the note.
                entries = notes.entries_of(draft)
                worked = [e.goal for e in entries if has_data(e)]
                if len(worked) < len(entries):
                    draft = notes.set_goals(draft, by, expected_version=draft.version, goals=worked)
                draft = notes.sign_note(draft, by, expected_version=draft.version, at=at)
            written.append(draft)
        except ValidationError as exc:
            errors.setdefault(child_id, []).extend(
                f"{name}: {message}" for message in _messages(exc)
            )
    if errors:
        raise ValidationError(errors)
    return written


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def signed_children(session: GroupSession) -> set[Any]:
    return set(
        SessionNote.objects.filter(
            organization_id=session.organization_id,
            encounter_id=session.encounter_id,
            status__in=(NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN),
        ).values_list("child_id", flat=True)
    )
