"""What a family reads about their fees, in plain words: who pays, their sliding-scale tier
and why (with their own numbers), and their statement (what was billed to them, what they
paid, what is left to pay). The family's page and the statement PDF both read it."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.children.models import Child

from . import catalogue, charging
from .access import charges_of, payments_of, sliding_tiers
from .fees import discounted, tier_for
from .models import Charge, ChargeStatus, FeeAgreement, Funding, Party
from .reading import ZERO, owed, with_balances

# The example session when neither the child nor the clinic has charges yet: 45 minutes
# of therapeutic activities (3 timed units), or one speech session.
FALLBACK_EXAMPLES = (("97530", 3), ("92507", 1))
STATEMENT_DAYS = 365


def money(amount: Any, *, cents: bool = True) -> str:
    """An amount for people, in the active language ("$1,234.50"; "$40,000" without cents)."""
    value = Decimal(amount or 0)
    places = 2 if cents or value != value.to_integral_value() else 0
    text = number_format(abs(value), decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"-${text}" if value < 0 else f"${text}"


def percent(value: int) -> str:
    return f"{number_format(value, use_l10n=True, force_grouping=True)}\u00a0%"


@dataclass
class Example:
    """A session the family would recognise, priced at today's fees and their discount."""

    code: str
    label: str | Promise
    units: int
    fee: Decimal
    discount: Decimal
    price: Decimal


def _weight(by_units: dict[int, int]) -> tuple[int, int]:
    """How much a code is billed: its charges, then its units."""
    return sum(by_units.values()), sum(units * n for units, n in by_units.items())


def usual_service(child: Child) -> tuple[str, int] | None:
    """The child's most billed code (on a tie, the one billed for more units) with its
    usual units a session; else the clinic's. A count by code and units, at most twice."""
    live = Charge.objects.filter(organization_id=child.organization_id).exclude(
        status=ChargeStatus.VOID
    )
    for rows in (live.filter(child=child), live):
        counts: dict[str, dict[int, int]] = {}
        for row in rows.values("code", "units").annotate(n=Count("id")).order_by():
            counts.setdefault(str(row["code"]), {})[int(row["units"])] = int(row["n"])
        if counts:
            code = max(sorted(counts), key=lambda c: _weight(counts[c]))
            by_units = counts[code]
            return code, max(sorted(by_units), key=lambda u: by_units[u])
    return None


def example_session(
    child: Child, day: datetime.date, discount_percent: int, usual: tuple[str, int] | None
) -> Example | None:
    """A session of the usual code at the fee in force on the day (None without a fee)."""
    choices = ([usual] if usual else []) + list(FALLBACK_EXAMPLES)
    fees = charging.fees_on(child.organization_id, [code for code, _n in choices], day)
    for code, units in choices:
        if code in fees:
            fee = fees[code] * units
            off, price = discounted(fee, discount_percent)
            return Example(code, catalogue.BY_CODE[code].label, units, fee, off, price)
    return None


def who_pays(agreement: FeeAgreement | None, payer_name: str = "") -> str:
    """Who pays for the sessions, in a sentence (``payer_name``: the insurance in force)."""
    funding = agreement.funding if agreement is not None else Funding.INSURANCE
    if agreement is not None and funding == Funding.SELF_PAY:
        return _("You pay for the sessions yourselves.")
    if agreement is not None and funding == Funding.GRANT:
        return _("A scholarship or grant pays for the sessions: %(name)s.") % {
            "name": agreement.grant_name
        }
    if payer_name:
        return _("Your insurance pays for the sessions: %(payer)s.") % {"payer": payer_name}
    if agreement is None:
        return _("The clinic has not recorded how sessions are paid for yet.")
    return _("The clinic has no insurance on file for today: for now, you pay for the sessions.")


