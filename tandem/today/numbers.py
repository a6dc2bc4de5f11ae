"""The clinic's numbers for its admins: sessions held by therapist, no-shows and late
cancellations, and the documentation backlog.

Definitions (docs/clinic-operations.md says the same in words):

- the period is the last N days of the clinic's calendar, today excluded (a day's
  outcomes are known once it is over): [today − N, today);
- a child's appointment counts once per child: a group session of four children is four
  appointments, one session;
- **held** = appointments recorded as attended; **missed** (no-show) = recorded as
  missed; **no-show rate** = missed ÷ (attended + missed): cancellations are not no-shows;
- **late-cancel rate** = appointments cancelled within the clinic's late-cancellation
  window ÷ all appointments of the period (cancelled ones included);
- **sessions held** = sessions with at least one child attended (a group counts once),
  and **hours held** their length, per therapist (lead or second therapist both count);
- **utilisation** = hours held ÷ hours available, where available is the time inside
  the therapist's working hours on the days of the period, less their time off (none
  for a therapist with no working hours set);
- **documentation backlog** = notes still unsigned whose session started more than 24
  hours (and more than 72 hours) ago, by author, whatever the period;
- **authorizations at risk** = insurance authorizations still running that are 80 % used
  or end within the next 30 days (billing's rule), the clinic's today;
- archived children's appointments count (a past month's figures do not change when a
  child leaves), and everyone the figures name has a row (a therapist who left, an
  admin who runs sessions), so the rows add up to the total.

Eight queries at most whatever the size of the clinic: the therapists, appointments
grouped by therapist, sessions held grouped by therapist, drafts grouped by author, and
the people named who are not active therapists (only when there are some), working
hours and time off, and the authorizations at risk with their use.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.appointments.access import schedulable_therapists
from tandem.appointments.models import (
    Appointment,
    AppointmentStatus,
    Encounter,
    TimeOff,
    WorkingHours,
)
from tandem.billing.access import clinic_authorizations
from tandem.billing.reading import at_risk
from tandem.core import clock
from tandem.notes.models import NoteStatus, SessionNote

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


def rate(part: int, whole: int) -> float | None:
    """``part`` ÷ ``whole`` as a percentage with one decimal, None when nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Row:
    """One therapist's figures (or the clinic's, with ``therapist`` None)."""

    therapist: Membership | None
    appointments: int = 0
    attended: int = 0
    missed: int = 0
    cancelled: int = 0
    late_cancelled: int = 0
    minutes_held: int = 0
    available_minutes: int = 0  # inside working hours, less time off (0: no hours set)
    sessions_held: int = 0  # sessions (a group counts once) with a child attended
    unsigned_24h: int = 0
    unsigned_72h: int = 0

    @property
    def no_show_rate(self) -> float | None:
        return rate(self.missed, self.attended + self.missed)

    @property
    def late_cancel_rate(self) -> float | None:
        return rate(self.late_cancelled, self.appointments)

    minutes_held_with_hours: int | None = None  # the total's: of therapists with hours

    @property
    def utilisation(self) -> float | None:
        """Hours held ÷ hours available (None for a therapist with no working hours); the
        clinic's counts the therapists who have hours, each their own."""
        held = (
            self.minutes_held
            if self.minutes_held_with_hours is None
            else self.minutes_held_with_hours
        )
        return rate(held, self.available_minutes)

    @property
    def hours_held(self) -> float:
        return round(self.minutes_held / 60, 1)


@dataclass
class ClinicNumbers:
    days: int
    start: datetime.date
    end: datetime.date  # the last day counted
    rows: list[Row]
    total: Row
    most_hours: float = field(default=0.0)
    most_backlog: int = field(default=0)
    authorizations_at_risk: int = field(default=0)


