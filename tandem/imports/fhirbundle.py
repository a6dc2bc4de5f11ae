"""Reading a FHIR R4 Bundle (transaction or collection) of Patient, RelatedPerson and
Condition into ``ChildIn``: every resource validated with the ``fhir.resources`` R4B
models, every problem an issue naming its entry (``Bundle.entry[3].resource.birthDate``).

A Patient's identifiers are kept (Tandem's own record id, ``urn:tandem:id``, is another
clinic's id and is dropped); at least one is needed, so that importing the Bundle again
finds the child. A RelatedPerson needs an email (the guardian is invited by it); a
Condition an ICD-10-CM coding. Both name their Patient by its ``fullUrl`` or
``Patient/<id>``.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from tandem.children.models import Relationship, Sex

from .records import TANDEM_ID, ChildIn, GuardianIn, check_child, diagnosis

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
TYPES = ("Patient", "RelatedPerson", "Condition")
BUNDLE_TYPES = ("transaction", "collection", "batch")
GENDERS = {"female": Sex.FEMALE, "male": Sex.MALE}
# HL7 v3 RoleCode → Tandem's relationships (the reverse of tandem.fhir's RelatedPerson).
RELATIONSHIPS = {
    "MTH": Relationship.MOTHER,
    "FTH": Relationship.FATHER,
    "PRN": Relationship.PARENT,
    "GRPRN": Relationship.GRANDPARENT,
    "FSTPRN": Relationship.FOSTER,
    "GUARD": Relationship.GUARDIAN,
}


@dataclass
class Issue:
    expression: str
    message: str

    def __str__(self) -> str:
        return f"{self.expression}: {self.message}" if self.expression else self.message


@dataclass
class BundleFile:
    today: date  # the clinic's today: no one is born after it
    issues: list[Issue] = field(default_factory=list)
    children: list[ChildIn] = field(default_factory=list)


def read(text: str, *, today: date) -> BundleFile:
    """Validate the Bundle and read its Patients (with their guardians and diagnoses)."""
    found = BundleFile(today)
    try:
        data = json.loads(text)
    except ValueError as exc:
        found.issues.append(Issue("", _("This is not JSON: %(error)s") % {"error": exc}))
        return found
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        found.issues.append(Issue("", _("Send a FHIR Bundle (resourceType Bundle).")))
        return found
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        found.issues.append(Issue("Bundle.entry", _("entry must be a list.")))
        return found
    shell = {**data, "entry": [{**e, "resource": None} for e in entries if isinstance(e, dict)]}
    _validate("Bundle", shell, "Bundle", found.issues)
    if data.get("type") not in BUNDLE_TYPES:
        found.issues.append(Issue("Bundle.type", _("A transaction or collection Bundle.")))
    resources: list[tuple[int, str, dict[str, Any]]] = []
    for n, entry in enumerate(entries):
        where = f"Bundle.entry[{n}].resource"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(resource, dict) or kind not in TYPES:
            found.issues.append(
                Issue(where, _("Only Patient, RelatedPerson and Condition are imported."))
            )
            continue
        if _validate(str(kind), resource, where, found.issues):
            resources.append((n, entry.get("fullUrl", ""), resource))
    _read_resources(resources, found)
    return found


def _validate(kind: str, resource: Any, where: str, issues: list[Issue]) -> bool:
    try:
        get_fhir_model_class(kind).model_validate(resource)
    except ValidationError as exc:
        for error in exc.errors():
            path = ".".join(str(part) for part in error["loc"] if part != "resource")
            issues.append(Issue(f"{where}.{path}" if path else where, error["msg"]))
        return False
    return True


def _read_resources(resources: list[tuple[int, str, dict[str, Any]]], found: BundleFile) -> None:
    patients: dict[str, ChildIn] = {}
    for n, full_url, resource in resources:
        if resource["resourceType"] == "Patient":
            child = _patient(n, resource)
            child.date_of_birth = _birth_date(resource, f"Bundle.entry[{n}].resource", found)
            found.children.append(child)
            for name in (full_url, f"Patient/{resource.get('id', '')}"):
                if name and name != "Patient/":
                    patients[name] = child
    for n, _url, resource in resources:
        where = f"Bundle.entry[{n}].resource"
        kind = resource["resourceType"]
        if kind == "Patient":
            continue
        field_name = "patient" if kind == "RelatedPerson" else "subject"
        reference = (resource.get(field_name) or {}).get("reference", "")
        found_child = patients.get(reference)
        if found_child is None:
            found.issues.append(
                Issue(f"{where}.{field_name}", _("It names no Patient of this Bundle."))
            )
        elif kind == "RelatedPerson":
            _related_person(resource, found_child, where, found.issues)
        else:
            _condition(resource, found_child, where, found.issues)
    for child in found.children:
        check_child(child)


def _patient(n: int, resource: dict[str, Any]) -> ChildIn:
    child = ChildIn(row=n, entry=True)
    for identifier in resource.get("identifier") or []:
        system, value = identifier.get("system", ""), identifier.get("value", "")
        if system != TANDEM_ID:
            child.identifiers.append((system, value))
    names = resource.get("name") or []
    official: dict[str, Any] = next((x for x in names if x.get("use") != "usual"), {})
    usual: dict[str, Any] = next((x for x in names if x.get("use") == "usual"), {})
    child.first_name = " ".join(official.get("given") or [])
    child.last_name = official.get("family", "")
    child.preferred_name = " ".join(usual.get("given") or [])
    if not resource.get("birthDate"):
        child.messages.append(_("A date of birth (birthDate) is needed."))
    child.sex = GENDERS.get(resource.get("gender", ""), "")
    languages = [_language(c.get("language") or {}) for c in resource.get("communication") or []]
    child.preferred_languages = ", ".join(lang for lang in languages if lang)
    return child


def _birth_date(resource: dict[str, Any], where: str, found: BundleFile) -> date | None:
    """A full birthDate (FHIR allows "2019-04" or "2019"; a child's record needs the day),
    not in the future (the clinic's today)."""
    raw = str(resource.get("birthDate") or "")
    if not raw:
        return None
    try:
        born = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        born = None
    if born is None:
        found.issues.append(
            Issue(f"{where}.birthDate", _("A full date of birth is needed (YYYY-MM-DD)."))
        )
    elif born > found.today:
        found.issues.append(Issue(f"{where}.birthDate", _("The date of birth is in the future.")))
        return None
    return born


def _language(concept: dict[str, Any]) -> str:
    codings: list[dict[str, Any]] = concept.get("coding") or []
    return str(concept.get("text") or (codings[0].get("code", "") if codings else ""))


def _related_person(
    resource: dict[str, Any], child: ChildIn, where: str, issues: list[Issue]
) -> None:
    emails = [t["value"] for t in resource.get("telecom") or [] if t.get("system") == "email"]
    if not emails:
        issues.append(Issue(f"{where}.telecom", _("An email is needed to invite the guardian.")))
        return
    name: dict[str, Any] = next(iter(resource.get("name") or []), {})
    codes = [
        coding.get("code")
        for concept in resource.get("relationship") or []
        for coding in concept.get("coding") or []
    ]
    relationship = next((RELATIONSHIPS[c] for c in codes if c in RELATIONSHIPS), None)
    child.guardians.append(
        GuardianIn(
            email=emails[0].strip().lower(),
            first_name=" ".join(name.get("given") or []),
            last_name=name.get("family", ""),
            relationship=relationship or Relationship.PARENT,
        )
    )


def _condition(resource: dict[str, Any], child: ChildIn, where: str, issues: list[Issue]) -> None:
    codings = [
        c for c in (resource.get("code") or {}).get("coding") or [] if c.get("system") == ICD10CM
    ]
    if not codings:
        issues.append(Issue(f"{where}.code", _("An ICD-10-CM coding is needed.")))
        return
    child.diagnoses.append(diagnosis(codings[0].get("code", ""), codings[0].get("display", "")))
