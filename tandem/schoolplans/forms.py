"""Forms for school plans and their goals (the rules are in ``actions``)."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.plans.models import Goal

from .models import SchoolGoal, SchoolGoalLink, SchoolPlan

DATE = {"type": "date"}


class SchoolPlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = SchoolPlan
        fields = ["kind", "provider", "start_date", "review_due", "notes"]
        widgets = {
            "start_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "review_due": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_due"].required = False
        if not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class ClinicGoalChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.get_discipline_display()}: {obj.statement[:160]}"


class SchoolGoalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    clinic_goals = ClinicGoalChoice(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Linked clinic goals"),
        help_text=_("The clinic's goals that work on the same skill."),
    )

    class Meta:
        model = SchoolGoal
        fields = ["statement", "area"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, clinic_goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["clinic_goals"]).queryset = clinic_goals
        if not self.instance._state.adding and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["clinic_goals"] = list(
                SchoolGoalLink.objects.filter(
                    organization_id=self.instance.organization_id, school_goal=self.instance
                ).values_list("goal_id", flat=True)
            )

    @property
    def text_fields(self) -> list[forms.BoundField]:
        return [self["statement"], self["area"]]

    def changes(self) -> dict[str, Any]:
        return {
            "statement": self.cleaned_data["statement"],
            "area": self.cleaned_data["area"],
            "clinic_goals": list(self.cleaned_data["clinic_goals"]),
        }
