"""Forms of the messaging app: a message, an SBAR hand-off, a check-in and its schedule."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership

from .models import MESSAGE_MAX_LENGTH, CheckIn, CheckInSchedule
from .uploads import check_attachment

ACCEPT = "image/png,image/jpeg,application/pdf"


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(
        label=_("Add a photo or PDF (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _("JPEG, PNG or PDF, up to %(limit)s.") % {
            "limit": filesizeformat(settings.MESSAGE_ATTACHMENT_MAX_BYTES)
        }

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        empty = not (cleaned.get("body") or "").strip() and not cleaned.get("attachment")
        if empty and not self.errors:
            self.add_error("body", _("Write a message or attach a file."))
        return cleaned


SBAR_HELP = {
    "situation": _("What is happening now, in a sentence or two."),
    "background": _("What your colleague needs to know: history, plan, recent sessions."),
    "assessment": _("What you think is going on."),
    "recommendation": _("What you suggest or ask your colleague to do, and by when."),
}


class RecipientField(forms.ModelChoiceField):
    """A colleague, shown with their discipline."""

    def label_from_instance(self, obj: Membership) -> str:
        if obj.discipline:
            return f"{obj.display_name} ({obj.get_discipline_display()})"
        return obj.display_name


class HandoffForm(forms.Form):
    recipient = RecipientField(queryset=Membership.objects.none(), label=_("To"), empty_label=None)
    situation = forms.CharField(
        label=_("Situation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    background = forms.CharField(
        label=_("Background"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    assessment = forms.CharField(
        label=_("Assessment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.CharField(
        label=_("Recommendation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, recipients: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, RecipientField)
        field.queryset = recipients
        for name, text in SBAR_HELP.items():
            self.fields[name].help_text = text

    def sbar(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in SBAR_HELP}


class ScheduleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CheckInSchedule
        fields = ["every", "unit", "next_due_on", "is_active"]
        labels = {
            "every": _("Every"),
            "unit": _("Weeks or months"),
            "next_due_on": _("Next check-in on"),
            "is_active": _("Send check-ins"),
        }
        widgets = {
            "every": forms.NumberInput(attrs={"min": 1, "max": 12}),
            "next_due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


WELLBEING_CHOICES = [
    (1, _("Really struggling")),
    (2, _("Finding it hard")),
    (3, _("Getting by")),
    (4, _("Doing okay")),
    (5, _("Doing well")),
]


class CheckInForm(forms.ModelForm):
    wellbeing = forms.TypedChoiceField(
        label=_("And how are you doing?"),
        help_text=_(
            "Caring for a child who needs extra support is a lot. There is no right answer, "
            "and you can skip this."
        ),
        choices=WELLBEING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CheckIn
        fields = ["at_home", "hard", "would_help", "wellbeing"]
        widgets = {
            "at_home": forms.Textarea(attrs={"rows": 3}),
            "hard": forms.Textarea(attrs={"rows": 3}),
            "would_help": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        answers = [(cleaned.get(name) or "").strip() for name in ("at_home", "hard", "would_help")]
        if not any(answers) and cleaned.get("wellbeing") is None and not self.errors:
            raise ValidationError(_("Answer at least one question, even in a few words."))
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
