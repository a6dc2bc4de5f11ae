"""The HHS poverty guidelines, shipped as data (``data/poverty_guidelines.json``, with
each year's Federal Register citation), and a household's income as a percentage of them.

The guidelines come in three tables: the 48 contiguous states and DC, Alaska, Hawaii. A
year's table for a region is used from that year on; where a year's table for a region is
not shipped, the latest earlier one is, and the result says which year it used.
"""

import json
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data" / "poverty_guidelines.json"
MAX_HOUSEHOLD = 20


class Region(models.TextChoices):
    CONTIGUOUS = "contiguous", _("48 contiguous states and Washington, DC")
    ALASKA = "alaska", _("Alaska")
    HAWAII = "hawaii", _("Hawaii")


@dataclass(frozen=True)
class Guideline:
    year: int
    region: str
    household_size: int
    amount: int  # annual income at 100 % of the guideline, in dollars
    citation: str


@cache
def _tables() -> dict[int, dict]:
    raw = json.loads(DATA.read_text())
    return {int(year): table for year, table in raw["years"].items()}


def guideline(year: int, region: str, household_size: int) -> Guideline:
    """The guideline for a household: the year's table, or the latest earlier one shipped."""
    if not 1 <= household_size <= MAX_HOUSEHOLD:
        raise ValueError(f"A household has 1 to {MAX_HOUSEHOLD} people.")
    tables = _tables()
    years = sorted((y for y in tables if y <= year and region in tables[y]), reverse=True)
    if not years:
        years = sorted(y for y in tables if region in tables[y])
    if not years:
        raise ValueError(f"No poverty guideline is shipped for {region!r}.")
    used = years[0]
    row = tables[used][region]
    amount = row["first"] + row["each_additional"] * (household_size - 1)
    return Guideline(used, region, household_size, amount, tables[used]["citation"])


def percent_of_poverty(annual_income: Decimal, rule: Guideline) -> int:
    """Income as a whole percentage of the guideline, rounded down (a family at 100.4 % is
    at 100 %, never pushed into the next tier by rounding)."""
    if annual_income < 0:
        raise ValueError("Income cannot be negative.")
    percent = Decimal(annual_income) * 100 / Decimal(rule.amount)
    return int(percent.to_integral_value(rounding=ROUND_FLOOR))
