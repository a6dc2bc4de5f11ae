"""The waitlist: each family's position, the expected wait, and who fits a freed slot.

Each function reads the clinic's waitlist once (one query), whatever its length.
"""

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tandem.core import clock

from .models import Referral, ReferralStatus, half_day
from .priority import FREE_THEN, Priority, order_key, priority

THROUGHPUT_DAYS = 182  # how far back the pace of the list is measured


@dataclass
class Place:
    referral: Referral
    position: int
    priority: Priority


def waitlist(organization_id: Any, today: datetime.date) -> list[Place]:
    """The clinic's waitlist in order, each family with its position (1 = next)."""
    rows = list(
        Referral.objects.filter(
            organization_id=organization_id, status=ReferralStatus.WAITLISTED
        ).select_related("organization")
    )
    rows.sort(key=lambda r: order_key(r, today))
    return [Place(r, n, priority(r, today)) for n, r in enumerate(rows, start=1)]


def weekly_pace(organization_id: Any, now: datetime.datetime) -> float:
    """Families who left the waitlist for a first appointment per week, lately."""
    since = now - datetime.timedelta(days=THROUGHPUT_DAYS)
    served = Referral.objects.filter(
        organization_id=organization_id,
        status=ReferralStatus.ACCEPTED,
        closed_at__gte=since,
    ).count()
    return served / (THROUGHPUT_DAYS / 7)


def expected_weeks(position: int, pace: float) -> int | None:
    """Weeks until a family at ``position`` is offered a time, at the recent pace (None
    when no family was served lately: no honest estimate)."""
    if pace <= 0:
        return None
    return max(1, math.ceil(position / pace))


@dataclass
class Standing:
    position: int
    size: int
    weeks: int | None


def standing(referral: Referral) -> Standing | None:
    """Where a waitlisted family stands (None when not on the list)."""
    if referral.status != ReferralStatus.WAITLISTED:
        return None
    today = clock.today_for(referral.organization)
    places = waitlist(referral.organization_id, today)
    position = next((p.position for p in places if p.referral.pk == referral.pk), None)
    if position is None:  # it left the list between the two reads
        return None
    pace = weekly_pace(referral.organization_id, timezone.now())
    return Standing(position, len(places), expected_weeks(position, pace))


@dataclass
class Candidate:
    place: Place
    points: int
    free_then: bool


def suitable(
    places: list[Place], discipline: str, starts_at: datetime.datetime, zone: object
) -> list[Candidate]:
    """Families on the list who asked for this discipline and can come then (or said any
    time), best first: the score, +10 when free at that half-day."""
    slot = half_day(timezone.localtime(starts_at, zone))  # type: ignore[arg-type]
    found = []
    for place in places:
        referral = place.referral
        if discipline not in referral.disciplines:
            continue
        free = slot in referral.availability
        if referral.availability and not free:
            continue
        found.append(Candidate(place, place.priority.points + (FREE_THEN if free else 0), free))
    found.sort(key=lambda c: (-c.points, c.place.position))
    return found


def median_wait_days(organization_id: Any, now: datetime.datetime) -> float | None:
    """Median days from joining the list to leaving it for a first appointment, lately."""
    since = now - datetime.timedelta(days=THROUGHPUT_DAYS)
    rows = Referral.objects.filter(
        organization_id=organization_id,
        status=ReferralStatus.ACCEPTED,
        closed_at__gte=since,
        waitlisted_at__isnull=False,
    ).values_list("waitlisted_at", "closed_at")
    waits = sorted((closed - joined).days for joined, closed in rows if joined and closed)
    if not waits:
        return None
    middle = len(waits) // 2
    return float(waits[middle]) if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