def explain(agreement: FeeAgreement | None, example: Example | None) -> list[str]:
    """The family's tier and why, sentence by sentence, with their numbers (none before the
    household is assessed)."""
    if agreement is None or agreement.assessed_on is None:
        return []
    assert agreement.household_size is not None and agreement.percent_of_poverty is not None
    n = agreement.household_size
    lines = [
        ngettext(
            "Your household of %(n)s has an income of %(income)s a year.",
            "Your household of %(n)s has an income of %(income)s a year.",
            n,
        )
        % {"n": n, "income": money(agreement.annual_income, cents=False)},
        ngettext(
            "That is %(percent)s of the %(year)s federal poverty guideline for %(n)s person "
            "(%(amount)s).",
            "That is %(percent)s of the %(year)s federal poverty guideline for %(n)s people "
            "(%(amount)s).",
            n,
        )
        % {
            "percent": percent(agreement.percent_of_poverty),
            "year": agreement.guideline_year,
            "n": n,
            "amount": money(agreement.guideline_amount, cents=False),
        },
    ]
    tiers = sliding_tiers(agreement.organization_id)
    tier = tier_for(tiers, agreement.percent_of_poverty)
    off = agreement.discount_percent
    price = ""
    if example is not None:
        price = _("a %(fee)s session costs you %(price)s.") % {
            "fee": money(example.fee, cents=False),
            "price": money(example.price, cents=False),
        }
    if off and tier is not None and tier.discount_percent == off:
        text = _("Families up to %(limit)s get %(off)s off") % {
            "limit": percent(tier.up_to_percent),
            "off": percent(off),
        }
        lines.append(f"{text}: {price}" if price else f"{text}.")
    elif off:
        text = _("Your discount is %(off)s") % {"off": percent(off)}
        lines.append(f"{text}: {price}" if price else f"{text}.")
    else:
        text = _("Your income is above the clinic's sliding scale, so you pay the full fee")
        lines.append(f"{text}: {price}" if price else f"{text}.")
    lines.append(
        _("We checked this on %(day)s. If your income or household changes, tell us.")
        % {"day": date_format(agreement.assessed_on, "DATE_FORMAT")}
    )
    return lines


# --- The statement ----------------------------------------------------------------------


@dataclass
class StatementLine:
    charge: Charge
    label: str | Promise
    billed: Decimal  # what the family was billed for it (after the discount)
    paid: Decimal  # what the family paid on it
    due: Decimal  # what the family still owes on it
    insured: bool  # billed to insurance: the family owes its share only


@dataclass
class Statement:
    lines: list[StatementLine] = field(default_factory=list)
    earlier_due: Decimal = ZERO  # owed on sessions older than the statement's year
    on_account: Decimal = ZERO  # paid by the family but not matched to a session yet
    since: datetime.date | None = None
    today: datetime.date | None = None

    @property
    def billed(self) -> Decimal:
        return sum((line.billed for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def due_lines(self) -> list[StatementLine]:
        """The sessions still to pay (a phone shows these first, the rest folded)."""
        return [line for line in self.lines if line.due > 0]

    @property
    def due(self) -> Decimal:
        owed_now = sum((line.due for line in self.lines), ZERO) + self.earlier_due
        return max(owed_now - self.on_account, ZERO)


def statement_for(child: Child, today: datetime.date) -> Statement:
    """What the family was billed over the last year and what is left to pay (two queries,
    whatever the years of charges)."""
    since = today - datetime.timedelta(days=STATEMENT_DAYS)
    statement = Statement(since=since, today=today)
    for charge in with_balances(charges_of(child)):
        balance = owed(charge)
        share = getattr(charge, "patient_share", ZERO)
        family_share = share if charge.party == Party.PAYER else charge.amount
        if charge.party == Party.GRANT or (charge.party == Party.PAYER and not family_share):
            continue
        if charge.service_date < since:
            statement.earlier_due += max(balance.family, ZERO)
            continue
        service = catalogue.BY_CODE.get(charge.code)
        statement.lines.append(
            StatementLine(
                charge=charge,
                label=service.label if service else charge.code,
                billed=family_share,
                paid=getattr(charge, "family_paid", ZERO),
                due=balance.family,
                insured=charge.party == Party.PAYER,
            )
        )
    unmatched = payments_of(child).filter(party=Party.FAMILY, charge__isnull=True)
    statement.on_account = unmatched.aggregate(total=Sum("amount"))["total"] or ZERO
    statement.lines.sort(key=lambda ln: (ln.charge.service_date, ln.charge.code), reverse=True)
    return statement


def family_context(child: Child, agreement: FeeAgreement | None, today: datetime.date) -> dict:
    """Everything the family's page and statement show (a handful of queries)."""
    terms = charging.terms_for(child.pk, child.organization_id, today)
    family_pays = terms.party == Party.FAMILY
    discount = agreement.discount_percent if agreement is not None else 0
    example = example_session(child, today, discount, usual_service(child))
    payer = terms.policy.payer.name if terms.policy is not None else ""
    return {
        "agreement": agreement,
        "who_pays": who_pays(agreement, payer),
        "family_pays": family_pays,
        "explanation": explain(agreement, example) if family_pays else [],
        "example": example,
        "statement": statement_for(child, today),
        "today": today,
    }
