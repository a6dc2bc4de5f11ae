"""The period and register of a progress report, read from the query string."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core import clock

FAMILY, CLINICAL = "family", "clinical"
DEFAULT_DAYS = 182
MAX_DAYS = 5 * 366


class ReportForm(forms.Form):
    """From/to dates (default: the last six months) and the register to write in."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    register = forms.ChoiceField(
        label=_("Written for"),
        required=False,
        choices=[
            (FAMILY, _("The family (plain language)")),
            (CLINICAL, _("Schools and payers (clinical)")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = clock.today()
        end = data.get("end") or today
        if "start" in self.errors or "end" in self.errors:
            return data
        if data.get("start") is None and end.toordinal() <= DEFAULT_DAYS:  # before year 1
            raise forms.ValidationError(_("Choose a start date."))
        start = data.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS)
        if start > end:
            raise forms.ValidationError(_("The start date must be on or before the end date."))
        if end > today:
            raise forms.ValidationError(_("The end date cannot be in the future."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of five years or less."))
        data["start"], data["end"] = start, end
        return data
