"""The waitlist's order: a priority score whose every point has a reason the clinic can
read (docs/clinic-operations.md states the same rules).

- **Age**: under 3 years, +30 ("early intervention comes first": what is missed before
  3 is hardest to make up, and Part C services end at 3); 3 to 5 years, +10;
- **Clinical urgency** set at triage: urgent +40, soon +20, routine 0;
- **Days waited** on the list: +1 a full week, at most +26 (half a year);
- for one slot offered (``match``): the therapy asked for must be the slot's discipline
  (else the family is not suitable), and a family free at that half-day gets +10.

Ties go to the family that joined the list first.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.core import clock

from .models import Referral, Urgency

UNDER_THREE = 30
PRESCHOOL = 10
URGENCY_POINTS = {Urgency.URGENT: 40, Urgency.SOON: 20, Urgency.ROUTINE: 0}
WEEK_POINT_CAP = 26
FREE_THEN = 10


@dataclass
class Priority:
    points: int = 0
    reasons: list[tuple[int, Promise]] = field(default_factory=list)

    def add(self, points: int, reason: Promise) -> None:
        if points:
            self.points += points
            self.reasons.append((points, reason))


def age_in_months(born: datetime.date, today: datetime.date) -> int:
    months = (today.year - born.year) * 12 + today.month - born.month
    return months - (1 if today.day < born.day else 0)


def priority(referral: Referral, today: datetime.date) -> Priority:
    """The referral's score on ``today`` (clinic date) with its reasons."""
    found = Priority()
    months = age_in_months(referral.date_of_birth, today)
    if months < 36:
        found.add(UNDER_THREE, _("Under 3: early intervention comes first"))
    elif months < 72:
        found.add(PRESCHOOL, _("Under 6: before school starts"))
    found.add(URGENCY_POINTS[Urgency(referral.urgency)], _("Clinical urgency set at triage"))
    if referral.waitlisted_at is not None:
        # The day they joined on the clinic's calendar (the list is read with its clinic).
        joined = clock.local_now(referral.organization, referral.waitlisted_at)
        waited = (today - joined.date()).days // 7
        found.add(min(max(waited, 0), WEEK_POINT_CAP), _("Weeks on the waitlist"))
    return found


def order_key(referral: Referral, today: datetime.date) -> tuple:
    """Highest score first, then the longest on the list."""
    joined = referral.waitlisted_at or referral.created_at
    return (-priority(referral, today).points, joined, str(referral.pk))
