"""The notification settings form: what to hear about, how, and the quiet hours."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WEEKDAYS, Preference

# Staff are not reminded to practise and get no family reports or check-in reminders.
FAMILY_ONLY = (
    "practice_reminders",
    "practice_days",
    "practice_time",
    "new_reports",
    "checkin_reminders",
)


class PreferenceForm(forms.ModelForm):
    practice_days = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Preference
        fields = [
            "practice_reminders",
            "practice_days",
            "practice_time",
            "new_messages",
            "new_reports",
            "checkin_reminders",
            "by_email",
            "quiet_start",
            "quiet_end",
        ]
        labels = {
            "practice_reminders": _("Remind me to practise the home activities"),
            "practice_time": _("At this time"),
            "new_messages": _("Tell me about new messages"),
            "new_reports": _("Tell me when a new report is ready (an evaluation summary, say)"),
            "checkin_reminders": _("Remind me when a check-in is due"),
            "by_email": _("Also send these by email"),
            "quiet_start": _("Quiet from"),
            "quiet_end": _("Quiet until"),
        }
        help_texts = {
            "by_email": _("You will always find them under Notifications in the app."),
        }
        widgets = {
            "practice_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, family: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["practice_days"] = [str(d) for d in sorted(self.instance.day_numbers)]
        if not family:
            for name in FAMILY_ONLY:
                del self.fields[name]
            self.fields["new_messages"].label = _(
                "Tell me about new messages, hand-offs and check-in answers"
            )

    def clean_practice_days(self) -> str:
        return ",".join(sorted(set(self.cleaned_data["practice_days"])))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("practice_reminders")
            and "practice_days" in self.fields
            and not cleaned.get("practice_days")
        ):
            self.add_error("practice_days", _("Choose at least one day, or turn reminders off."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