def clinic_numbers(membership: Membership, days: int = DEFAULT_PERIOD) -> ClinicNumbers:
    today = clock.today()
    start_day = today - datetime.timedelta(days=days)
    start, end = clock.start_of(start_day), clock.start_of(today)
    org = membership.organization_id
    rows: dict[uuid.UUID, Row] = {t.id: Row(t) for t in schedulable_therapists(membership)}

    # The clinic's whole record, archived children's appointments included: a figure of
    # last month does not change when a child leaves (an admin's page).
    in_period = Q(encounter__starts_at__gte=start, encounter__starts_at__lt=end)
    counts = dict(
        appointments=Count("pk"),
        attended=Count("pk", filter=Q(status=AppointmentStatus.ATTENDED)),
        missed=Count("pk", filter=Q(status=AppointmentStatus.MISSED)),
        cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
        late_cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED, late_cancel=True)),
    )
    # Grouped by (therapist, second therapist): each of the two counts it.
    grouped: list[Any] = list(
        Appointment.objects.filter(organization_id=org)
        .filter(in_period)
        .order_by()
        .values("encounter__therapist_id", "encounter__co_therapist_id")
        .annotate(**counts)
    )
    held = Appointment.objects.filter(
        organization_id=org, encounter_id=OuterRef("pk"), status=AppointmentStatus.ATTENDED
    )
    sessions: list[Any] = list(
        Encounter.objects.filter(organization_id=org, starts_at__gte=start, starts_at__lt=end)
        .filter(Exists(held))
        .order_by()
        .values("therapist_id", "co_therapist_id")
        .annotate(minutes=Sum("duration_minutes"), sessions=Count("pk"))
    )
    drafts = list(drafts_late(membership))
    _add_rows_for_others(membership, rows, grouped, sessions, drafts)

    total = Row(None)
    for group in grouped:
        for key in ("encounter__therapist_id", "encounter__co_therapist_id"):
            if target := rows.get(group[key]):
                _add(target, group)
        _add(total, group)
    for group in sessions:
        minutes = group["minutes"] or 0
        for therapist_id in (group["therapist_id"], group["co_therapist_id"]):
            if target := rows.get(therapist_id):
                target.minutes_held += minutes
                target.sessions_held += group["sessions"]
        total.minutes_held += minutes
        total.sessions_held += group["sessions"]
    for group in drafts:
        if target := rows.get(group["author_id"]):
            target.unsigned_24h += group["day"]
            target.unsigned_72h += group["three"]
        total.unsigned_24h += group["day"]
        total.unsigned_72h += group["three"]

    for therapist_id, minutes in available_minutes(org, rows, start_day, today).items():
        rows[therapist_id].available_minutes = minutes
    # The clinic's utilisation: over the therapists who have working hours only.
    with_hours = [r for r in rows.values() if r.available_minutes]
    total.available_minutes = sum(r.available_minutes for r in with_hours)
    total.minutes_held_with_hours = sum(r.minutes_held for r in with_hours)

    shown = list(rows.values())
    return ClinicNumbers(
        days=days,
        start=start_day,
        end=today - datetime.timedelta(days=1),
        rows=shown,
        total=total,
        most_hours=max((r.hours_held for r in shown), default=0.0),
        most_backlog=max((r.unsigned_24h for r in shown), default=0),
        authorizations_at_risk=len(at_risk(clinic_authorizations(membership), today)),
    )


def available_minutes(
    organization_id: Any, rows: dict[uuid.UUID, Row], first: datetime.date, end: datetime.date
) -> dict[uuid.UUID, int]:
    """Minutes inside each therapist's working hours on the days [first, end), less their
    time off (two queries). Therapists with no working hours are left out."""
    blocks: dict[Any, dict[int, list[tuple[datetime.time, datetime.time]]]] = {}
    for block in WorkingHours.objects.filter(
        organization_id=organization_id, therapist_id__in=list(rows)
    ):
        blocks.setdefault(block.therapist_id, {}).setdefault(block.weekday, []).append(
            (block.starts, block.ends)
        )
    if not blocks:
        return {}
    start, stop = clock.start_of(first), clock.start_of(end)
    away: dict[Any, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    for leave in TimeOff.objects.order_by("starts_at").filter(
        organization_id=organization_id,
        therapist_id__in=list(blocks),
        starts_at__lt=stop,
        ends_at__gt=start,
    ):
        spans = away.setdefault(leave.therapist_id, [])
        if spans and leave.starts_at <= spans[-1][1]:  # overlapping leave counts once
            spans[-1] = (spans[-1][0], max(spans[-1][1], leave.ends_at))
        else:
            spans.append((leave.starts_at, leave.ends_at))
    zone = timezone.get_current_timezone()
    found = {}
    for therapist_id, week in blocks.items():
        minutes = 0.0
        day = first
        while day < end:
            for a, b in week.get(day.weekday(), []):
                opens = timezone.make_aware(datetime.datetime.combine(day, a), zone)
                closes = timezone.make_aware(datetime.datetime.combine(day, b), zone)
                gone = sum(
                    max(0.0, (min(closes, leave_end) - max(opens, leave_start)).total_seconds())
                    for leave_start, leave_end in away.get(therapist_id, [])
                )
                minutes += ((closes - opens).total_seconds() - gone) / 60
            day += datetime.timedelta(days=1)
        found[therapist_id] = round(minutes)
    return found


def drafts_late(membership: Membership) -> Any:
    """Unsigned notes by author, of sessions that started over 24 and over 72 hours ago."""
    now = clock.now()
    return (
        SessionNote.objects.filter(organization_id=membership.organization_id)
        .filter(
            status=NoteStatus.DRAFT, encounter__starts_at__lte=now - datetime.timedelta(hours=24)
        )
        .order_by()
        .values("author_id")
        .annotate(
            day=Count("pk"),
            three=Count(
                "pk", filter=Q(encounter__starts_at__lte=now - datetime.timedelta(hours=72))
            ),
        )
    )


def _add_rows_for_others(
    membership: Membership, rows: dict[uuid.UUID, Row], *groups: list[Any]
) -> None:
    """A row for everyone the figures name who is not an active therapist now (someone
    who left, an admin who runs sessions): their sessions and drafts are still the
    clinic's, and the rows add up to the total. One query, when there is someone."""
    keys = (
        "encounter__therapist_id",
        "encounter__co_therapist_id",
        "therapist_id",
        "co_therapist_id",
        "author_id",
    )
    named = {g[k] for group in groups for g in group for k in keys if g.get(k)}
    missing = named - set(rows)
    if not missing:
        return
    others = Membership.objects.filter(
        organization_id=membership.organization_id, pk__in=missing
    ).select_related("user")
    for other in sorted(others, key=lambda m: m.display_name):
        rows[other.id] = Row(other)


def _add(target: Row, group: dict) -> None:
    for name in ("appointments", "attended", "missed", "cancelled", "late_cancelled"):
        setattr(target, name, getattr(target, name) + group[name])
