"""What the billing pages and the API show: balances, aging, authorizations at risk, the
sessions not billed yet. Every figure comes from a bounded number of queries (sums are
subqueries), whatever the number of charges."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from tandem.notes.models import NoteStatus, SessionNote

from .models import (
    Adjustment,
    Authorization,
    AuthorizationUnit,
    Charge,
    ChargeStatus,
    Party,
    Payment,
    ServiceLine,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
BUCKETS = ("0-30", "31-60", "61-90", "90+")
WARN_USED = 80  # percent of an authorization used
WARN_DAYS = 30  # days before an authorization ends
UNSIGNED_DAYS = 3  # a draft older than this blocks billing


def _sum(model: Any, **filters: Any) -> Any:
    money = DecimalField(max_digits=12, decimal_places=2)
    rows = (
        model.objects.filter(
            organization_id=OuterRef("organization_id"), charge=OuterRef("pk"), **filters
        )
        .values("charge")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=money), Value(ZERO), output_field=money)


def with_balances(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """Annotate each charge: paid (by anyone), written off, the patient share (PR), and
    what the family paid; ``owed_by_family``/``owed_by_payer`` are computed from them."""
    return charges.annotate(
        paid_total=_sum(Payment),
        family_paid=_sum(Payment, party=Party.FAMILY),
        adjusted=_sum(Adjustment),
        patient_share=_sum(Adjustment, group_code="PR"),
    )


@dataclass
class Balance:
    family: Decimal = ZERO
    payer: Decimal = ZERO
    grant: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.family + self.payer + self.grant


def _cents(value: Any) -> Decimal:
    """A sum as the database gave it (SQLite: a float's digits) to the cent."""
    return Decimal(value or 0).quantize(CENT)


def owed(charge: Charge) -> Balance:
    """Who still owes what on a charge annotated by ``with_balances``."""
    paid = _cents(charge.paid_total)  # type: ignore[attr-defined]
    adjusted = _cents(charge.adjusted)  # type: ignore[attr-defined]
    family_paid = _cents(charge.family_paid)  # type: ignore[attr-defined]
    if charge.party == Party.PAYER:
        share = _cents(charge.patient_share)  # type: ignore[attr-defined]
        payer_owes = charge.amount - (paid - family_paid) - adjusted
        return Balance(family=share - family_paid, payer=max(payer_owes, ZERO))
    rest = charge.amount - paid - adjusted
    if charge.party == Party.GRANT:
        return Balance(grant=rest)
    return Balance(family=rest)


def bucket(service_date: datetime.date, today: datetime.date) -> str:
    age = (today - service_date).days
    if age <= 30:
        return "0-30"
    if age <= 60:
        return "31-60"
    if age <= 90:
        return "61-90"
    return "90+"


@dataclass
class AgingRow:
    """One child's balance, by who owes it and by age."""

    child: Any
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    family: Decimal = ZERO
    payer: Decimal = ZERO
    grant: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


def aging(charges: QuerySet[Charge], today: datetime.date) -> tuple[list[AgingRow], AgingRow]:
    """Balances by child and age (0–30, 31–60, 61–90, 90+ days since the session), and the
    clinic's total row; children owing nothing are left out. One query."""
    rows: dict[Any, AgingRow] = {}
    total = AgingRow(child=None)
    for charge in with_balances(charges.exclude(status=ChargeStatus.VOID)).select_related("child"):
        balance = owed(charge)
        if balance.total <= 0:
            continue
        row = rows.setdefault(charge.child_id, AgingRow(child=charge.child))
        for target in (row, total):
            target.buckets[bucket(charge.service_date, today)] += balance.total
            target.family += balance.family
            target.payer += balance.payer
            target.grant += balance.grant
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.child.last_name, r.child.first_name))
    return ordered, total


@dataclass
class AuthorizationUse:
    authorization: Authorization
    used: int
    today: datetime.date

    @property
    def left(self) -> int:
        return max(self.authorization.allowed - self.used, 0)

    @property
    def percent_used(self) -> int:
        return min(100 * self.used // self.authorization.allowed, 999)

    @property
    def days_left(self) -> int:
        return (self.authorization.ends_on - self.today).days

    @property
    def nearly_used(self) -> bool:
        return self.percent_used >= WARN_USED

    @property
    def ending_soon(self) -> bool:
        return 0 <= self.days_left <= WARN_DAYS

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def at_risk(self) -> bool:
        return not self.expired and (self.nearly_used or self.ending_soon)


def authorization_uses(
    authorizations: QuerySet[Authorization], today: datetime.date
) -> list[AuthorizationUse]:
    """Each authorization with the visits or units its live charges used (one query)."""
    charges = (
        Charge.objects.filter(
            organization_id=OuterRef("organization_id"), authorization=OuterRef("pk")
        )
        .exclude(status=ChargeStatus.VOID)
        .values("authorization")
    )
    visits = charges.annotate(n=Count("encounter", distinct=True)).values("n")
    units = charges.annotate(n=Sum("units")).values("n")
    rows = authorizations.annotate(
        visits=Coalesce(Subquery(visits), 0), units_used=Coalesce(Subquery(units), 0)
    )
    return [
        AuthorizationUse(
            a, a.visits if a.counts == AuthorizationUnit.VISITS else a.units_used, today
        )
        for a in rows
    ]


def at_risk(
    authorizations: QuerySet[Authorization], today: datetime.date
) -> list[AuthorizationUse]:
    """Authorizations still running that are 80 % used or end within 30 days."""
    running = authorizations.filter(ends_on__gte=today).select_related("child", "policy__payer")
    return [u for u in authorization_uses(running, today) if u.at_risk]


def unbilled_notes(notes: QuerySet[SessionNote]) -> QuerySet[SessionNote]:
    """Signed notes with no live charge: codes missing, or every code under 8 minutes."""
    charged = Charge.objects.filter(
        organization_id=OuterRef("organization_id"), note=OuterRef("pk")
    ).exclude(status=ChargeStatus.VOID)
    coded = ServiceLine.objects.filter(
        organization_id=OuterRef("organization_id"), note=OuterRef("pk")
    )
    return (
        notes.filter(status=NoteStatus.SIGNED)
        .annotate(charged=Exists(charged), lines=Exists(coded))
        .filter(charged=False)
        .select_related("child", "author__user")
        .order_by("date", "start_time")
    )


def late_drafts(notes: QuerySet[SessionNote], today: datetime.date) -> QuerySet[SessionNote]:
    """Notes not signed N days after the session: they hold up billing."""
    cutoff = today - datetime.timedelta(days=UNSIGNED_DAYS)
    return (
        notes.exclude(status=NoteStatus.SIGNED)
        .filter(date__lte=cutoff)
        .select_related("child", "author__user")
        .order_by("date", "start_time")
    )


def totals_by_party(charges: list[Charge]) -> dict[str, Decimal]:
    found: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for charge in charges:
        balance = owed(charge)
        found["family"] += balance.family
        found["payer"] += balance.payer
        found["grant"] += balance.grant
    return dict(found)
