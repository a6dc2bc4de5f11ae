"""Forms of child mode: which child to open it for, the child's pick, the adult's password."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChoiceSource


class EnterForm(forms.Form):
    child = forms.UUIDField(widget=forms.HiddenInput)


class ChoiceForm(forms.Form):
    source = forms.ChoiceField(choices=ChoiceSource.choices, widget=forms.HiddenInput)
    label = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    home_activity_id = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ExitForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
