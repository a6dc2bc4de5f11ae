"""Forms for plans, goals, signatures, COPM ratings and the goal bank.

The rules live in ``actions`` (shared with the API); forms show them next to the
field they concern. ``version`` carries the version the form was opened on.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Discipline

from . import actions
from .models import (
    CopmActivity,
    Domain,
    Goal,
    GoalBankEntry,
    GoalStatus,
    Plan,
)
from .wording import WORDING_FIELDS, drafts

DATE = {"type": "date"}
GAS_LEVEL_CHOICES = [
    (-2, _("−2 much less than expected")),
    (-1, _("−1 somewhat less than expected")),
    (0, _("0 expected outcome")),
    (1, _("+1 somewhat more than expected")),
    (2, _("+2 much more than expected")),
]


def _add_problems(form: forms.BaseForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        form.add_error(name if name in form.fields else None, message)


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Plan
        fields = ["discipline", "start_date", "review_date", "family_priorities", "summary"]
        widgets = {
            "start_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "review_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "family_priorities": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "family_priorities": _("What matters most to the family, in their words."),
            "review_date": _("When the team looks at this plan again (often 3–6 months)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Plan(**{name: data.get(name) for name in ("start_date", "review_date")})
        _add_problems(self, actions.plan_problems(probe))
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


GOAL_FORM_FIELDS = [
    "domain",
    "statement",
    "baseline",
    "target_date",
    "measurement_type",
    "mastery_value",
    "mastery_sessions",
    "mastery_criterion",
    "lower_is_better",
    "task_steps",
    "chaining",
    "gas_minus_2",
    "gas_minus_1",
    "gas_0",
    "gas_plus_1",
    "gas_plus_2",
    "gas_weight",
    "gas_baseline",
    "family_priority",
    "child_chosen",
    "child_words",
    "strategies",
    *WORDING_FIELDS,
]


class GoalForm(forms.ModelForm):
    """Every field of a goal; the plan gives the start date the target must follow."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    bank_entry = forms.ModelChoiceField(
        queryset=GoalBankEntry.objects.none(), required=False, widget=forms.HiddenInput
    )
    gas_baseline = forms.TypedChoiceField(
        label=_("GAS level at baseline"), choices=GAS_LEVEL_CHOICES, coerce=int, initial=-2
    )

    class Meta:
        model = Goal
        fields = GOAL_FORM_FIELDS
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "baseline": forms.Textarea(attrs={"rows": 2}),
            "strategies": forms.Textarea(attrs={"rows": 3}),
            "task_steps": forms.Textarea(attrs={"rows": 4}),
            "target_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "mastery_value": forms.NumberInput(attrs={"step": "any"}),
            "family_wording_en": forms.TextInput(attrs={"lang": "en"}),
            "family_wording_es": forms.TextInput(attrs={"lang": "es"}),
            "child_wording_en": forms.TextInput(attrs={"lang": "en"}),
            "child_wording_es": forms.TextInput(attrs={"lang": "es"}),
        }
        help_texts = {
            "mastery_value": _(
                "On the measurement's own scale, e.g. 80 for 80 % of trials. "
                "Not needed for “GAS level only”."
            ),
            "family_priority": _("1 is the family's top priority. Leave empty if not ranked."),
            "family_wording_en": _(
                "What families, teachers and the family report show instead of the goal "
                "above. Plain words, grade 6: short sentences. Left empty, Tandem drafts one."
            ),
            "child_wording_en": _("Shown to the child once the goal is reached."),
        }

    def __init__(self, *args: Any, plan: Plan, bank: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        bank_entry = cast(forms.ModelChoiceField, self.fields["bank_entry"])
        bank_entry.queryset = bank if bank is not None else GoalBankEntry.objects.none()
        for name in actions.GAS_FIELDS:
            self.fields[name].required = True
        # The wordings a saved goal lacks are offered as drafts to check and accept.
        self.drafted: list[str] = []
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            goal = self.instance
            if not goal._state.adding:  # a new goal's blank wordings are drafted on saving
                self.drafted = [name for name in WORDING_FIELDS if not getattr(goal, name)]
            if self.drafted:
                suggested = drafts(plan.child, goal.domain, goal.bank_entry)
                self.initial.update({name: suggested[name] for name in self.drafted})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Goal(
            **{name: data.get(name) for name in GOAL_FORM_FIELDS},
            status=self.instance.status,
            status_reason=self.instance.status_reason,
        )
        problems = actions.goal_problems(probe, self.plan)
        # A missing GAS level already has Django's "required" message.
        _add_problems(self, {k: v for k, v in problems.items() if k not in self.errors})
        return data

    FIELDSETS = (
        (_("The goal"), ("domain", "statement", "baseline", "target_date")),
        (_("In the family's words (families never see the goal above)"), WORDING_FIELDS),
        (
            _("How it is measured"),
            (
                "measurement_type",
                "mastery_value",
                "mastery_sessions",
                "mastery_criterion",
                "lower_is_better",
                "task_steps",
                "chaining",
            ),
        ),
        (
            _("Goal Attainment Scale: five levels, each a different outcome"),
            (
                "gas_plus_2",
                "gas_plus_1",
                "gas_0",
                "gas_minus_1",
                "gas_minus_2",
                "gas_baseline",
                "gas_weight",
            ),
        ),
        (_("Family and child"), ("family_priority", "child_chosen", "child_words")),
        (_("How we will work on it"), ("strategies",)),
    )

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def changes(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in GOAL_FORM_FIELDS}
        if self.cleaned_data.get("bank_entry"):
            fields["bank_entry"] = self.cleaned_data["bank_entry"]
        return fields


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Needed when a goal is discontinued."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == GoalStatus.DISCONTINUED and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the goal was discontinued."))
        return data


class PlanStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("active", "active"), ("closed", "closed")])
    version = forms.IntegerField()


class SignForm(forms.Form):
    typed_name = forms.CharField(label=_("Type your full name"), max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, expected_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if expected_name:
            self.fields["typed_name"].help_text = _(
                "Type your name as it is on your account: %(name)s"
            ) % {"name": expected_name}


class CopmForm(forms.ModelForm):
    class Meta:
        model = CopmActivity
        fields = list(actions.COPM_FIELDS)
        widgets = {
            "initial_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "reassessed_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }
        labels = {
            "reassessed_performance": _("new performance (1–10)"),
            "reassessed_satisfaction": _("new satisfaction (1–10)"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = CopmActivity(**{name: data.get(name) for name in actions.COPM_FIELDS})
        problems = actions.copm_problems(probe)
        _add_problems(self, {k: v for k, v in problems.items() if k not in self.errors})
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in actions.COPM_FIELDS}


class GoalBankEntryForm(forms.ModelForm):
    """A goal-bank entry; the five GAS levels and strategies are edited as plain text."""

    level_minus_2 = forms.CharField(label=_("−2 much less than expected"), max_length=300)
    level_minus_1 = forms.CharField(label=_("−1 somewhat less than expected"), max_length=300)
    level_0 = forms.CharField(label=_("0 expected outcome"), max_length=300)
    level_plus_1 = forms.CharField(label=_("+1 somewhat more than expected"), max_length=300)
    level_plus_2 = forms.CharField(label=_("+2 much more than expected"), max_length=300)
    strategy_lines = forms.CharField(
        label=_("Strategies (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    LEVELS = (
        ("-2", "level_minus_2"),
        ("-1", "level_minus_1"),
        ("0", "level_0"),
        ("1", "level_plus_1"),
        ("2", "level_plus_2"),
    )

    class Meta:
        model = GoalBankEntry
        fields = [
            "discipline",
            "domain",
            "statement",
            "baseline_example",
            "measurement_type",
            "mastery_value",
            "mastery_sessions",
            "mastery_criterion",
            "lower_is_better",
            "min_age_months",
            "max_age_months",
            "is_active",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "baseline_example": forms.Textarea(attrs={"rows": 2}),
            "mastery_value": forms.NumberInput(attrs={"step": "any"}),
        }
        help_texts = {
            "statement": _("Write {child} where the child's name goes."),
            "mastery_value": _(
                "On the measurement's own scale, e.g. 80 for 80 % of trials. "
                "Not needed for “GAS level only”."
            ),
        }
        labels = {"is_active": _("Offer this goal when therapists write plans")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            levels = self.instance.gas_levels or {}
            for key, name in self.LEVELS:
                self.initial[name] = levels.get(key, "")
            self.initial["strategy_lines"] = "\n".join(self.instance.strategies or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        texts = [" ".join(data.get(name, "").casefold().split()) for _k, name in self.LEVELS]
        if all(texts) and len(set(texts)) < 5:
            self.add_error(None, _("Each GAS level must describe a different outcome."))
        low, high = data.get("min_age_months"), data.get("max_age_months")
        if low is not None and high is not None and low > high:
            self.add_error("max_age_months", _("The oldest age must not be below the youngest."))
        return data

    def changes(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["gas_levels"] = {key: self.cleaned_data[name] for key, name in self.LEVELS}
        fields["strategies"] = [
            line.strip()
            for line in self.cleaned_data["strategy_lines"].splitlines()
            if line.strip()
        ]
        return fields


class GoalBankFilterForm(forms.Form):
    discipline = forms.ChoiceField(
        label=_("Discipline"), required=False, choices=[("", _("All")), *Discipline.choices]
    )
    domain = forms.ChoiceField(
        label=_("Domain"), required=False, choices=[("", _("All")), *Domain.choices]
    )
    age_months = forms.IntegerField(
        label=_("Child's age (months)"), required=False, min_value=0, max_value=300
    )
    q = forms.CharField(label=_("Words in the goal"), required=False, max_length=100)
    show_inactive = forms.BooleanField(label=_("Show switched-off entries"), required=False)
