"""What a session would clash with: one of its therapists in another session, its room,
the child, or a brother or sister in another session at that time (``actions._check``
asks; working hours and time off are ``availability.unavailable``)."""

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import GuardianLink

from .access import room_bookings, therapist_bookings
from .models import BUSY_STATUSES, MAX_MINUTES, Appointment, Encounter, ServiceType

Interval = tuple[datetime, datetime]  # a session's start and end


def _overlaps(other: Encounter, intervals: Sequence[Interval]) -> bool:
    return any(other.starts_at < end and other.ends_at > start for start, end in intervals)


def clash_with(
    appointment: Appointment,
    zone: ZoneInfo,
    *,
    also: Sequence[Interval] = (),
    moving: Collection[Any] = (),
) -> str | None:
    """What this session (and ``also``, the other sessions of a series booked or moved
    with it) would clash with, named for the person booking, or None: one of its
    therapists, its room, the child, or a brother or sister in another session then.
    One query per kind of clash, however many sessions; ``moving`` are the sessions
    being moved together (they do not clash with their own old times).

    The therapists' rows are locked first, so two bookings of the same therapist made at
    the same moment are checked one after the other (PostgreSQL).
    """
    encounter = appointment.encounter
    org_id = appointment.organization_id
    own = {encounter.pk, *moving}
    intervals = [(encounter.starts_at, encounter.ends_at), *also]
    therapist_ids = encounter.therapist_ids()
    list(
        Membership.objects.select_for_update()
        .filter(pk__in=therapist_ids, organization_id=org_id)
        .order_by("pk")
    )
    earliest = min(start for start, _end in intervals) - timedelta(minutes=MAX_MINUTES)
    latest = max(end for _start, end in intervals)
    for other in therapist_bookings(org_id, therapist_ids, earliest, latest):
        if other.pk in own or not _overlaps(other, intervals):
            continue
        both_groups = (
            other.service_type == ServiceType.GROUP and encounter.service_type == ServiceType.GROUP
        )
        if not both_groups:
            busy = other.therapist_ids() & therapist_ids
            who = other.therapist if other.therapist_id in busy else other.co_therapist
            assert who is not None
            return _(
                "%(therapist)s already has a session from %(start)s to %(end)s on %(day)s. "
                "Choose another time or another therapist."
            ) % {"therapist": who.display_name, **_when(other, zone)}
    if encounter.room_id:
        for other in room_bookings(org_id, encounter.room_id, earliest, latest):
            if other.pk not in own and _overlaps(other, intervals):
                return _(
                    "%(room)s is booked from %(start)s to %(end)s on %(day)s. "
                    "Choose another room or another time."
                ) % {"room": other.room.name if other.room else "", **_when(other, zone)}
    child_sessions = _busy_parts(
        appointment, Q(child_id=appointment.child_id), earliest, latest, own
    )
    for other_part in child_sessions:
        if _overlaps(other_part.encounter, intervals):
            return _(
                "%(child)s already has a session from %(start)s to %(end)s on %(day)s. "
                "Choose another time."
            ) % {"child": appointment.child.display_name, **_when(other_part.encounter, zone)}
    for other_part in _family_sessions(appointment, earliest, latest, own):
        if _overlaps(other_part.encounter, intervals):
            # Not named: the person booking may not be on that child's team.
            return _(
                "A brother or sister (a child with the same parent or carer) has a session "
                "from %(start)s to %(end)s on %(day)s: the family cannot be in two places at "
                "once. Choose another time, or book both children into one session."
            ) % _when(other_part.encounter, zone)
    return None


def _family_sessions(
    appointment: Appointment, earliest: datetime, latest: datetime, own: Collection[Any]
) -> Any:
    """Busy appointments, in other sessions starting in [earliest, latest), of the
    children who share a parent or carer with this child."""
    org_id = appointment.organization_id
    guardians = GuardianLink.objects.filter(
        organization_id=org_id, child_id=appointment.child_id
    ).values("guardian_id")
    brothers_and_sisters = (
        GuardianLink.objects.filter(organization_id=org_id, guardian_id__in=guardians)
        .exclude(child_id=appointment.child_id)
        .values("child_id")
    )
    return _busy_parts(appointment, Q(child_id__in=brothers_and_sisters), earliest, latest, own)


def _busy_parts(
    appointment: Appointment, whose: Q, earliest: datetime, latest: datetime, own: Collection[Any]
) -> Any:
    """Booked or attended appointments of these children in sessions (other than ``own``)
    starting in [earliest, latest), with their sessions."""
    return (
        Appointment.objects.filter(
            whose,
            organization_id=appointment.organization_id,
            status__in=BUSY_STATUSES,
            encounter__starts_at__gte=earliest,
            encounter__starts_at__lt=latest,
        )
        .exclude(encounter_id__in=own)
        .select_related("encounter")
    )


def _when(encounter: Encounter, zone: ZoneInfo) -> dict[str, str]:
    start, end = encounter.starts_at.astimezone(zone), encounter.ends_at.astimezone(zone)
    return {
        "start": time_format(start.time(), "H:i"),
        "end": time_format(end.time(), "H:i"),
        "day": date_format(start.date(), "FULL_DATE_FORMAT"),
    }
