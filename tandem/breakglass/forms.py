"""The break-glass form (the child's exact name and date of birth, and why) and an admin's
review. The rules (a reason of some length, one review) live in ``emergency.actions``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.emergency.models import MAX_REASON, MIN_REASON, Outcome


class ApplyErrors:
    """Show an action's refusal by the field it concerns."""

    def apply(self, exc: ValidationError) -> None:
        assert isinstance(self, forms.Form)
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _reason_too_short() -> str:
    # The action's own words (``emergency.actions.check_reason``), for the form's checks.
    return gettext(
        "Say why you need this record now, in at least %(n)d characters: the clinic's admins "
        "read it."
    ) % {"n": MIN_REASON}


REASON_TOO_SHORT = lazy(_reason_too_short, str)()


class OpenForm(ApplyErrors, forms.Form):
    first_name = forms.CharField(label=_("Child's first name"), max_length=100)
    last_name = forms.CharField(label=_("Child's last name"), max_length=100)
    date_of_birth = forms.DateField(
        label=_("Child's date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Why you need this record now"),
        min_length=MIN_REASON,
        max_length=MAX_REASON,
        error_messages={
            "required": REASON_TOO_SHORT,
            "min_length": REASON_TOO_SHORT,
            "max_length": _(
                "Keep the reason under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the child's therapist is away and the family called about a "
            "seizure during home practice. The clinic's admins read this."
        ),
    )


class ReviewForm(ApplyErrors, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Was this access appropriate?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
