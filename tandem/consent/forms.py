"""The guardian's form for sharing a child's information with a professional.

The rules (at least one part shared, a last day within a year, an email that may
receive a consent) live in ``actions``; the form shows them by the field they concern.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.core import clock

from .models import MAX_DURATION


class GrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("We send them a link to sign in. Nobody else can use it."),
    )
    first_name = forms.CharField(label=_("Their first name"), max_length=100)
    last_name = forms.CharField(label=_("Their last name"), max_length=100, required=False)
    role_title = forms.CharField(
        label=_("Who they are to your child"),
        max_length=100,
        help_text=_("For example: class teacher, pediatrician, swimming coach."),
    )
    can_see_summary = forms.BooleanField(
        label=_("Goals and progress: what the team is working on and how it is going"),
        required=False,
        initial=True,
    )
    can_post_observations = forms.BooleanField(
        label=_("Let them tell the team what they see (observations)"), required=False
    )
    can_read_notes = forms.BooleanField(
        label=_("Session notes: what happened in each therapy session"), required=False
    )
    expires_on = forms.DateField(
        label=_("Share until (the last day)"),
        help_text=_("At most one year from today. You can stop sharing at any time."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    SCOPES = ("can_see_summary", "can_post_observations", "can_read_notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["expires_on"].widget.attrs.update(
            min=(today + datetime.timedelta(days=1)).isoformat(),
            max=(today + MAX_DURATION).isoformat(),
        )

    def apply(self, exc: ValidationError) -> None:
        """Show an action's refusal by the field it concerns."""
        for name, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
