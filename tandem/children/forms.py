"""Forms for the child's record."""

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership
from tandem.core import clock
from tandem.core.uploads import clean_picture

from .models import CareTeamMember, Child, Diagnosis, GuardianLink, Relationship, TeamRole

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def diagnosis_choices() -> list[tuple[str, str]]:
    from .icd10 import pediatric_codes

    return [(d["code"], f"{d['code']} — {d['label']}") for d in pediatric_codes()]


class ChildForm(forms.ModelForm):
    """The child's profile. ``version`` carries the version the form was opened on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    diagnoses = forms.MultipleChoiceField(
        label=_("Diagnoses (ICD-10-CM)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "gestational_age_weeks",
            "preferred_languages",
            "photo",
            "strengths",
            "interests",
            "challenges",
            "sensory_notes",
            "family_context",
            "school",
            "ifsp_date",
            "iep_date",
            "iep_review_date",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ifsp_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "iep_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "iep_review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.Textarea(attrs={"rows": 3}),
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "sensory_notes": forms.Textarea(attrs={"rows": 3}),
            "family_context": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, diagnoses: Iterable[Diagnosis] | None = None, **kwargs: Any
    ) -> None:
        """``diagnoses``: the child's diagnoses as the access layer gives them to this member,
        or None when their role does not see diagnoses (the front desk): then the form has
        no such field, shows none and changes none."""
        super().__init__(*args, **kwargs)
        if diagnoses is None:
            del self.fields["diagnoses"]
        else:
            field = cast(forms.MultipleChoiceField, self.fields["diagnoses"])
            field.choices = diagnosis_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            if diagnoses is not None:
                self.initial["diagnoses"] = [d.code for d in diagnoses]

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        today = clock.today()
        if born > today:
            raise ValidationError(_("The date of birth cannot be in the future."))
        if (today - born).days > 22 * 365:
            raise ValidationError(_("Tandem is for children and young people up to 21."))
        return born

    def clean_gestational_age_weeks(self) -> int | None:
        weeks = self.cleaned_data.get("gestational_age_weeks")
        if weeks is not None and not 22 <= weeks <= 44:
            raise ValidationError(_("Gestational age is between 22 and 44 weeks."))
        return weeks

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "image"):
            return photo
        if photo.size > settings.CHILD_PHOTO_MAX_BYTES:
            raise ValidationError(
                _("The photo is too large; the limit is %(limit)s.")
                % {"limit": filesizeformat(settings.CHILD_PHOTO_MAX_BYTES)}
            )
        if (photo.image.format or "").upper() not in PHOTO_FORMATS:
            raise ValidationError(_("Use a JPEG, PNG or WebP picture."))
        # Stored encoded again, without EXIF (GPS) and under a name from its content.
        return clean_picture(photo)

    def diagnosis_pairs(self) -> list[tuple[str, str]] | None:
        """The chosen diagnoses, or None (leave them as they are) when the form has none."""
        from .icd10 import label_for

        if "diagnoses" not in self.fields:
            return None
        return [(code, label_for(code) or code) for code in self.cleaned_data["diagnoses"]]


class GuardianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user} <{obj.user.email}>"


class TherapistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        licence = f" ({obj.get_licence_display()})" if obj.licence else ""
        return f"{obj.user} — {obj.get_discipline_display()}{licence}"


class GuardianLinkForm(forms.ModelForm):
    """Link a guardian to a child: an existing guardian, or a new one invited by email."""

    guardian = GuardianChoiceField(
        queryset=Membership.objects.none(), required=False, label=_("Existing guardian")
    )
    email = forms.EmailField(label=_("Or invite a new guardian by email"), required=False)
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)

    class Meta:
        model = GuardianLink
        fields = [
            "relationship",
            "has_legal_authority",
            "is_primary_contact",
            "household",
            "contact_method",
            "contact_notes",
        ]

    def __init__(
        self, *args: Any, guardians: QuerySet[Membership] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["guardian"])
        field.queryset = guardians if guardians is not None else Membership.objects.none()
        self.fields["relationship"].initial = Relationship.PARENT

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("guardian") and not data.get("email"):
            raise ValidationError(_("Choose an existing guardian or give a new guardian's email."))
        if data.get("guardian") and data.get("email"):
            raise ValidationError(_("Choose an existing guardian or invite a new one, not both."))
        return data


class CareTeamForm(forms.Form):
    therapist = TherapistChoiceField(queryset=Membership.objects.none(), label=_("Therapist"))
    role = forms.ChoiceField(choices=TeamRole.choices, label=_("Role on the team"))

    def __init__(
        self, *args: Any, therapists: QuerySet[Membership] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["therapist"])
        field.queryset = therapists if therapists is not None else Membership.objects.none()


class CareTeamRoleForm(forms.ModelForm):
    class Meta:
        model = CareTeamMember
        fields = ["role"]


class InterestsForm(forms.Form):
    """The child's interests and strengths: tags from the vocabulary, free text beside."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    interest_tags = forms.MultipleChoiceField(
        label=_("What they love"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not one of the listed interests: choose from the list."
            )
        },
    )
    interests = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    strength_tags = forms.MultipleChoiceField(
        label=_("What they are good at"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not one of the listed strengths: choose from the list."
            )
        },
    )
    strengths = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .interests import Interest, Strength

        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["interest_tags"]).choices = Interest.choices
        cast(forms.MultipleChoiceField, self.fields["strength_tags"]).choices = Strength.choices
        self.fields["interests"].widget.attrs["aria-describedby"] = "interest-tags"
        self.fields["strengths"].widget.attrs["aria-describedby"] = "strength-tags"

    def clean(self) -> dict[str, Any]:
        from .interests import MAX_TAGS

        data = super().clean() or {}
        for name in ("interest_tags", "strength_tags"):
            if len(data.get(name) or []) > MAX_TAGS:
                self.add_error(name, _("Choose at most %(n)d.") % {"n": MAX_TAGS})
        return data
