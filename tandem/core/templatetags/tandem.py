"""Small template helpers."""

import uuid
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.core import idempotency

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    """Look a key up in a dict: ``{{ children|get_item:change.child_id }}``."""
    return mapping.get(key) if mapping else None


@register.filter
def age(years_months: tuple[int, int]) -> str:
    """An age in words, each part in its own plural: "6 years 1 month", "6 años 1 mes".

    Under a year only the months show ("8 months").
    """
    years, months = years_months
    in_months = ngettext("%(n)s month", "%(n)s months", months) % {"n": months}
    if not years:
        return in_months
    in_years = ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    return _("%(years)s %(months)s") % {"years": in_years, "months": in_months}


@register.filter
def age_short(years_months: tuple[int, int]) -> str:
    """An age for a narrow column: "6 y 1 m", "6 a 1 m"."""
    return _("%(y)s y %(m)s m") % {"y": years_months[0], "m": years_months[1]}


@register.simple_tag
def idempotency_field() -> str:
    """A hidden field naming this submission of a form, so a resent form writes once."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FIELD, uuid.uuid4().hex
    )
