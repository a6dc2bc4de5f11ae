"""What an import brings in, whatever the file: one child per row or Patient, with
their identifiers, guardians, diagnoses and care team (CSV and FHIR read into these)."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tandem.accounts.models import Invitation
from tandem.children.icd10 import label_for
from tandem.children.models import Child, Relationship, Sex, TeamRole

from .models import ChildIdentifier

# ICD-10-CM: a letter, a digit, a digit or letter, then an optional dot and up to four
# characters (F84.0, R62.50, Z13.4); the shipped list gives the label when it knows it.
ICD10_CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
# Tandem's own record ids (the FHIR mapper's identifier system): a clinic's id, never
# an identifier another clinic keeps (tandem.fhir.base.TANDEM_ID; fhir sits above us).
TANDEM_ID = "urn:tandem:id"
# The system under which a clinic's caseload CSV exports a child that has no identifier of
# its own: the child's Tandem id, named by the clinic (``export.py``). Another clinic
# keeps it as any external identifier; the clinic itself reads it back as that child.
CLINIC_ID = "urn:tandem:clinic:{organization}"


def own_system(organization_id: Any) -> str:
    """The identifier system of this clinic's own children ids in its CSV export."""
    return CLINIC_ID.format(organization=organization_id)


@dataclass
class GuardianIn:
    email: str
    first_name: str = ""
    last_name: str = ""
    relationship: str = Relationship.PARENT


@dataclass
class ChildIn:
    """One child to bring in, as read from the file; ``messages`` are its problems."""

    row: int  # the CSV line, or the Bundle entry's index
    entry: bool = False  # read from a Bundle entry, not a CSV line
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    first_name: str = ""
    last_name: str = ""
    preferred_name: str = ""
    date_of_birth: datetime.date | None = None
    sex: str = ""
    preferred_languages: str = ""
    guardians: list[GuardianIn] = field(default_factory=list)
    diagnoses: list[tuple[str, str]] = field(default_factory=list)
    team: list[tuple[str, str]] = field(default_factory=list)  # (therapist email, seat)
    messages: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def profile(self) -> dict[str, Any]:
        """The child's profile fields as ``children.actions`` takes them."""
        fields: dict[str, Any] = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "preferred_name": self.preferred_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
        }
        if self.preferred_languages:
            fields["preferred_languages"] = self.preferred_languages
        return fields


def _longest(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


# What each field may hold: a longer value is the row's problem, never the database's.
LENGTHS = {
    "first_name": _longest(Child, "first_name"),
    "last_name": _longest(Child, "last_name"),
    "preferred_name": _longest(Child, "preferred_name"),
    "preferred_languages": _longest(Child, "preferred_languages"),
}
SYSTEM_LENGTH = _longest(ChildIdentifier, "system")
VALUE_LENGTH = _longest(ChildIdentifier, "value")
GUARDIAN_LENGTHS = {
    "email": _longest(Invitation, "email"),
    "first_name": _longest(Invitation, "first_name"),
    "last_name": _longest(Invitation, "last_name"),
}


def _too_long(what: str, value: str, most: int) -> str | None:
    if len(value) <= most:
        return None
    return _("%(field)s is too long: %(count)s characters at most.") % {
        "field": what,
        "count": most,
    }


def _check_lengths(child: ChildIn) -> None:
    found = [_too_long(name, getattr(child, name), most) for name, most in LENGTHS.items()]
    for system, value in child.identifiers:
        found += [
            _too_long("identifier_system", system, SYSTEM_LENGTH),
            _too_long("identifier", value, VALUE_LENGTH),
        ]
    for guardian in child.guardians:
        found += [
            _too_long(f"guardian_{name}", getattr(guardian, name), most)
            for name, most in GUARDIAN_LENGTHS.items()
        ]
    child.messages.extend(message for message in found if message)


def check_child(child: ChildIn) -> None:
    """Add the row's own problems (those that need no other row nor the clinic)."""
    _check_lengths(child)
    if not child.identifiers:
        child.messages.append(_("An identifier (system and value) is needed."))
    for system, value in child.identifiers:
        if not system or not value:
            child.messages.append(_("An identifier needs both a system and a value."))
        elif system == TANDEM_ID:
            child.messages.append(_("Tandem's own record ids cannot be imported."))
    if not child.first_name or not child.last_name:
        child.messages.append(_("A first and a last name are needed."))
    if child.sex not in Sex.values:
        child.messages.append(_("Sex must be F or M (it chooses the growth charts)."))
    for guardian in child.guardians:
        try:
            validate_email(guardian.email)
        except ValidationError:
            child.messages.append(
                _("The guardian's email “%(email)s” is not a valid address.")
                % {"email": guardian.email}
            )
        if guardian.relationship not in Relationship.values:
            child.messages.append(
                _("Unknown relationship “%(value)s”.") % {"value": guardian.relationship}
            )
    for code, _label in child.diagnoses:
        if not ICD10_CM.match(code):
            child.messages.append(
                _("“%(code)s” is not an ICD-10-CM code (e.g. F84.0).") % {"code": code}
            )
    for email, seat in child.team:
        if seat not in TeamRole.values:
            child.messages.append(
                _("Unknown care-team role “%(value)s” for %(email)s.")
                % {"value": seat, "email": email}
            )


def diagnosis(code: str, label: str = "") -> tuple[str, str]:
    """A (code, label) pair: the code in capitals, the label from the shipped list if none."""
    code = code.strip().upper()
    return code, (label.strip() or label_for(code) or code)[:200]
