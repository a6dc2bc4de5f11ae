from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportRun

MAX_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportRun.Kind.choices,
        initial=ImportRun.Kind.CSV,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8 or Latin-1) or FHIR JSON, up to 5 MB.")
    )
    identifier_system = forms.CharField(
        label=_("Identifier system"),
        max_length=200,
        required=False,
        help_text=_(
            "The system your identifiers come from (e.g. https://yourclinic.example/mrn), "
            "for the rows whose identifier_system is empty."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it."))
        return upload


class ImportForm(forms.Form):
    valid_only = forms.BooleanField(label=_("Import the valid rows only"), required=False)
