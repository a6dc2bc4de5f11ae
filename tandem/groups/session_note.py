"""The group session note: one screen for the whole group, each child's part that
child's own session note (on the group's encounter), written and signed through
``tandem.notes.actions`` like any other."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.access import allows, visible_children
from tandem.accounts.models import Membership
from tandem.appointments import actions as booking
from tandem.appointments.models import (
    Appointment,
    AppointmentStatus,
    ServiceType,
)
from tandem.core.access import Conflict
from tandem.notes import actions as notes
from tandem.notes.goal_data import has_data
from tandem.notes.models import NoteStatus, SessionNote
from tandem.plans.models import Goal, GoalStatus, PlanStatus

from .models import (
    Enrolment,
    EnrolmentStatus,
    GroupSession,
)

ATTENDANCE = {
    "present": AppointmentStatus.ATTENDED,
    "absent": AppointmentStatus.MISSED,
    "excused": AppointmentStatus.CANCELLED,
}


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
