"""The dates a child's school plans raise, worked out from the plans and the child's age.

- ``transition``: an IFSP in force and the child between 2 years 3 months and 2 years 9
  months — the window in which the Part C transition conference is held (at least 90
  days, and at the family's choice up to nine months, before the third birthday;
  34 CFR 303.209(b)(1)(ii), 303.209(c)(1));
- ``ifsp_review`` / ``iep_review`` / ``504_review``: a plan in force whose review is due
  within ``SOON_DAYS`` or has passed.

No query: the caller passes the plans it read through the access layer.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from tandem.children.models import Child

from .models import PlanKind, SchoolPlan

SOON_DAYS = 30
TRANSITION_OPENS = relativedelta(years=2, months=3)
TRANSITION_CLOSES = relativedelta(years=2, months=9)


@dataclass(frozen=True)
class Reminder:
    child: Child
    kind: str  # "transition", "ifsp_review", "iep_review", "504_review"
    day: datetime.date  # the day it is due (the transition window's last day)
    overdue: bool
    plan: SchoolPlan | None = None

    @property
    def text(self) -> str:
        if self.kind == "transition":
            return _("Plan the move from early intervention before age 3 (by %(day)s).") % {
                "day": self.day.isoformat()
            }
        label = {
            "ifsp_review": _("IFSP six-month review"),
            "iep_review": _("IEP annual review"),
            "504_review": _("504 plan review"),
        }[self.kind]
        if self.overdue:
            return _("%(label)s was due on %(day)s.") % {
                "label": label,
                "day": self.day.isoformat(),
            }
        return _("%(label)s is due on %(day)s.") % {"label": label, "day": self.day.isoformat()}


def transition_window(child: Child) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the Part C transition window for this child."""
    born = child.date_of_birth
    return born + TRANSITION_OPENS, born + TRANSITION_CLOSES


def default_review(kind: str, start: datetime.date) -> datetime.date:
    from .models import REVIEW_MONTHS

    return start + relativedelta(months=REVIEW_MONTHS[PlanKind(kind)])


def reminders_for(
    child: Child, plans: Iterable[SchoolPlan], today: datetime.date
) -> list[Reminder]:
    """What the child's plans in force ask for now, soonest first."""
    found: list[Reminder] = []
    active = [p for p in plans if p.is_active]
    if any(p.kind == PlanKind.IFSP for p in active):
        opens, closes = transition_window(child)
        if opens <= today <= closes:
            found.append(Reminder(child, "transition", closes, overdue=False))
    for plan in active:
        if plan.review_due - today <= datetime.timedelta(days=SOON_DAYS):
            kind = {"ifsp": "ifsp_review", "iep": "iep_review", "504": "504_review"}[plan.kind]
            found.append(Reminder(child, kind, plan.review_due, plan.review_due < today, plan))
    return sorted(found, key=lambda r: r.day)
