"""Forms of the resource library, sharing with families, and workshops."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tandem.plans.models import Domain

from .actions import RESOURCE_FIELDS, WORKSHOP_FIELDS
from .models import MAX_AGE_MONTHS, Resource, ResourceKind, Workshop


class ResourceForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        label=_("Domains"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    upload = forms.FileField(
        label=_("File (PDF, PNG or JPEG, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:  # a new resource has an id, and no tags
            self.initial.setdefault("domains", [t.domain for t in self.instance.tags.all()])
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("min_age_months"), data.get("max_age_months")
        if low is not None and high is not None and low > high:
            self.add_error("max_age_months", _("The upper age must not be below the lower age."))
        return data

    def changes(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["domains"] = self.cleaned_data["domains"]
        data["upload"] = self.cleaned_data.get("upload") or None
        return data


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    domain = forms.ChoiceField(
        label=_("Domain"), required=False, choices=[("", _("All domains")), *Domain.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *settings.LANGUAGES]
    )
    age_months = forms.IntegerField(
        label=_("Child's age (months)"), required=False, min_value=0, max_value=MAX_AGE_MONTHS
    )


class ShareForm(forms.Form):
    resource = forms.ChoiceField(label=_("Resource"))
    home_activity = forms.ChoiceField(label=_("For the home activity (optional)"), required=False)
    note = forms.CharField(
        label=_("A note for the family (optional)"), required=False, max_length=300
    )

    def __init__(self, *args: Any, resources: Any = (), activities: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["resource"]).choices = [
            ("", _("Choose a resource")),
            *[(str(r.id), r.title) for r in resources],
        ]
        cast(forms.ChoiceField, self.fields["home_activity"]).choices = [
            ("", _("No particular activity")),
            *[(str(a.id), a.title) for a in activities],
        ]
        if not activities:
            self.fields["home_activity"].widget = forms.HiddenInput()


class WorkshopForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Workshop
        fields = list(WORKSHOP_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "description": forms.Textarea(attrs={"rows": 5}),
            "online_url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starts_at = cast(forms.DateTimeField, self.fields["starts_at"])
        starts_at.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class WorkshopPlaceForm(forms.Form):
    workshop = forms.UUIDField(widget=forms.HiddenInput)
