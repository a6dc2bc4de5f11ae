"""Forms of the Assessments tab. Questionnaires and milestones are built from their definitions."""

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.core import clock

from .models import (
    Evaluation,
    GrowthMeasurement,
    Instrument,
    LengthPosition,
    StandardizedScore,
)

DATE = {"type": "date"}


class EvaluationForm(forms.ModelForm):
    """An evaluation's narrative. ``version`` carries the version the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Evaluation
        fields = [
            "discipline",
            "evaluated_on",
            "status",
            "reason_for_referral",
            "observations",
            "strengths",
            "interests",
            "summary",
            "recommendations",
        ]
        widgets = {
            "evaluated_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "reason_for_referral": forms.Textarea(attrs={"rows": 3}),
            "observations": forms.Textarea(attrs={"rows": 5}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "status": _("Families can read the summary of a final evaluation."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_evaluated_on(self) -> datetime.date:
        when: datetime.date = self.cleaned_data["evaluated_on"]
        if when > clock.today():
            raise ValidationError(_("The evaluation date cannot be in the future."))
        return when

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ScoreForm(forms.ModelForm):
    """One subtest or composite score; the subtest choices come from the chosen instrument."""

    class Meta:
        model = StandardizedScore
        fields = [
            "instrument",
            "subtest",
            "raw_score",
            "standard_score",
            "percentile",
            "age_equivalent",
            "interpretation",
        ]

    def __init__(
        self,
        *args: Any,
        instruments: Any = None,
        instrument: Instrument | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["instrument"])
        field.queryset = instruments if instruments is not None else Instrument.objects.none()
        field.empty_label = _("Choose an instrument")
        names = instrument.subtest_names() if instrument else []
        if names:
            self.fields["subtest"] = forms.ChoiceField(
                label=_("Subtest or composite"),
                choices=[("", _("Choose…"))] + [(n, n) for n in names],
            )
        for name in ("raw_score", "standard_score", "percentile"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GrowthForm(forms.ModelForm):
    """One day's growth measurements."""

    class Meta:
        model = GrowthMeasurement
        fields = [
            "measured_on",
            "height_cm",
            "length_position",
            "weight_kg",
            "head_circumference_cm",
            "confirmed_implausible",
        ]
        help_texts = {
            "length_position": _(
                "WHO's charts expect lying under two years and standing from two; "
                "the other position is converted (0.7 cm)."
            ),
            "confirmed_implausible": _(
                "Tick only after checking: values beyond WHO's plausible range are then "
                "saved and shown flagged."
            ),
        }
        labels = {"confirmed_implausible": _("I confirm these values are real")}
        widgets = {
            "length_position": forms.Select(
                choices=[
                    ("", _("The usual position for the age")),
                    *LengthPosition.choices,
                ]
            ),
            "measured_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "height_cm": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "weight_kg": forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            "head_circumference_cm": forms.NumberInput(
                attrs={"step": "0.1", "inputmode": "decimal"}
            ),
        }

    def clean_measured_on(self) -> datetime.date:
        when: datetime.date = self.cleaned_data["measured_on"]
        if when > clock.today():
            raise ValidationError(_("The measurement date cannot be in the future."))
        return when

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(n) for n in ("height_cm", "weight_kg", "head_circumference_cm")):
            raise ValidationError(_("Enter at least one measurement."))
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
