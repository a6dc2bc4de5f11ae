"""The public referral form and the triage forms."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Discipline, Membership
from tandem.core import clock

from .models import AVAILABILITY, HALVES, WEEKDAYS, Concern, Referral, Urgency

ASKED_DISCIPLINES = [
    (Discipline.OT.value, Discipline.OT.label),
    (Discipline.PT.value, Discipline.PT.label),
    (Discipline.SLP.value, Discipline.SLP.label),
    (Discipline.BEHAVIORAL.value, Discipline.BEHAVIORAL.label),
]
LANGUAGES = [("en", "English"), ("es", "Español")]


def availability_choices() -> list[tuple[str, Any]]:
    halves = dict(HALVES)
    days = dict(WEEKDAYS)
    return [(slot, f"{days[slot[:3]]} {halves[slot[4:]]}") for slot in AVAILABILITY]


class ReferralForm(forms.ModelForm):
    concerns = forms.MultipleChoiceField(
        label=_("What are you worried about?"),
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing you are worried about.")},
    )
    disciplines = forms.MultipleChoiceField(
        label=_("Which therapy are you asking for?"),
        help_text=_("Leave empty if you are not sure: we will advise you."),
        choices=ASKED_DISCIPLINES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you come?"),
        help_text=_("Leave empty if any time works."),
        choices=availability_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language for emails"), choices=LANGUAGES)
    # A field people never see: robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Referral
        fields = [
            "child_first_name",
            "child_last_name",
            "date_of_birth",
            "sex",
            "concerns",
            "concerns_detail",
            "disciplines",
            "referrer",
            "referrer_name",
            "contact_name",
            "relationship",
            "contact_email",
            "contact_phone",
            "language",
            "availability",
            "funding",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "concerns_detail": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_date_of_birth(self) -> datetime.date:
        born: datetime.date = self.cleaned_data["date_of_birth"]
        today = clock.today()
        if born > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) > 21:
            raise forms.ValidationError(_("We see children and young people up to 21."))
        return born

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class WaitlistForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    urgency = forms.ChoiceField(label=_("Clinical urgency"), choices=Urgency.choices)
    note = forms.CharField(
        label=_("Triage note (staff only)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (the family reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AskForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    question = forms.CharField(
        label=_("What do you need to know? (the family reads it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfferForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=180, initial=60
    )
    therapist = forms.ModelChoiceField(label=_("Therapist"), queryset=Membership.objects.none())

    def __init__(self, *args: Any, therapists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["therapist"]
        field.queryset = therapists  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.display_name} ({m.get_discipline_display()})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("time"):
            local = datetime.datetime.combine(data["date"], data["time"])
            zone = timezone.get_current_timezone()
            moment = timezone.make_aware(local, zone)
            # A clock change: 02:30 that never happens, or 01:30 that happens twice.
            again = timezone.make_aware(local.replace(fold=1), zone)
            if timezone.localtime(moment, zone).replace(tzinfo=None) != local or again != moment:
                self.add_error("time", _("The clocks change at that time: choose another."))
            else:
                data["starts_at"] = moment
        return data

    def starts_at(self) -> datetime.datetime:
        moment: datetime.datetime = self.cleaned_data["starts_at"]
        return moment
