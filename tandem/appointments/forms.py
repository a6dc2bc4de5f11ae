"""Forms for booking and changing appointments. The rules live in ``actions``.

Staff type a date and a time in the clinic's time zone; the form turns them into an
aware datetime. ``version`` carries the version an edit form was opened on.
"""

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Discipline, Membership

from .models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Appointment,
    AppointmentStatus,
    Location,
    Room,
    ServiceType,
)
from .offers import FIELDS

LENGTHS = [15, 30, 45, 60, 75, 90, 120]


class TherapistChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        discipline = obj.get_discipline_display()
        return f"{obj.display_name} ({discipline})" if discipline else obj.display_name


class AppointmentForm(forms.Form):
    therapist = TherapistChoice(label=_("Therapist"), queryset=Membership.objects.none())
    co_therapist = TherapistChoice(
        label=_("Second therapist (co-treatment)"),
        required=False,
        queryset=Membership.objects.none(),
        empty_label=_("None"),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        initial=45,
        widget=forms.NumberInput(attrs={"list": "lengths", "step": 5, "inputmode": "numeric"}),
    )
    service_type = forms.ChoiceField(
        label=_("Service"), choices=ServiceType.choices, initial=ServiceType.INDIVIDUAL
    )
    discipline = forms.ChoiceField(
        label=_("Discipline"),
        required=False,
        choices=[("", _("The therapist's own")), *Discipline.choices],
    )
    location = forms.ChoiceField(
        label=_("Where"), choices=Location.choices, initial=Location.CLINIC
    )
    room = forms.ModelChoiceField(
        label=_("Room"),
        required=False,
        queryset=Room.objects.none(),
        empty_label=_("No room"),
        help_text=_("At the clinic: a room is booked for one session at a time."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=AppointmentStatus.choices)
    cancel_reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        max_length=200,
        help_text=_("Only when cancelled. The family sees this."),
    )
    note_for_family = forms.CharField(
        label=_("Note for the family"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Please bring comfortable shoes.” The family sees this."),
    )
    repeat = forms.TypedChoiceField(
        label=_("Repeats"),
        required=False,
        coerce=int,
        empty_value=0,  # type: ignore[arg-type]  # "" is "does not repeat": 0 weeks
        choices=[("", _("Does not repeat")), (1, _("Every week")), (2, _("Every two weeks"))],
    )
    sessions = forms.IntegerField(
        label=_("How many sessions"),
        required=False,
        min_value=2,
        max_value=52,
        initial=10,
        help_text=_("For a repeating appointment: each session is booked, up to 52."),
    )
    scope = forms.ChoiceField(
        label=_("Change"),
        required=False,
        initial="this",
        choices=[
            ("this", _("This session only")),
            ("following", _("This and the following sessions")),
            ("all", _("All coming sessions")),
        ],
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        therapists: QuerySet[Membership],
        rooms: QuerySet[Room],
        appointment: Appointment | None = None,
        **kwargs: Any,
    ) -> None:
        if appointment is not None:
            local = timezone.localtime(appointment.starts_at)
            kwargs.setdefault(
                "initial",
                {
                    "therapist": appointment.therapist_id,
                    "co_therapist": appointment.encounter.co_therapist_id,
                    "room": appointment.encounter.room_id,
                    "date": local.date(),
                    "time": local.time().replace(second=0, microsecond=0),
                    "duration_minutes": appointment.duration_minutes,
                    "service_type": appointment.service_type,
                    "discipline": appointment.discipline,
                    "location": appointment.location,
                    "status": appointment.status,
                    "cancel_reason": appointment.cancel_reason,
                    "note_for_family": appointment.note_for_family,
                    "version": appointment.version,
                },
            )
        super().__init__(*args, **kwargs)
        therapist_field = self.fields["therapist"]
        assert isinstance(therapist_field, forms.ModelChoiceField)
        therapist_field.queryset = therapists
        co_field = self.fields["co_therapist"]
        assert isinstance(co_field, forms.ModelChoiceField)
        co_field.queryset = therapists
        room_field = self.fields["room"]
        assert isinstance(room_field, forms.ModelChoiceField)
        room_field.queryset = rooms
        if not rooms.exists():
            del self.fields["room"]
        if appointment is None or appointment.encounter.series_id is None:
            del self.fields["scope"]
        if appointment is not None:
            del self.fields["repeat"]
            del self.fields["sessions"]
        if appointment is None:
            # A new appointment is booked, or recorded afterwards as attended.
            status_field = self.fields["status"]
            assert isinstance(status_field, forms.ChoiceField)
            status_field.choices = [
                (AppointmentStatus.SCHEDULED, _("Booked (coming up)")),
                (AppointmentStatus.ATTENDED, _("Already happened: attended")),
            ]
            self.fields["status"].initial = AppointmentStatus.SCHEDULED
            del self.fields["cancel_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("repeat") and not data.get("sessions"):
            self.add_error("sessions", _("Say how many sessions to book (2 to 52)."))
        return data

    def rule(self) -> str:
        """The series' rule when the appointment repeats, else ""."""
        every = self.cleaned_data.get("repeat")
        return (
            f"FREQ=WEEKLY;INTERVAL={every};COUNT={self.cleaned_data['sessions']}" if every else ""
        )

    def changed_fields(self) -> dict[str, Any]:
        """Only what the member changed on the form (a change to several sessions leaves
        each one's own therapist, room or note alone unless it was changed here)."""
        names = set(self.changed_data)
        if names & {"date", "time"}:
            names.add("starts_at")
        return {k: v for k, v in self.changes().items() if k in names}

    def changes(self) -> dict[str, Any]:
        """The appointment's fields from the cleaned data (start in the clinic's zone)."""
        data = self.cleaned_data
        starts_at = timezone.make_aware(
            datetime.combine(data["date"], data["time"]), timezone.get_current_timezone()
        )
        changes = {
            "therapist": data["therapist"],
            "co_therapist": data["co_therapist"],
            "starts_at": starts_at,
            "duration_minutes": data["duration_minutes"],
            "service_type": data["service_type"],
            "discipline": data["discipline"] or data["therapist"].discipline or "other",
            "location": data["location"],
            "status": data["status"],
            "note_for_family": data["note_for_family"],
        }
        if "room" in self.fields:
            changes["room"] = data["room"]
        if "cancel_reason" in self.fields:
            changes["cancel_reason"] = data["cancel_reason"]
        return changes


class StatusForm(forms.Form):
    """The quick buttons on a list: cancel (with a reason), attended, missed."""

    status = forms.ChoiceField(choices=AppointmentStatus.choices)
    reason = forms.CharField(required=False, max_length=200)
    version = forms.IntegerField()


class OfferTimesForm(forms.Form):
    """One to three times for one session, for the family to choose from."""

    therapist = TherapistChoice(label=_("Therapist"), queryset=Membership.objects.none())
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=45
    )
    service_type = forms.ChoiceField(
        label=_("Service"), choices=ServiceType.choices, initial=ServiceType.INDIVIDUAL
    )
    location = forms.ChoiceField(label=_("Where"), choices=Location.choices)
    date_1 = forms.DateField(label=_("First time: date"), widget=forms.DateInput({"type": "date"}))
    time_1 = forms.TimeField(label=_("First time: time"), widget=forms.TimeInput({"type": "time"}))
    date_2 = forms.DateField(
        label=_("Second time: date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    time_2 = forms.TimeField(
        label=_("Second time: time"), required=False, widget=forms.TimeInput({"type": "time"})
    )
    date_3 = forms.DateField(
        label=_("Third time: date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    time_3 = forms.TimeField(
        label=_("Third time: time"), required=False, widget=forms.TimeInput({"type": "time"})
    )

    def __init__(self, *args: Any, therapists: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in (2, 3):
            day, time = data.get(f"date_{n}"), data.get(f"time_{n}")
            if bool(day) != bool(time):
                self.add_error(f"time_{n}", _("Give both the date and the time, or neither."))
        return data

    def starts(self) -> list[datetime]:
        data = self.cleaned_data
        return [
            datetime.combine(data[f"date_{n}"], data[f"time_{n}"])
            for n in (1, 2, 3)
            if data.get(f"date_{n}") and data.get(f"time_{n}")
        ]

    def fields_for_offer(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS}
