"""The forms of the groups pages: starting a group, and the group session note."""

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Discipline, Membership
from tandem.appointments.forms import TherapistChoice
from tandem.appointments.models import Room
from tandem.notes.models import PromptLevel
from tandem.plans.models import Domain, Goal, MeasurementType

from .actions import MAX_WEEKS
from .models import MAX_AGE_MONTHS, MAX_CHILDREN, MIN_CHILDREN, GroupKind


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    discipline = forms.ChoiceField(label=_("Discipline"), choices=Discipline.choices)
    description = forms.CharField(
        label=_("What the group does, for families"),
        help_text=_("Plain words a family reads when they are invited."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_domains = forms.MultipleChoiceField(
        label=_("Domains it works on"),
        help_text=_("Children with active goals in these domains are suggested."),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one domain the group works on.")},
    )
    min_age_years = forms.IntegerField(
        label=_("Youngest age (years)"), min_value=0, max_value=MAX_AGE_MONTHS // 12
    )
    max_age_years = forms.IntegerField(
        label=_("Oldest age (years)"),
        help_text=_("Up to the next birthday: 6 takes children until they turn 7."),
        min_value=0,
        max_value=MAX_AGE_MONTHS // 12 - 1,
    )
    min_size = forms.IntegerField(
        label=_("Fewest children"), min_value=MIN_CHILDREN, max_value=MAX_CHILDREN, initial=3
    )
    max_size = forms.IntegerField(
        label=_("Most children"), min_value=MIN_CHILDREN, max_value=MAX_CHILDREN, initial=6
    )
    leader = TherapistChoice(label=_("Leader"), queryset=Membership.objects.none())
    co_leader = TherapistChoice(
        label=_("Second leader"), queryset=Membership.objects.none(), required=False
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    first_day = forms.DateField(
        label=_("First session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=180, initial=60
    )
    weeks = forms.IntegerField(
        label=_("Weeks"),
        help_text=_("It meets once a week, at the same time."),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=8,
    )

    def __init__(self, *args: Any, therapists: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("leader", therapists), ("co_leader", therapists), ("room", rooms)):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age_years"), data.get("max_age_years")
        if low is not None and high is not None and low > high:
            self.add_error("max_age_years", _("The oldest age must be at least the youngest age."))
        return data

    def program_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "discipline": data["discipline"],
            "description": data["description"],
            "target_domains": list(data["target_domains"]),
            "min_age_months": data["min_age_years"] * 12,
            "max_age_months": data["max_age_years"] * 12 + 11,
            "min_size": data["min_size"],
            "max_size": data["max_size"],
            "duration_minutes": data["duration_minutes"],
            "leader": data["leader"],
            "co_leader": data["co_leader"],
            "room": data["room"],
            "starts_at": datetime.datetime.combine(data["first_day"], data["start_time"]),
            "weeks": data["weeks"],
        }


# --- The group session note -------------------------------------------------------

PROMPTS = PromptLevel.choices


def _number(raw: str, *, low: int, high: int, what: str, errors: list[str]) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.append(gettext("%(what)s must be a whole number.") % {"what": what})
        return None
    if not low <= value <= high:
        errors.append(
            gettext("%(what)s must be from %(low)d to %(high)d.")
            % {"what": what, "low": low, "high": high}
        )
        return None
    return value


def goal_data_from(post: Any, child_id: str, goal: Goal, errors: list[str]) -> dict[str, Any]:
    """One goal's data, from the group note's fields named ``<child>-<goal>-<what>``."""
    prefix = f"{child_id}-{goal.pk}-"

    def field(name: str) -> str:
        return str(post.get(prefix + name, ""))

    data: dict[str, Any] = {}
    kind = goal.measurement_type
    if kind == MeasurementType.PERCENT_TRIALS:
        correct = _number(field("correct"), low=0, high=200, what=gettext("Correct"), errors=errors)
        trials = _number(field("trials"), low=1, high=200, what=gettext("Trials"), errors=errors)
        data["trials"] = []  # both empty: none recorded (a cleared entry is cleared)
        if correct is not None or trials is not None:
            if correct is None or trials is None:
                errors.append(gettext("Give both the trials and how many were correct."))
            elif correct > trials:
                errors.append(gettext("Correct cannot be more than the trials."))
            else:
                prompt = field("prompt") or PromptLevel.INDEPENDENT
                if prompt not in PromptLevel.values:
                    prompt = PromptLevel.INDEPENDENT
                data["trials"] = [{"correct": i < correct, "prompt": prompt} for i in range(trials)]
    elif kind == MeasurementType.FREQUENCY:
        data["count"] = _number(
            field("count"), low=0, high=10000, what=gettext("Count"), errors=errors
        )
    elif kind == MeasurementType.DURATION:
        data["duration_seconds"] = _number(
            field("seconds"), low=0, high=86400, what=gettext("Seconds"), errors=errors
        )
    elif kind == MeasurementType.RATING:
        data["rating"] = _number(
            field("rating"), low=1, high=5, what=gettext("Rating"), errors=errors
        )
    elif kind == MeasurementType.TASK_ANALYSIS:
        data["steps_done"] = _number(
            field("steps_done"), low=0, high=100, what=gettext("Steps done"), errors=errors
        )
        data["steps_total"] = _number(
            field("steps_total"), low=1, high=100, what=gettext("Steps in the task"), errors=errors
        )
    gas = field("gas").strip()
    data["gas_level"] = (
        _number(gas, low=-2, high=2, what=gettext("GAS level"), errors=errors) if gas else None
    )
    return data
