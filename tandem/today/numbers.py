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
- **hours held** = the length of each session with at least one child attended, per
  therapist (lead or second therapist both count it);
- **documentation backlog** = notes still unsigned whose session started more than 24
  hours (and more than 72 hours) ago, by author, whatever the period.

Three queries whatever the size of the clinic: appointments grouped by therapist,
sessions held grouped by therapist, drafts grouped by author.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum

from tandem.accounts.models import Membership
from tandem.appointments.access import schedulable_therapists
from tandem.appointments.models import Appointment, AppointmentStatus, Encounter
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
    unsigned_24h: int = 0
    unsigned_72h: int = 0

    @property
    def no_show_rate(self) -> float | None:
        return rate(self.missed, self.attended + self.missed)

    @property
    def late_cancel_rate(self) -> float | None:
        return rate(self.late_cancelled, self.appointments)

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


def clinic_numbers(membership: Membership, days: int = DEFAULT_PERIOD) -> ClinicNumbers:
    today = clock.today()
    start_day = today - datetime.timedelta(days=days)
    start, end = clock.start_of(start_day), clock.start_of(today)
    therapists = list(schedulable_therapists(membership))
    rows: dict[uuid.UUID, Row] = {t.id: Row(t) for t in therapists}

    def row(therapist_id: uuid.UUID | None) -> Row | None:
        return rows.get(therapist_id) if therapist_id else None

    in_period = Q(encounter__starts_at__gte=start, encounter__starts_at__lt=end)
    appointments = Appointment.objects.visible_to(membership).filter(in_period)
    counts = dict(
        appointments=Count("pk"),
        attended=Count("pk", filter=Q(status=AppointmentStatus.ATTENDED)),
        missed=Count("pk", filter=Q(status=AppointmentStatus.MISSED)),
        cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
        late_cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED, late_cancel=True)),
    )
    # One query: grouped by (therapist, second therapist); each counts it.
    grouped = (
        appointments.order_by()
        .values("encounter__therapist_id", "encounter__co_therapist_id")
        .annotate(**counts)
    )
    total = Row(None)
    for group in grouped:
        for key in ("encounter__therapist_id", "encounter__co_therapist_id"):
            target = row(group[key])
            if target is not None:
                _add(target, group)
        _add(total, group)

    held = Appointment.objects.visible_to(membership).filter(
        encounter_id=OuterRef("pk"), status=AppointmentStatus.ATTENDED
    )
    sessions = (
        Encounter.objects.filter(organization_id=membership.organization_id)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .filter(Exists(held))
        .order_by()
        .values("therapist_id", "co_therapist_id")
        .annotate(minutes=Sum("duration_minutes"))
    )
    for group in sessions:
        minutes = group["minutes"] or 0
        for therapist_id in (group["therapist_id"], group["co_therapist_id"]):
            target = row(therapist_id)
            if target is not None:
                target.minutes_held += minutes
        total.minutes_held += minutes

    now = clock.now()
    drafts = (
        SessionNote.objects.visible_to(membership)
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
    for group in drafts:
        target = row(group["author_id"])
        if target is not None:
            target.unsigned_24h += group["day"]
            target.unsigned_72h += group["three"]
        total.unsigned_24h += group["day"]
        total.unsigned_72h += group["three"]

    shown = list(rows.values())
    return ClinicNumbers(
        days=days,
        start=start_day,
        end=today - datetime.timedelta(days=1),
        rows=shown,
        total=total,
        most_hours=max((r.hours_held for r in shown), default=0.0),
        most_backlog=max((r.unsigned_24h for r in shown), default=0),
    )


def _add(target: Row, group: dict) -> None:
    for name in ("appointments", "attended", "missed", "cancelled", "late_cancelled"):
        setattr(target, name, getattr(target, name) + group[name])
