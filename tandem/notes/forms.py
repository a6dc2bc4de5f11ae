"""Forms for session notes: the note, each goal's data, goals worked on, addenda.

The rules live in ``actions`` (shared with the API); forms show them next to the
field they concern. ``version`` carries the version the editor was opened on.
"""

import json
import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.appointments.models import Encounter
from tandem.plans.models import Goal, MeasurementType
from tandem.plans.wording import reader_language

from . import actions, cosigning, datatypes, goal_data, ioa, typed_entry
from .models import SUMMARY_FIELDS, GoalData, PromptLevel, SessionNote

DATE = {"type": "date"}
TIME = {"type": "time"}
ENGAGEMENT_CHOICES = [
    ("", _("Not rated")),
    (1, _("1 — not engaged")),
    (2, _("2 — engaged with a lot of support")),
    (3, _("3 — engaged some of the time")),
    (4, _("4 — engaged most of the time")),
    (5, _("5 — fully engaged")),
]
RATING_CHOICES = [("", "—"), *[(n, str(n)) for n in range(1, 6)]]
EMPTY: tuple[Any, ...] = (None, "", [])
DURATION = re.compile(r"^\s*(?:(\d{1,4})\s*:\s*)?(\d{1,5})\s*$")


def _add_problems(form: forms.BaseForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        form.add_error(name if name in form.fields else None, message)


class NoteForm(forms.ModelForm):
    """A session's details, SOAP and the child's part in it."""

    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "note-version"}))
    engagement = forms.TypedChoiceField(
        label=_("Engagement"),
        choices=ENGAGEMENT_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    copied_read = forms.BooleanField(  # copy forward: unchanged copied text, reviewed
        label=_("I have read the copied text"), required=False
    )
    abc: Any = None  # the editor's ABC rows (``abc_form.AbcForm``)

    class Meta:
        model = SessionNote
        fields = list(actions.NOTE_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs=TIME, format="%H:%M"),
            "end_time": forms.TimeInput(attrs=TIME, format="%H:%M"),
            "subjective": forms.Textarea(attrs={"rows": 3}),
            "objective": forms.Textarea(attrs={"rows": 4}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "plan_next": forms.Textarea(attrs={"rows": 2}),
            "activities": forms.Textarea(attrs={"rows": 2}),
            "child_chosen_activities": forms.Textarea(attrs={"rows": 2}),
            "family_summary_en": forms.Textarea(attrs={"rows": 4}),
            "family_summary_es": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"share_summary": _("Share the summary with the family when I sign")}
        help_texts = {
            "subjective": _("What the child and family reported."),
            "objective": _("What happened: activities, data, observations. Needed to sign."),
            "assessment": _("What it means for the goals. Needed to sign."),
            "plan_next": _("What comes next: next session, home practice."),
            "child_chosen_activities": _("The activities the child picked from the choice board."),
            "family_summary_en": _("Plain words for the family, who read it in English."),
            "family_summary_es": _("Plain words for the family, who read it in Spanish."),
            "share_summary": _(
                "Families see the summary in their language once the note is signed."
            ),
        }

    FIELDSETS = (
        (_("Session"), ("date", "start_time", "end_time", "service_type", "location")),
        (_("SOAP"), ("subjective", "objective", "assessment", "plan_next")),
        (
            _("The child in the session"),
            ("activities", "child_chosen_activities", "regulation", "mood", "engagement"),
        ),
        (_("For the family"), ("family_summary_en", "family_summary_es", "share_summary")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        times = {name: data.get(name) for name in ("start_time", "end_time")}
        probe = SessionNote(**times)
        _add_problems(self, actions.note_problems(probe))
        return data

    def fieldset(self, index: int) -> tuple[Any, list[Any]]:
        legend, names = self.FIELDSETS[index]
        return legend, [self[name] for name in names]

    def session_fields(self) -> tuple[Any, list[Any]]:
        return self.fieldset(0)

    def _filled(self, index: int) -> bool:
        """Whether a part of the form has something written in it (or an error to show)."""
        return any(
            self[name].errors or (name != "share_summary" and self[name].value() not in EMPTY)
            for name in self.FIELDSETS[index][1]
        )

    def session_open(self) -> bool:
        """The session's details start folded (one line) unless one has an error."""
        return any(self[name].errors for name in self.FIELDSETS[0][1])

    def child_open(self) -> bool:
        return self._filled(2)

    def family_open(self) -> bool:
        return self._filled(3)

    def soap_fields(self) -> tuple[Any, list[Any]]:
        return self.fieldset(1)

    def child_fields(self) -> tuple[Any, list[Any]]:
        return self.fieldset(2)

    def family_fields(self) -> tuple[Any, list[Any]]:
        """The family summary, the one in the writer's language first, then sharing it."""
        legend, fields = self.fieldset(3)
        mine = f"family_summary_{reader_language()}"
        return legend, sorted(fields, key=lambda f: (f.name != mine, f.name == "share_summary"))

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in actions.NOTE_FIELDS if name in self.fields
        }


class GoalsField(forms.ModelMultipleChoiceField):
    """Goals to choose, each named by its statement."""

    def label_from_instance(self, obj: Goal) -> str:
        return obj.statement


class NewNoteForm(NoteForm):
    """A new note: its details and the goals the session worked on."""

    goals = GoalsField(
        label=_("Goals worked on"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active goals of the child's current plans. Data for each is entered next."),
    )

    def __init__(self, *args: Any, goals: QuerySet[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(GoalsField, self.fields["goals"]).queryset = goals
        # The family summary is drafted and shared from the editor, once there is data.
        for name in ("version", *SUMMARY_FIELDS):
            del self.fields[name]


def session_initial(encounter: Encounter) -> dict[str, Any]:
    """A new note's session details from the session it documents (clinic time)."""
    start = timezone.localtime(encounter.starts_at)
    end = timezone.localtime(encounter.ends_at)
    return {
        "date": start.date(),
        "start_time": start.time().replace(second=0, microsecond=0),
        "end_time": end.time().replace(second=0, microsecond=0),
        "service_type": encounter.service_type,
        "location": encounter.location,
    }


DURATION_HELP = _("Write the duration as minutes:seconds (2:30) or seconds (150).")
IOA_HELP = _("Write 1/0 a trial or an interval, or a number.")


def parse_duration(text: str) -> int | None:
    """Seconds from "m:ss" or a number of seconds; None if empty; ValueError if unreadable."""
    if not text or not text.strip():
        return None
    match = DURATION.match(text)
    if not match:
        raise ValueError(text)
    minutes, seconds = match.groups()
    if minutes is not None and int(seconds) >= 60:
        raise ValueError(text)
    return int(minutes or 0) * 60 + int(seconds)


def format_duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


class GoalDataForm(forms.Form):
    """One goal's data in the editor, with the fields its measurement type records."""

    trials = forms.CharField(required=False, widget=forms.HiddenInput)
    prompt = forms.ChoiceField(
        label=_("Prompt level for the next trial"),
        choices=PromptLevel.choices,
        required=False,
        initial=PromptLevel.INDEPENDENT,
    )
    typed = forms.CharField(
        label=_("Type trials"),
        max_length=200,
        required=False,
        help_text=_(
            "Correct/trials and a prompt level, like 8/10 V or 6/8 I, 2/2 PP. "
            "Press Enter to add them."
        ),
    )
    count = forms.IntegerField(label=_("Count"), min_value=0, max_value=100000, required=False)
    duration = forms.CharField(
        label=_("Duration (minutes:seconds)"),
        max_length=12,
        required=False,
        help_text=_("For example 2:30, or a number of seconds."),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating (1–5)"),
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    steps_done = forms.IntegerField(
        label=_("Steps done"), min_value=0, max_value=500, required=False
    )
    steps_total = forms.IntegerField(
        label=_("Steps in the task"), min_value=1, max_value=500, required=False
    )
    observation_minutes = forms.FloatField(
        label=_("Minutes observed"), min_value=0.01, max_value=1440, required=False
    )
    interval_seconds = forms.IntegerField(
        label=_("Interval length (seconds)"), min_value=1, max_value=3600, required=False
    )
    intervals = forms.CharField(
        label=_("Intervals (1 = scored, 0 = not)"),
        max_length=2000,
        required=False,
        help_text=_("One digit an interval, in order, e.g. 1101."),
    )
    ioa_observer = forms.CharField(label=_("Second observer"), max_length=100, required=False)
    ioa_record = forms.CharField(
        label=_("What the second observer recorded"),
        max_length=2000,
        required=False,
        help_text=_("1/0 a trial or an interval (1101), a count, or a duration (2:30)."),
    )
    gas_level = forms.TypedChoiceField(
        label=_("GAS level reached"), coerce=int, empty_value=None, required=False
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    BY_TYPE: dict[str, tuple[str, ...]] = {
        MeasurementType.PERCENT_TRIALS: ("trials", "prompt", "typed"),
        MeasurementType.FREQUENCY: ("count",),
        MeasurementType.DURATION: ("duration",),
        MeasurementType.RATING: ("rating",),
        MeasurementType.TASK_ANALYSIS: ("steps_done", "steps_total"),
        MeasurementType.GAS_ONLY: (),
        MeasurementType.RATE: ("count", "observation_minutes"),
        MeasurementType.LATENCY: ("duration",),
        **dict.fromkeys(datatypes.INTERVAL_TYPES, ("interval_seconds", "intervals")),
    }

    def __init__(self, *args: Any, entry: GoalData, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"goal-{entry.goal_id}")
        super().__init__(*args, **kwargs)
        self.entry = entry
        goal = entry.goal
        keep = {*self.BY_TYPE.get(goal.measurement_type, ()), "gas_level", "comment"}
        if goal.measurement_type in ioa.RECORDS:  # inter-observer agreement
            keep |= {"ioa_observer", "ioa_record"}
        stepped = goal.measurement_type == MeasurementType.TASK_ANALYSIS
        self.steps = goal.step_list if stepped else []
        if self.steps:  # each listed step's prompt level instead of two numbers
            keep -= {"steps_done", "steps_total"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self._add_steps(entry)
        if goal.measurement_type == MeasurementType.LATENCY:
            self.fields["duration"].label = _("Latency (minutes:seconds)")
        cast(forms.TypedChoiceField, self.fields["gas_level"]).choices = [
            ("", _("Not scored")),
            *[(level, f"{level:+d} — {text}") for level, text in gas_levels(goal)],
        ]
        if not self.is_bound:
            self.initial = {
                "trials": json.dumps(entry.trials or []),
                "count": entry.count,
                "duration": format_duration(entry.duration_seconds),
                "rating": entry.rating,
                "steps_done": entry.steps_done,
                "steps_total": entry.steps_total,
                "observation_minutes": entry.observation_minutes,
                "interval_seconds": entry.interval_seconds,
                "intervals": datatypes.format_intervals(entry.intervals or []),
                "gas_level": entry.gas_level,
                "comment": entry.comment,
                "ioa_observer": (entry.second_observer or {}).get("observer", ""),
                "ioa_record": ioa.as_typed(goal.measurement_type, entry.second_observer or {}),
            }

    def _add_steps(self, entry: GoalData) -> None:
        """One prompt-level choice per listed step of a task analysis (``step_0`` …)."""
        saved = entry.step_prompts or []
        for index, step in enumerate(self.steps):
            name = f"step_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{index + 1}. {step}",
                choices=[("", _("Not scored")), *PromptLevel.choices],
                required=False,
            )
            if not self.is_bound and index < len(saved):
                self.initial[name] = saved[index]

    def step_fields(self) -> list[Any]:
        return [self[f"step_{i}"] for i in range(len(self.steps))]

    def data_fields(self) -> list[Any]:
        """The fields shown as plain inputs (the trial counter and steps have their own)."""
        return [
            self[name]
            for name in self.fields
            if name not in ("trials", "prompt", "typed", "ioa_observer", "ioa_record")
            and not name.startswith("step_")
        ]

    def ioa_fields(self) -> list[Any]:
        return [self[name] for name in ("ioa_observer", "ioa_record") if name in self.fields]

    def _second_observer(self) -> dict[str, Any]:
        data, kind = self.cleaned_data, self.entry.goal.measurement_type
        if "ioa_record" not in self.fields or "ioa_record" in self.errors:
            return self.entry.second_observer or {}
        typed = data.get("ioa_record") or ""
        timed = kind in (MeasurementType.DURATION, MeasurementType.LATENCY)
        try:  # unreadable text is refused, never saved as "no record"
            seconds = parse_duration(typed) if timed else None
            return ioa.from_typed(kind, data.get("ioa_observer") or "", typed, seconds)
        except ValueError:
            self.add_error("ioa_record", DURATION_HELP if timed else IOA_HELP)
            return self.entry.second_observer or {}

    def clean_intervals(self) -> list[bool]:
        try:
            return datatypes.parse_intervals(self.cleaned_data.get("intervals") or "")
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write one digit an interval: 1 if scored, 0 if not.")
            ) from exc

    def _step_prompts(self) -> list[str]:
        prompts = [self.cleaned_data.get(f"step_{i}") or "" for i in range(len(self.steps))]
        return prompts if any(prompts) else []

    def clean_trials(self) -> list[dict[str, Any]]:
        raw = self.cleaned_data.get("trials") or "[]"
        try:
            trials = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(
                _("The trials could not be read; reload the page.")
            ) from exc
        if (problem := goal_data.trial_problems(trials)) is not None:
            raise forms.ValidationError(problem)
        return trials

    def clean_duration(self) -> int | None:
        try:
            return parse_duration(self.cleaned_data.get("duration") or "")
        except ValueError as exc:
            raise forms.ValidationError(DURATION_HELP) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = GoalData(
            trials=data.get("trials", []),
            steps_done=data.get("steps_done"),
            steps_total=data.get("steps_total"),
            step_prompts=self._step_prompts(),
            count=data.get("count"),
            observation_minutes=data.get("observation_minutes"),
            interval_seconds=data.get("interval_seconds"),
            intervals=data.get("intervals") or [],
            second_observer=self._second_observer(),
        )
        problems = goal_data.goal_data_problems(probe, self.entry.goal)
        _add_problems(self, {k: v for k, v in problems.items() if k not in self.errors})
        return data

    def changes(self, trial: str | None = None) -> dict[str, Any]:
        """The entry's new fields; ``trial`` is a counter button pressed for this goal."""
        data = self.cleaned_data
        changes: dict[str, Any] = {"gas_level": data["gas_level"], "comment": data["comment"]}
        for name in (
            "count",
            "rating",
            "steps_done",
            "steps_total",
            "observation_minutes",
            "interval_seconds",
            "intervals",
        ):
            if name in self.fields:
                changes[name] = data[name]
        if self.steps:
            changes["step_prompts"] = self._step_prompts()
        if "ioa_record" in self.fields:
            changes["second_observer"] = self._second_observer()
        if "duration" in self.fields:
            changes["duration_seconds"] = data["duration"]
        if "trials" in self.fields:
            trials = data["trials"]
            if trial and trial != "typed":
                trials = goal_data.add_trial(trials, trial, data.get("prompt") or "")
            changes["trials"] = [*trials, *self.typed_trials()]
        return changes

    def typed_trials(self) -> list[dict[str, Any]]:
        """The trials typed in "Type trials" (``typed_entry``); ValidationError if unreadable.

        The editor's script sends the typed text only with its own request (Enter or
        "Add"), which carries an idempotency key; without the script the page reloads
        after each save, so a typed text is never added twice.
        """
        text = self.cleaned_data.get("typed") or ""
        try:
            return typed_entry.trials_from(text, self.cleaned_data.get("prompt") or "")
        except typed_entry.TypedEntryError as exc:
            raise forms.ValidationError({f"{self.entry.goal_id}.typed": [str(exc)]}) from exc


def gas_levels(goal: Goal) -> list[tuple[int, str]]:
    """The goal's five GAS levels, highest first, as the form and the read view show them."""
    return [
        (2, goal.gas_plus_2),
        (1, goal.gas_plus_1),
        (0, goal.gas_0),
        (-1, goal.gas_minus_1),
        (-2, goal.gas_minus_2),
    ]


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=actions.MAX_ADDENDUM,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A correction or later information. The signed note itself stays as it is."),
    )


class CosignForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    """The supervisor's comment when sending an assistant's note back instead of co-signing."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("What needs changing"),
        max_length=cosigning.MAX_RETURN_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The note goes back to the assistant with your comment; they answer with an "
            "addendum and sign it off again."
        ),
    )
