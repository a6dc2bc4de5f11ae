"""Forms for assigning home activities, logging practice and recording observations."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.core import clock
from tandem.plans.models import Goal

from .models import (
    ActivityStatus,
    Barrier,
    HomeActivity,
    HowItWent,
    Independence,
    Outcome,
    Setting,
)
from .uploads import CONTENT_TYPES, check_handout

DATE = {"type": "date"}


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        return cast(Goal, obj).statement


class ObservedGoalField(forms.ModelChoiceField):
    """A goal to observe, named in the family's words when the family fills the form."""

    family = True

    def label_from_instance(self, obj: Model) -> str:
        goal = cast(Goal, obj)
        if self.family and goal.child_words:
            return f"“{goal.child_words}” — {goal.family_wording}"
        return goal.family_wording if self.family else goal.statement


def _set_goals(form: forms.BaseForm, name: str, goals: QuerySet[Goal] | None) -> None:
    field = cast(forms.ModelChoiceField, form.fields[name])
    field.queryset = goals if goals is not None else Goal.objects.none()


class HomeActivityForm(forms.ModelForm):
    """Assign or edit a home activity. ``version`` carries the version the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    goals = GoalChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Goals it works on"),
    )
    handout = forms.FileField(
        label=_("Picture or handout (optional)"),
        required=False,
        help_text=_("A PNG or JPEG picture or a PDF, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(CONTENT_TYPES.values())}),
    )
    remove_handout = forms.BooleanField(label=_("Remove the current file"), required=False)

    class Meta:
        model = HomeActivity
        fields = ["title", "why", "steps", "times_per_week", "minutes", "materials", "starts_on"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.Textarea(attrs={"rows": 5}),
            "materials": forms.Textarea(attrs={"rows": 2}),
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_goals(self, "goals", goals)
        self.handout_kind: str | None = None
        # A new activity has its id before it is saved: ask whether it is in the database.
        saved = not self.instance._state.adding
        if saved and not self.is_bound:
            self.initial["version"] = self.instance.version
            # The ids it links to, kept on the row (reading the links would skip the clinic).
            self.initial["goals"] = list(self.instance.goal_ids)
        if not (saved and self.instance.handout):
            del self.fields["remove_handout"]

    def clean_handout(self) -> Any:
        upload = self.cleaned_data.get("handout")
        if upload:
            self.handout_kind = check_handout(upload)
        return upload

    def changes(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["goals"] = list(self.cleaned_data["goals"])
        if self.cleaned_data.get("handout"):
            fields["handout"] = self.cleaned_data["handout"]
        return fields


class ActivityStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ActivityStatus.choices)


class LogForm(forms.Form):
    """The one tap: done, partly or not today (today unless another day is given)."""

    outcome = forms.ChoiceField(choices=Outcome.choices, label=_("Did you practise?"))
    date = forms.DateField(required=False, widget=forms.DateInput(attrs=DATE))


class LogDetailsForm(forms.Form):
    """The optional second tap: how it went, what got in the way, minutes, a note.

    Only the fields present in the submitted data change; an empty value clears one.
    """

    outcome = forms.ChoiceField(choices=Outcome.choices, required=False)
    how_it_went = forms.TypedChoiceField(
        choices=[("", "—"), *HowItWent.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("How did it go?"),
    )
    barrier = forms.ChoiceField(
        choices=[("", "—"), *Barrier.choices], required=False, label=_("What got in the way?")
    )
    barrier_other = forms.CharField(
        max_length=200, required=False, label=_("What else got in the way?")
    )
    minutes = forms.IntegerField(
        min_value=1, max_value=240, required=False, label=_("Minutes (optional)")
    )
    note = forms.CharField(
        max_length=1000,
        required=False,
        label=_("Note (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    date = forms.DateField(required=False, widget=forms.DateInput(attrs=DATE), label=_("Day"))

    def changes(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in set(self.data) & set(self.fields):
            value = self.cleaned_data.get(name)
            if name in ("outcome", "date") and not value:
                continue  # these cannot be cleared
            result[name] = value
        return result


class ObservationForm(forms.Form):
    """Where and how independently the child showed a goal's skill.

    A plain form (not a ModelForm): the goal was already checked against the access
    layer's queryset, and the model's own validation would re-read it unscoped.
    """

    goal = ObservedGoalField(
        queryset=Goal.objects.none(),
        label=_("Which skill did you notice?"),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    setting = forms.ChoiceField(
        choices=Setting.choices, widget=forms.RadioSelect, label=_("Where was it?")
    )
    independence = forms.ChoiceField(
        choices=Independence.choices,
        widget=forms.RadioSelect,
        label=_("How much help was needed?"),
    )
    observed_on = forms.DateField(
        label=_("When"), initial=clock.today, widget=forms.DateInput(attrs=DATE)
    )
    who_was_there = forms.CharField(
        label=_("Who was there (optional)"),
        max_length=200,
        required=False,
        help_text=_("E.g. “Grandma and his cousin”, “the class teacher”."),
    )
    note = forms.CharField(
        label=_("What you saw (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, goals: Any = None, family: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_goals(self, "goal", goals)
        cast(ObservedGoalField, self.fields["goal"]).family = family
        if not family:
            self.fields["goal"].label = _("Goal")

    def clean_observed_on(self) -> Any:
        day = self.cleaned_data.get("observed_on")
        if day and day > clock.today():
            raise ValidationError(_("This day is still to come: choose today or an earlier day."))
        return day

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "goal"}
