"""The fee actions: the clinic's fee schedule, its sliding-scale tiers, and a family's
household assessment (the clinic's and therapists' numbers: ``fees_profile.py``).

A household is assessed when it is saved: its income as a percentage of this year's HHS
poverty guideline for its size and region (``poverty.py``), and the tier that applies —
the lowest ``up_to_percent`` at or above that percentage; above every tier, no discount.
The result is stored on the fee agreement as assessed, so later tables or tiers do not
move a family's discount until the household is assessed again.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.access import Conflict

from . import catalogue, poverty
from .models import FeeAgreement, FeeScheduleEntry, Funding, SlidingTier
from .poverty import Region

CENT = Decimal("0.01")
MAX_FEE = Decimal("100000")
MAX_INCOME = Decimal("10000000")
# A sensible first sliding scale (the clinic changes it): income up to % of the guideline
# → % off.
DEFAULT_TIERS: tuple[tuple[int, int], ...] = ((100, 80), (150, 60), (200, 40), (250, 20))
MAX_TIERS = 12


def parse_amount(raw: Any) -> Decimal | None:
    """An amount as people type it in the active language ("40,000", "12.50"; in Spanish
    "40.000" or "40 000", "12,50"; a "$" allowed), or as a machine writes it ("1234.56");
    None when it is neither."""
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    text = str(raw or "").strip().replace("$", "").replace(" ", "").replace("\u00a0", "")
    point = str(get_format("DECIMAL_SEPARATOR"))
    thousands = "".join(sorted({",", "."} - {point}))
    typed = re.fullmatch(
        rf"(\d{{1,3}}(?:[{re.escape(thousands)}]\d{{3}})+|\d+)(?:{re.escape(point)}(\d+))?", text
    )
    if typed is not None:
        whole = re.sub(r"\D", "", typed[1])
        return Decimal(f"{whole}.{typed[2]}") if typed[2] else Decimal(whole)
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return Decimal(text)
    return None


def _amount(raw: Any, *, field: str, message: str, limit: Decimal) -> Decimal:
    try:
        amount = parse_amount(raw)
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None:
        raise ValidationError({field: [message]})
    if not amount.is_finite() or amount < 0 or amount > limit or amount != amount.quantize(CENT):
        raise ValidationError({field: [message]})
    return amount.quantize(CENT)


# --- The fee schedule -----------------------------------------------------------------


@transaction.atomic
def add_fee(
    by: Membership,
    *,
    code: str,
    amount: Any,
    effective_from: datetime.date | None,
    at: datetime.datetime | None = None,
) -> FeeScheduleEntry:
    """Set the fee per unit of a code from a day on (until a later entry's day)."""
    problems: dict[str, list[str]] = {}
    code = (code or "").strip()
    if catalogue.code_for(code) is None:
        problems["code"] = [_("Choose one of the service codes Tandem knows.")]
    try:
        fee = _amount(
            amount,
            field="amount",
            message=_("Write the fee as an amount from 0 to 100,000, with at most cents."),
            limit=MAX_FEE,
        )
    except ValidationError as exc:
        problems.update(exc.message_dict)
    if effective_from is None:
        problems["effective_from"] = [_("Give the day the fee starts.")]
    if problems:
        raise ValidationError(problems)
    assert effective_from is not None
    taken = _("%(code)s already has a fee from %(day)s: choose another day.") % {
        "code": code,
        "day": effective_from.isoformat(),
    }
    if FeeScheduleEntry.objects.filter(
        organization_id=by.organization_id, code=code, effective_from=effective_from
    ).exists():
        raise ValidationError({"effective_from": [taken]})
    entry = FeeScheduleEntry(
        organization_id=by.organization_id, code=code, amount=fee, effective_from=effective_from
    )
    try:
        with transaction.atomic():
            entry.save(at=at)
    except IntegrityError:  # the same fee added at the same moment by someone else
        raise ValidationError({"effective_from": [taken]}) from None
    return entry


@dataclass
class FeeRow:
    """One code of the catalogue: its fee in force today, the ones to come, the past ones."""

    service: catalogue.ServiceCode
    current: FeeScheduleEntry | None
    upcoming: list[FeeScheduleEntry]
    past: list[FeeScheduleEntry]


def schedule_rows(entries: Sequence[FeeScheduleEntry], today: datetime.date) -> list[FeeRow]:
    """Every catalogue code with its fees (entries newest first, as the model orders them)."""
    by_code: dict[str, list[FeeScheduleEntry]] = {}
    for entry in entries:
        by_code.setdefault(entry.code, []).append(entry)
    rows = []
    for service in catalogue.CODES:
        found = sorted(by_code.get(service.code, []), key=lambda e: e.effective_from)
        started = [e for e in found if e.effective_from <= today]
        current = started[-1] if started else None
        rows.append(
            FeeRow(
                service=service,
                current=current,
                upcoming=[e for e in found if e.effective_from > today],
                past=list(reversed(started[:-1])),
            )
        )
    return rows


# --- The sliding scale ------------------------------------------------------------------


def _tier_numbers(up_to: Any, discount: Any) -> tuple[int, int]:
    problems: dict[str, list[str]] = {}
    try:
        limit = int(str(up_to).strip())
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= 1000:
        problems["up_to_percent"] = [
            _("Write the income limit as a whole percentage from 1 to 1000.")
        ]
    try:
        off = int(str(discount).strip())
    except (TypeError, ValueError):
        off = -1
    if not 0 <= off <= 100:
        problems["discount_percent"] = [
            _("Write the discount as a whole percentage from 0 to 100.")
        ]
    if problems:
        raise ValidationError(problems)
    return limit, off


def _duplicate(limit: int) -> ValidationError:
    return ValidationError(
        {
            "up_to_percent": [
                _("There is already a tier up to %(n)s %% of the guideline.") % {"n": limit}
            ]
        }
    )


@transaction.atomic
def add_tier(by: Membership, *, up_to_percent: Any, discount_percent: Any) -> SlidingTier:
    """Add a tier: a household at or under the limit gets the discount (if no lower tier
    fits it first)."""
    limit, off = _tier_numbers(up_to_percent, discount_percent)
    tiers = SlidingTier.objects.filter(organization_id=by.organization_id)
    if tiers.filter(up_to_percent=limit).exists():
        raise _duplicate(limit)
    if tiers.count() >= MAX_TIERS:
        raise ValidationError(_("At most %(n)s tiers.") % {"n": MAX_TIERS})
    tier = SlidingTier(
        organization_id=by.organization_id, up_to_percent=limit, discount_percent=off
    )
    try:
        with transaction.atomic():
            tier.save()
    except IntegrityError:
        raise _duplicate(limit) from None
    return tier


@transaction.atomic
def remove_tier(by: Membership, tier_id: Any) -> None:
    """Remove a tier (families already assessed keep their discount until reassessed)."""
    try:
        tier = SlidingTier.objects.get(organization_id=by.organization_id, pk=tier_id)
    except (SlidingTier.DoesNotExist, ValueError, ValidationError):
        raise ValidationError(_("That tier is already gone.")) from None
    tier.delete()


@transaction.atomic
def replace_tiers(by: Membership, tiers: Sequence[tuple[Any, Any]]) -> list[SlidingTier]:
    """Make these the clinic's tiers (all or nothing)."""
    cleaned: list[tuple[int, int]] = []
    problems: list[str] = []
    for n, (up_to, off) in enumerate(tiers, start=1):
        try:
            cleaned.append(_tier_numbers(up_to, off))
        except ValidationError as exc:
            problems.extend(
                _("Tier %(n)s: %(problem)s") % {"n": n, "problem": m} for m in exc.messages
            )
    limits = [limit for limit, _off in cleaned]
    for limit in sorted({x for x in limits if limits.count(x) > 1}):
        problems.append(
            _("There is already a tier up to %(n)s %% of the guideline.") % {"n": limit}
        )
    if len(cleaned) > MAX_TIERS:
        problems.append(_("At most %(n)s tiers.") % {"n": MAX_TIERS})
    if problems:
        raise ValidationError(problems)
    for old in SlidingTier.objects.filter(organization_id=by.organization_id):
        old.delete()
    made = []
    for limit, off in sorted(cleaned):
        tier = SlidingTier(
            organization_id=by.organization_id, up_to_percent=limit, discount_percent=off
        )
        tier.save()
        made.append(tier)
    return made


def tier_for(tiers: Sequence[SlidingTier], percent: int) -> SlidingTier | None:
    """The tier a household at ``percent`` of the guideline falls in (the lowest limit at or
    above it), or None above every tier."""
    fitting = [t for t in tiers if t.up_to_percent >= percent]
    return min(fitting, key=lambda t: t.up_to_percent) if fitting else None


# --- A family's household -------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """A household against the poverty guideline and the clinic's tiers."""

    guideline: poverty.Guideline
    percent: int
    tier: SlidingTier | None

    @property
    def discount_percent(self) -> int:
        return self.tier.discount_percent if self.tier else 0


def assess(
    year: int, region: str, household_size: int, income: Decimal, tiers: Sequence[SlidingTier]
) -> Assessment:
    rule = poverty.guideline(year, region, household_size)
    percent = poverty.percent_of_poverty(income, rule)
    return Assessment(rule, percent, tier_for(tiers, percent))


def _household(
    funding: str, size: Any, income: Any, region: str, grant_name: str
) -> tuple[int | None, Decimal | None]:
    problems: dict[str, list[str]] = {}
    if funding not in Funding.values:
        problems["funding"] = [_("Choose who pays for the sessions.")]
    if funding == Funding.GRANT and not grant_name:
        problems["grant_name"] = [_("Name the scholarship or grant.")]
    if len(grant_name) > 120:
        problems["grant_name"] = [_("At most 120 characters.")]
    if region not in Region.values:
        problems["region"] = [_("Choose where the family lives.")]
    given = size not in (None, "") or income not in (None, "")
    needed = funding == Funding.SELF_PAY or given
    people: int | None = None
    money: Decimal | None = None
    if needed:
        try:
            people = int(str(size).strip()) if size not in (None, "") else 0
        except ValueError:
            people = 0
        if people < 1:
            problems["household_size"] = [_("A household has at least one person.")]
        elif people > poverty.MAX_HOUSEHOLD:
            problems["household_size"] = [
                _("At most %(n)s people in a household.") % {"n": poverty.MAX_HOUSEHOLD}
            ]
        if income in (None, ""):
            problems["annual_income"] = [_("Give the household's income for a year (0 if none).")]
        else:
            try:
                money = _amount(
                    income,
                    field="annual_income",
                    message=_("Write the income as an amount of 0 or more, with at most cents."),
                    limit=MAX_INCOME,
                )
            except ValidationError as exc:
                problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    return people, money


@transaction.atomic
def save_household(
    by: Membership,
    child: Child,
    *,
    funding: str,
    household_size: Any,
    annual_income: Any,
    region: str,
    grant_name: str = "",
    expected_version: int | None,
    today: datetime.date,
    at: datetime.datetime | None = None,
) -> FeeAgreement:
    """Record who pays for the child's sessions and the household, and assess it: the
    guideline of ``today``'s year, the percentage, the tier's discount (stored as assessed)."""
    grant_name = (grant_name or "").strip()
    region = region or Region.CONTIGUOUS
    people, income = _household(funding, household_size, annual_income, region, grant_name)
    agreement = (
        FeeAgreement.objects.select_for_update()
        .filter(organization_id=child.organization_id, child=child)
        .first()
    )
    current = agreement.version if agreement else 0
    if expected_version is not None and expected_version != current:
        raise Conflict(current)
    if agreement is None:
        agreement = FeeAgreement(organization_id=child.organization_id, child=child)
    else:
        agreement.version += 1
    agreement.funding = funding
    agreement.grant_name = grant_name if funding == Funding.GRANT else ""
    agreement.region = region
    agreement.household_size = people
    agreement.annual_income = income
    if people is not None and income is not None:
        tiers = list(SlidingTier.objects.filter(organization_id=child.organization_id))
        result = assess(today.year, region, people, income, tiers)
        agreement.assessed_on = today
        agreement.guideline_year = result.guideline.year
        agreement.guideline_amount = result.guideline.amount
        agreement.percent_of_poverty = result.percent
        agreement.discount_percent = result.discount_percent
    else:
        agreement.assessed_on = None
        agreement.guideline_year = agreement.guideline_amount = None
        agreement.percent_of_poverty = None
        agreement.discount_percent = 0
    try:
        with transaction.atomic():
            agreement.save(at=at)
    except IntegrityError:  # the first agreement, saved by someone else meanwhile
        raise Conflict(1) from None
    return agreement


def discounted(fee: Decimal, discount_percent: int) -> tuple[Decimal, Decimal]:
    """(discount, what is left) of a fee, rounded to the cent as charges are."""
    off = (fee * discount_percent / 100).quantize(CENT, ROUND_HALF_UP)
    return off, fee - off
