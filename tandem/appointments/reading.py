"""What other pages read about appointments: each child's next one, a week or a day, a
split by time.

Each function is a constant number of queries whatever the number of children or
appointments (``next_appointments`` is one query for any number of children).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.core import clock

from .models import Appointment, AppointmentStatus

# What the family's home reads of a next appointment: when, with whom (first name), and
# whether the reminder was answered; fewer columns and joins to compile (issue 16).
NEXT_FIELDS = (
    *("id", "organization_id", "child_id", "status", "reminded_at", "confirmed_at"),
    *("encounter", "encounter__starts_at", "encounter__duration_minutes"),
    *("encounter__therapist", "encounter__therapist__invited_name"),
    *("encounter__therapist__user__first_name", "encounter__therapist__user__last_name"),
    "encounter__therapist__user__email",
)


def next_appointments(
    membership: Membership, child_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Appointment]:
    """Return {child_id: the child's next scheduled appointment}, in one query.

    Only children the member may see count; a child with nothing booked is left out.
    Each appointment has its session's time and therapist (and their user) loaded, and
    no other field (``NEXT_FIELDS``).
    """
    ids = list(child_ids)
    if not ids:
        return {}
    now = timezone.now()
    # The first of each child's, as a correlated subquery: filtering a window function
    # by its row number makes Django hash every selected column to compile it (issue 16:
    # 3-4 ms more per call, a tenth of the family's home). The subquery reads the
    # appointments of the outer row's child, whom the outer query's scope (visible_to)
    # has admitted: it needs no scope of its own (one scope to compile, not two).
    first = (
        Appointment.objects.filter(
            organization_id=membership.organization_id,
            child_id=OuterRef("child_id"),
            status=AppointmentStatus.SCHEDULED,
            encounter__starts_at__gte=now,
        )
        .order_by("encounter__starts_at", "created_at")
        .values("pk")[:1]
    )
    rows = (
        Appointment.objects.visible_to(membership)
        .filter(child_id__in=ids, pk=Subquery(first))
        .select_related("encounter__therapist__user")
        .only(*NEXT_FIELDS)
    )
    return {appointment.child_id: appointment for appointment in rows}


def split_by_now(
    appointments: QuerySet[Appointment], *, past_limit: int, upcoming_limit: int
) -> tuple[list[Appointment], list[Appointment], bool]:
    """Upcoming (soonest first) and past (latest first, up to ``past_limit``), in two queries.

    Returns (upcoming, past, more_past): ``more_past`` says older ones were left out.
    """
    now = timezone.now()
    upcoming = list(
        appointments.filter(encounter__starts_at__gte=now).order_by("encounter__starts_at")[
            :upcoming_limit
        ]
    )
    past = list(
        appointments.filter(encounter__starts_at__lt=now).order_by("-encounter__starts_at")[
            : past_limit + 1
        ]
    )
    return upcoming, past[:past_limit], len(past) > past_limit


@dataclass
class Day:
    day: date
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.day == clock.today()

    @property
    def booked_minutes(self) -> int:
        return sum(
            a.duration_minutes for a in self.appointments if a.status != AppointmentStatus.CANCELLED
        )


def week_of(day: date) -> date:
    """The Monday of the week a day falls in."""
    return day - timedelta(days=day.weekday())


WEEK, DAY = "week", "day"


@dataclass(frozen=True)
class Period:
    """What a schedule page shows: the week from a Monday, or one day (clinic dates)."""

    kind: str  # WEEK or DAY
    first: date

    @classmethod
    def of(cls, kind: str, day: date) -> "Period":
        """The day itself, or the week it falls in (any other ``kind`` is a week)."""
        return cls(DAY, day) if kind == DAY else cls(WEEK, week_of(day))

    @property
    def length(self) -> int:
        return 1 if self.kind == DAY else 7

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.length - 1)

    def shifted(self, steps: int) -> "Period":
        """The period ``steps`` days or weeks later (earlier when negative)."""
        return Period(self.kind, self.first + timedelta(days=steps * self.length))


def in_period(appointments: QuerySet[Appointment], period: Period) -> QuerySet[Appointment]:
    """The appointments of the period's days (clinic time, midnight to midnight)."""
    start, end = clock.start_of(period.first), clock.start_of(period.last + timedelta(days=1))
    return appointments.filter(encounter__starts_at__gte=start, encounter__starts_at__lt=end)


def empty_days(period: Period) -> list[Day]:
    return [Day(period.first + timedelta(days=n)) for n in range(period.length)]


def days(
    appointments: QuerySet[Appointment], period: Period, *, most: int | None = None
) -> list[Day] | None:
    """The period's days (clinic time, midnight to midnight) with their appointments,
    in one query; None when there are more than ``most`` of them (the same query)."""
    shown = empty_days(period)
    rows = in_period(appointments, period).order_by("encounter__starts_at")
    if most is not None:
        rows = rows[: most + 1]
        if len(rows) > most:
            return None
    for appointment in rows:
        local = timezone.localtime(appointment.starts_at).date()
        shown[(local - period.first).days].appointments.append(appointment)
    return shown


def mark_join_links(
    membership: Membership, appointments: Iterable[Appointment], *, family: bool = False
) -> None:
    """Set ``join_url`` on each appointment: its video room's address while the member may
    join (the child's family — ``family`` pages list only their children — or one of the
    session's therapists) and the session is open (15 minutes before the start to the
    end); "" otherwise. No query: the clinic's video address is the member's clinic's."""
    template = membership.organization.video_url_template
    now = timezone.now()
    for appointment in appointments:
        encounter = appointment.encounter
        opens, closes = encounter.join_window()
        may_join = family or membership.pk in encounter.therapist_ids()
        open_now = opens <= now < closes and appointment.status == AppointmentStatus.SCHEDULED
        url = ""
        if may_join and open_now and encounter.is_by_video and encounter.video_room and template:
            url = template.replace("{room}", encounter.video_room)
        appointment.join_url = url  # type: ignore[attr-defined]
