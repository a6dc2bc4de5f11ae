"""Money for people in the fee pages and documents: ``{{ amount|money }}`` ("$1,234.50",
localized), ``{{ amount|dollars }}`` (without cents when whole: "$40,000")."""

from typing import Any

from django import template

from tandem.billing.documents_family import money as _money
from tandem.billing.documents_family import percent as _percent

register = template.Library()


@register.filter
def money(amount: Any) -> str:
    return "" if amount is None else _money(amount)


@register.filter
def dollars(amount: Any) -> str:
    return "" if amount is None else _money(amount, cents=False)


@register.filter
def percent(value: Any) -> str:
    return "" if value is None else _percent(int(value))
