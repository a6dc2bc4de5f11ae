"""The forms of the insurance pages: a payer, a child's policy, an authorization.

They read what was typed (dates, whole numbers); the rules — a duplicate name, a limit
out of range, overlapping policies, dates outside the policy — are the actions'
(``insurance.py``), whose messages the views put back on the form."""

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from . import catalogue
from .insurance import ADDRESS_FIELDS
from .models import (
    AuthorizationUnit,
    FilingIndicator,
    PatientRelationship,
    Payer,
    Policy,
    Priority,
    UnitMethod,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COVERAGE = ("priority", "starts_on", "ends_on")  # a policy's order and dates


def _date(label: Any, required: Any = None, help_text: Any = "") -> forms.DateField:
    """A date; ``required`` is the message when it is left empty (the action's words)."""
    messages = {"required": required} if required else {}
    return forms.DateField(
        label=label,
        required=bool(required),
        widget=DATE,
        help_text=help_text,
        error_messages=messages,
    )


def _needed(message: Any) -> dict[str, Any]:
    """A field the form asks for, refused in the action's words when left empty."""
    return {"required": True, "error_messages": {"required": message}}


class PayerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, **_needed(_("Give the payer's name.")))
    payer_id = forms.CharField(
        label=_("Payer ID for electronic claims"),
        help_text=_("From the payer or your clearinghouse, e.g. 60054."),
        max_length=20,
        **_needed(
            _("Give the payer ID for electronic claims (the payer or your clearinghouse has it).")
        ),
    )
    unit_method = forms.ChoiceField(
        label=_("How it counts timed units"),
        choices=UnitMethod.choices,
        initial=UnitMethod.CMS,
        help_text=_(
            "Medicare and Medicaid add the timed minutes together; many commercial payers "
            "count each code on its own."
        ),
    )
    filing_indicator = forms.ChoiceField(
        label=_("Kind of plan"),
        choices=FilingIndicator.choices,
        initial=FilingIndicator.COMMERCIAL,
        help_text=_("Written on each claim: Medicaid plans want Medicaid."),
        required=False,
    )
    daily_unit_limit = forms.IntegerField(
        label=_("Most timed units a day for one child"),
        help_text=_("1 to 96; leave it empty when the payer sets no limit."),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def of(cls, payer: Payer, data: Any = None) -> "PayerForm":
        initial = {name: getattr(payer, name) for name in cls.base_fields if name != "version"}
        return cls(data, initial=initial | {"version": payer.version})

    def clean_filing_indicator(self) -> str:
        return self.cleaned_data.get("filing_indicator") or FilingIndicator.COMMERCIAL

    def fields_to_save(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class PolicyForm(forms.Form):
    payer = forms.CharField(
        label=_("Payer"), widget=forms.Select, **_needed(_("Choose one of the clinic's payers."))
    )
    member_id = forms.CharField(
        label=_("Member ID"),
        max_length=40,
        **_needed(_("Give the member ID from the insurance card.")),
    )
    group_number = forms.CharField(label=_("Group number"), max_length=40, required=False)
    relationship = forms.ChoiceField(
        label=_("The child's relationship to the policyholder"),
        choices=PatientRelationship.choices,
        initial=PatientRelationship.CHILD,
    )
    subscriber_first_name = forms.CharField(
        label=_("Policyholder's first name"), max_length=60, required=False
    )
    subscriber_last_name = forms.CharField(
        label=_("Policyholder's last name"), max_length=60, required=False
    )
    subscriber_birth_date = _date(_("Policyholder's date of birth"))
    # The policyholder's address: optional as a whole; all of it once any is given (the
    # action's rule). State and ZIP take any length here, so a wrong one gets its message.
    address = forms.CharField(label=_("Street address"), max_length=55, required=False)
    city = forms.CharField(label=_("City"), max_length=30, required=False)
    state = forms.CharField(
        label=_("State"),
        help_text=_("Two letters, such as OR."),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 2, "size": 3, "autocapitalize": "characters"}),
    )
    postal_code = forms.CharField(
        label=_("ZIP code"),
        help_text=_("5 digits, or 9 with the ZIP+4."),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 10, "inputmode": "numeric"}),
    )
    priority = forms.TypedChoiceField(
        label=_("Order"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.PRIMARY,
        help_text=_("Sessions are billed to the primary policy in force that day."),
    )
    starts_on = _date(_("Covered from"), _("Give the date the coverage starts."))
    ends_on = _date(_("Covered until"), help_text=_("Leave it empty while the policy runs."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, payers: list[Payer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Choose a payer"))]
        choices += [(str(p.pk), p.name if p.is_active else f"{p.name} ✕") for p in payers]
        self.fields["payer"].widget.choices = choices

    @classmethod
    def of(cls, policy: Policy, payers: list[Payer], data: Any = None) -> "PolicyForm":
        initial = {name: getattr(policy, name) for name in cls.base_fields}
        initial["payer"] = str(policy.payer_id)
        initial["postal_code"] = zip_code(policy.postal_code)
        return cls(data, initial=initial, payers=payers)

    def card_fields(self) -> list[BoundField]:
        """The card's fields: the payer, the member ID, the policyholder."""
        return [f for f in self.visible_fields() if f.name not in ADDRESS_FIELDS + COVERAGE]

    def address_fields(self) -> list[BoundField]:
        return [self[name] for name in ADDRESS_FIELDS]

    def coverage_fields(self) -> list[BoundField]:
        return [self[name] for name in COVERAGE]

    def fields_to_save(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def zip_code(digits: str) -> str:
    """A ZIP as people write it: 97201, or 97201-1234 for a ZIP+4 (stored as digits)."""
    return f"{digits[:5]}-{digits[5:]}" if len(digits) == 9 else digits


class AuthorizationForm(forms.Form):
    policy = forms.CharField(
        label=_("Policy"), widget=forms.Select, **_needed(_("Choose one of this child's policies."))
    )
    number = forms.CharField(
        label=_("Authorization number"),
        max_length=50,
        **_needed(_("Give the authorization number the payer gave.")),
    )
    codes = forms.MultipleChoiceField(
        label=_("Service codes it covers"),
        choices=catalogue.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one service code it covers."),
            "invalid_choice": _("%(value)s is not a service code Tandem knows."),
        },
    )
    counts = forms.ChoiceField(
        label=_("Counted in"), choices=AuthorizationUnit.choices, initial=AuthorizationUnit.VISITS
    )
    allowed = forms.IntegerField(
        label=_("Allowed"),
        help_text=_("How many visits or units the payer allowed."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **_needed(_("Give how many visits or units the payer allowed.")),
    )
    starts_on = _date(_("From"), _("Give the first day it covers."))
    ends_on = _date(_("Until"), _("Give the last day it covers."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, policies: list[Policy] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if policies is None:  # changing one: its policy stays
            del self.fields["policy"]
            return
        choices: list[tuple[str, Any]] = [("", _("Choose a policy"))]
        choices += [(str(p.pk), f"{p.payer.name} · {p.member_id}") for p in policies]
        self.fields["policy"].widget.choices = choices

    def fields_to_save(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
