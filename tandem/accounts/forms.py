"""Forms for people: invitations, membership details, preferences."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Discipline, Licence, Membership, Role, User


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    discipline = forms.ChoiceField(
        label=_("Discipline"),
        choices=[("", "—"), *Discipline.choices],
        required=False,
    )
    licence = forms.ChoiceField(
        label=_("Licence"), choices=[("", "—"), *Licence.choices], required=False
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervising therapist"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("Required for assistants: the licensed therapist who co-signs their notes."),
    )
    title = forms.CharField(
        label=_("Title (collaborators)"),
        max_length=100,
        required=False,
        help_text=_("E.g. teacher, pediatrician."),
    )
    language = forms.ChoiceField(label=_("Language for emails"), choices=settings.LANGUAGES)

    def __init__(
        self,
        *args: Any,
        therapists: QuerySet[Membership] | None = None,
        existing: QuerySet[Membership] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.existing = existing
        if therapists is not None:
            supervisor = cast(forms.ModelChoiceField, self.fields["supervisor"])
            supervisor.queryset = therapists.filter(licence=Licence.LICENSED)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.existing is not None and self.existing.filter(user__email__iexact=email).exists():
            raise ValidationError(_("This person is already a member of your organization."))
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        return validate_staff_fields(self.cleaned_data)


def validate_staff_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Therapists need a discipline and licence; assistants need a supervisor."""
    role = data.get("role")
    if role == Role.THERAPIST:
        if not data.get("discipline"):
            raise ValidationError(_("Choose the therapist's discipline."))
        if not data.get("licence"):
            raise ValidationError(_("Say whether the therapist is licensed or an assistant."))
        if data.get("licence") == Licence.ASSISTANT and not data.get("supervisor"):
            raise ValidationError(_("An assistant needs a supervising therapist."))
    else:
        data["discipline"] = ""
        data["licence"] = ""
        data["supervisor"] = None
    return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "discipline", "licence", "supervisor", "title", "phone", "is_active"]

    def __init__(
        self, *args: Any, therapists: QuerySet[Membership] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        queryset = (
            therapists.filter(licence=Licence.LICENSED)
            if therapists is not None
            else Membership.objects.none()
        )
        supervisor = cast(forms.ModelChoiceField, self.fields["supervisor"])
        supervisor.queryset = queryset.exclude(pk=self.instance.pk)

    def clean(self) -> dict[str, Any]:
        super().clean()
        return validate_staff_fields(self.cleaned_data)


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Type it again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") != data.get("password2"):
            raise ValidationError(_("The two passwords are not the same."))
        if data.get("password1"):
            password_validation.validate_password(data["password1"], self.user)
        return data


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]
        labels = {"language": _("Language")}
