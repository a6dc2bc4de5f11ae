"""A Good Faith Estimate (No Surprises Act, 42 U.S.C. 300gg-136; 45 CFR 149.610): the
expected cost of a self-pay or uninsured family's care, given before it starts.

The services expected come from the child's recurring appointments when there are some
(their sessions a week, the weeks left, the session's length as units), else one session
a week for twelve weeks of the child's usual code; the staff can change them. Each is
priced at the fee schedule in force on the day of issue, less the family's sliding-scale
discount when the family pays.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from tandem.accounts.models import Membership
from tandem.appointments.models import Encounter, Series
from tandem.children.models import Child

from . import catalogue, charging
from .documents_family import FALLBACK_EXAMPLES, usual_service
from .fees import discounted
from .forms_fees import MAX_PER_WEEK, MAX_WEEKS
from .models import Party
from .reading import ZERO
from .units import units_for_minutes

DEFAULT_WEEKS = 12
# The code a discipline's recurring sessions usually bill, when the child has no charges.
DISCIPLINE_CODE = {"ot": "97530", "pt": "97110", "slp": "92507", "behavioral": "97153"}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass
class EstimatedService:
    code: str
    label: str | Promise
    units: int
    unit_fee: Decimal | None  # None: no fee in the schedule for it yet
    sessions: int

    @property
    def session_fee(self) -> Decimal:
        return (self.unit_fee or ZERO) * self.units

    @property
    def total_fee(self) -> Decimal:
        return self.session_fee * self.sessions


@dataclass
class Estimate:
    services: list[EstimatedService]
    per_week: int
    weeks: int
    discount_percent: int
    issued_on: datetime.date
    family_pays: bool
    missing: list[str] = field(default_factory=list)  # codes without a fee

    @property
    def sessions(self) -> int:
        return self.per_week * self.weeks

    @property
    def total_fee(self) -> Decimal:
        return sum((s.total_fee for s in self.services), ZERO)

    @property
    def discount(self) -> Decimal:
        # Per session and code, rounded as each charge is, then times the sessions.
        return sum(
            (
                discounted(s.session_fee, self.discount_percent)[0] * s.sessions
                for s in self.services
            ),
            ZERO,
        )

    @property
    def total(self) -> Decimal:
        return self.total_fee - self.discount

    @property
    def per_session(self) -> Decimal:
        return self.total / self.sessions if self.sessions else ZERO


def _rule_parts(rule: str) -> dict[str, str]:
    parts = {}
    for piece in rule.upper().split(";"):
        name, _sep, value = piece.partition("=")
        parts[name.strip()] = value.strip()
    return parts


def _until(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def series_plan(series: Series, today: datetime.date) -> tuple[int, int] | None:
    """(sessions a week, weeks) of a weekly series still running, or None."""
    parts = _rule_parts(series.rule)
    if parts.get("FREQ") != "WEEKLY":
        return None
    days = [d for d in parts.get("BYDAY", "").split(",") if d[-2:] in WEEKDAYS]
    per_week = min(max(len(days), 1), MAX_PER_WEEK)
    try:
        interval = max(int(parts.get("INTERVAL") or 1), 1)
    except ValueError:
        interval = 1
    weeks = DEFAULT_WEEKS
    if parts.get("COUNT", "").isdigit():
        weeks = -(-int(parts["COUNT"]) // per_week) * interval
        if series.starts_at.date() + datetime.timedelta(weeks=weeks) < today:
            return None  # every session of it is behind us
    elif until := _until(parts.get("UNTIL", "")):
        if until < today:
            return None
        start = max(today, series.starts_at.date())
        weeks = max((until - start).days // 7 + 1, 1)
    if interval > 1:  # every other week: as many sessions, spread over the same weeks
        per_week, weeks = 1, max(weeks // interval, 1)
    return per_week, min(max(weeks, 1), MAX_WEEKS)


def default_plan(child: Child, today: datetime.date) -> dict[str, Any]:
    """The services an estimate starts from: the child's recurring sessions, if any, else
    one session a week for twelve weeks of the child's usual code (a few queries)."""
    usual = usual_service(child)
    series = (
        Series.objects.filter(organization_id=child.organization_id, child=child)
        .order_by("-starts_at")
        .first()
    )
    plan = series_plan(series, today) if series is not None else None
    code, units = usual or FALLBACK_EXAMPLES[0]
    if series is not None and plan is not None:
        if usual is None:
            discipline = (
                Encounter.objects.filter(organization_id=child.organization_id, series=series)
                .values_list("discipline", flat=True)
                .first()
            )
            code = DISCIPLINE_CODE.get(discipline or "", code)
        service = catalogue.BY_CODE[code]
        units = units_for_minutes(series.duration_minutes) if service.timed else 1
        per_week, weeks = plan
    else:
        per_week, weeks = 1, DEFAULT_WEEKS
    return {"services": [(code, max(units, 1))], "per_week": per_week, "weeks": weeks}


def estimate_for(
    membership: Membership, child: Child, plan: dict[str, Any], today: datetime.date
) -> Estimate:
    """Price the plan at today's fee schedule, less the family's discount if they pay."""
    terms = charging.terms_for(child.pk, child.organization_id, today)
    family_pays = terms.party == Party.FAMILY
    codes = [code for code, _units in plan["services"]]
    fees = charging.fees_on(child.organization_id, codes, today)
    sessions = int(plan["per_week"]) * int(plan["weeks"])
    services = [
        EstimatedService(
            code=code,
            label=catalogue.BY_CODE[code].label,
            units=int(units),
            unit_fee=fees.get(code),
            sessions=sessions,
        )
        for code, units in plan["services"]
    ]
    return Estimate(
        services=services,
        per_week=int(plan["per_week"]),
        weeks=int(plan["weeks"]),
        discount_percent=terms.discount_percent if family_pays else 0,
        issued_on=today,
        family_pays=family_pays,
        missing=[code for code in codes if code not in fees],
    )
