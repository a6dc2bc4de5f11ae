"""The forms of the fee pages: a fee, a tier, the clinic's numbers and a therapist's, a
family's household, a superbill's period, a Good Faith Estimate's services, a CSV's dates.

The forms check the shape of what was typed; the actions (``fees.py``) decide and say what
is wrong in the same words for the pages and the API.
"""

import datetime
import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import catalogue
from .models import Funding
from .poverty import MAX_HOUSEHOLD, Region

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_WEEKS = 52
MAX_PER_WEEK = 7
MAX_UNITS = 32
ESTIMATE_ROWS = 3
MAX_CSV_DAYS = 366


def _code_choices(blank: bool = False) -> list[tuple[str, str]]:
    return ([("", "—")] if blank else []) + catalogue.choices()


class FeeForm(forms.Form):
    code = forms.ChoiceField(label=_("Service code"), choices=_code_choices)
    amount = forms.CharField(
        label=_("Fee per unit ($)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("For a timed code, the fee of one 15-minute unit."),
    )
    effective_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class TierForm(forms.Form):
    up_to_percent = forms.IntegerField(
        label=_("Income up to (% of the poverty guideline)"), min_value=1, max_value=1000
    )
    discount_percent = forms.IntegerField(label=_("Discount (%)"), min_value=0, max_value=100)


class ProfileForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=120)
    npi = forms.CharField(
        label=_("Organization NPI"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    tax_id = forms.CharField(label=_("Tax ID (EIN)"), max_length=12, help_text="12-3456789")
    taxonomy = forms.CharField(label=_("Taxonomy code"), max_length=10, help_text="251S00000X")
    address = forms.CharField(label=_("Street address"), max_length=120)
    city = forms.CharField(label=_("City"), max_length=60)
    state = forms.CharField(label=_("State"), max_length=2, help_text=_("Two letters, such as OR."))
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    region = forms.ChoiceField(label=_("Poverty guideline region"), choices=Region.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProviderForm(forms.Form):
    membership = forms.ChoiceField(label=_("Therapist"))
    npi = forms.CharField(
        label=_("NPI"),
        max_length=12,
        required=False,
        help_text=_("Leave it empty to remove the therapist's numbers."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    taxonomy = forms.CharField(label=_("Taxonomy code"), max_length=10, required=False)
    credentials = forms.CharField(
        label=_("Credentials"), max_length=40, required=False, help_text="OTR/L, CCC-SLP, DPT"
    )

    def __init__(self, *args: Any, therapists: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = therapists


class HouseholdForm(forms.Form):
    funding = forms.ChoiceField(
        label=_("Who pays for the sessions"), choices=Funding.choices, widget=forms.RadioSelect
    )
    grant_name = forms.CharField(
        label=_("Name of the scholarship or grant"), max_length=120, required=False
    )
    household_size = forms.IntegerField(
        label=_("People in the household"),
        required=False,
        min_value=1,
        max_value=MAX_HOUSEHOLD,
        error_messages={
            "min_value": _("A household has at least one person."),
            "max_value": _("At most %(limit_value)s people in a household."),
            "invalid": _("Write the number of people as a whole number."),
        },
    )
    annual_income = forms.CharField(
        label=_("Household income a year ($)"),
        max_length=14,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    region = forms.ChoiceField(label=_("Where the family lives"), choices=Region.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SuperbillForm(forms.Form):
    """A superbill's period: one session (``note``) or a month (``month``, YYYY-MM)."""

    month = forms.CharField(required=False, max_length=7)
    note = forms.UUIDField(required=False)

    def clean_month(self) -> str:
        value = self.cleaned_data.get("month") or ""
        found = MONTH.match(value)
        if value and not (found and 1 <= int(found[2]) <= 12 and 2000 <= int(found[1]) <= 2100):
            raise forms.ValidationError(gettext("Choose a month as YYYY-MM, such as 2026-03."))
        return value

    def first_day(self, today: datetime.date) -> datetime.date:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return today.replace(day=1)
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)

    def params(self) -> dict[str, str]:
        """The period as the export stores it (the strings of the query string)."""
        note = self.cleaned_data.get("note")
        return {"note": str(note)} if note else {"month": self.cleaned_data.get("month") or ""}


class EstimateForm(forms.Form):
    """The services a Good Faith Estimate expects: up to three codes with their units per
    session, how many sessions a week and for how many weeks (a year at most)."""

    per_week = forms.IntegerField(
        label=_("Sessions a week"), min_value=1, max_value=MAX_PER_WEEK, initial=1
    )
    weeks = forms.IntegerField(
        label=_("Weeks"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=12,
        error_messages={"max_value": _("An estimate covers at most 52 weeks.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(ESTIMATE_ROWS):
            self.fields[f"code_{n}"] = forms.ChoiceField(
                label=_("Service code"), choices=_code_choices(blank=True), required=n == 0
            )
            self.fields[f"units_{n}"] = forms.IntegerField(
                label=_("Units a session"), min_value=1, max_value=MAX_UNITS, required=False
            )

    def rows(self) -> list[tuple[Any, Any]]:
        """(code field, units field) pairs, for the template."""
        return [(self[f"code_{n}"], self[f"units_{n}"]) for n in range(ESTIMATE_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[str] = set()
        for n in range(ESTIMATE_ROWS):
            code = data.get(f"code_{n}")
            if not code:
                continue
            if code in seen:
                self.add_error(f"code_{n}", gettext("Each code once: add up its units instead."))
            seen.add(code)
            if not data.get(f"units_{n}"):
                self.add_error(f"units_{n}", gettext("Give the units of each session."))
        return data

    def services(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [
            (data[f"code_{n}"], int(data[f"units_{n}"]))
            for n in range(ESTIMATE_ROWS)
            if data.get(f"code_{n}") and data.get(f"units_{n}")
        ]

    def params(self) -> dict[str, str]:
        data = self.cleaned_data
        params = {"per_week": str(data["per_week"]), "weeks": str(data["weeks"])}
        for n, (code, units) in enumerate(self.services()):
            params[f"code_{n}"], params[f"units_{n}"] = code, str(units)
        return params


def estimate_params(plan: dict[str, Any]) -> dict[str, str]:
    """A plan (``services``, ``per_week``, ``weeks``) as an estimate's query parameters."""
    params = {"per_week": str(plan["per_week"]), "weeks": str(plan["weeks"])}
    for n, (code, units) in enumerate(plan["services"][:ESTIMATE_ROWS]):
        params[f"code_{n}"], params[f"units_{n}"] = code, str(units)
    return params


class DateRangeForm(forms.Form):
    """The dates of the clinic's charges to export (a year at most)."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", gettext("The end comes on or after the start."))
            elif (end - start).days >= MAX_CSV_DAYS:
                self.add_error("end", gettext("Export at most a year at a time."))
        return data
