"""The claims of a claim file, as the 837P writes them: charges grouped into claims (one per
child, policy and authorization; split past 50 lines or 12 diagnoses), each line with its
place of service, diagnosis pointers and control number, the rendering therapist and the
insured (``claims.build_batch`` checks the input and stores the result)."""

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.appointments.models import Location
from tandem.children.models import Child, Diagnosis
from tandem.notes.models import SessionNote

from .models import Charge, PatientRelationship, Policy, ProviderNumber
from .x12 import claim837 as x12
from .x12.elements import Address
from .x12.npi import is_valid_npi

MAX_LINES = x12.MAX_LINES
MAX_DIAGNOSES = x12.MAX_DIAGNOSES
MAX_POINTERS = 4
CONTROL_LENGTH = 30  # what clearinghouses keep of a line's control number (REF*6R)
# Place of service (CMS codes) by where the session happened.
PLACES: dict[str, str] = {
    Location.CLINIC: "11",
    Location.HOME: "12",
    Location.SCHOOL: "03",
    Location.TELETHERAPY: "02",
}
OFFICE = "11"
VIDEO = "02"
VIDEO_MODIFIER = "95"


def line_control_number(charge_id: Any) -> str:
    """The control number a charge's line carries on the claim (and the 835 sends back)."""
    return uuid.UUID(str(charge_id)).hex[:CONTROL_LENGTH]


def claim_control_number(sequence: int) -> str:
    """A claim's patient control number (CLM01): T and the clinic's claim count."""
    return f"T{sequence:06d}"


def renderings_for(
    membership: Membership, charges: Sequence[Charge]
) -> dict[Any, x12.RenderingProvider]:
    """Each therapist's numbers as a rendering provider, or ValidationError naming who."""
    numbers = {
        row.membership_id: row
        for row in ProviderNumber.objects.filter(
            organization_id=membership.organization_id,
            membership_id__in={c.rendering_id for c in charges},
        )
    }
    found: dict[Any, x12.RenderingProvider] = {}
    problems = []
    for charge in charges:
        therapist = charge.rendering
        if therapist.pk in found:
            continue
        number = numbers.get(therapist.pk)
        if number is None or not number.npi.strip():
            problems.append(
                _("Add %(name)s's NPI (their provider numbers) first.")
                % {"name": therapist.display_name}
            )
            continue
        if not is_valid_npi(number.npi.strip()):
            problems.append(
                _("%(name)s's NPI %(npi)s is not valid: check its 10 digits.")
                % {"name": therapist.display_name, "npi": number.npi}
            )
            continue
        user = therapist.user
        first, last = user.first_name.strip(), user.last_name.strip()
        if not last:
            first, _space, last = therapist.display_name.strip().rpartition(" ")
        found[therapist.pk] = x12.RenderingProvider(
            last, first, number.npi.strip(), number.taxonomy.strip()
        )
    if problems:
        raise ValidationError(sorted(set(problems)))
    return found


def places_of(membership: Membership, charges: Sequence[Charge]) -> dict[Any, str]:
    """Each note's place of service (where the session was), by note id."""
    notes = SessionNote.objects.filter(
        organization_id=membership.organization_id, pk__in={c.note_id for c in charges}
    ).values_list("id", "location")
    return {note_id: PLACES.get(location, OFFICE) for note_id, location in notes}


def recorded_diagnoses(membership: Membership, charges: Sequence[Charge]) -> dict[Any, list[str]]:
    """The children's recorded diagnoses, for charges signed before one was recorded."""
    children = {c.child_id for c in charges if not c.diagnoses}
    found: dict[Any, list[str]] = defaultdict(list)
    if children:
        rows = Diagnosis.objects.filter(
            organization_id=membership.organization_id, child_id__in=children
        ).order_by("noted_on", "created_at")
        for child_id, code in rows.values_list("child_id", "code"):
            found[child_id].append(code)
    return found


def _key(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _diagnoses_of(charge: Charge, fallback: dict[Any, list[str]]) -> list[str]:
    codes = list(charge.diagnoses or []) or fallback.get(charge.child_id, [])
    seen: dict[str, str] = {}
    for code in codes:
        seen.setdefault(_key(str(code)), str(code).strip())
    return list(seen.values())[:MAX_POINTERS]


def group_charges(charges: Sequence[Charge], fallback: dict[Any, list[str]]) -> list[list[Charge]]:
    """One claim per child, policy and authorization (a payer reads one authorization
    number a claim), split past 50 lines or 12 diagnoses."""
    by_key: dict[tuple[Any, Any, Any], list[Charge]] = defaultdict(list)
    for charge in charges:
        by_key[(charge.child_id, charge.policy_id, charge.authorization_id)].append(charge)
    problems = []
    groups: list[list[Charge]] = []

    def order(items: list[Charge]) -> tuple[str, str, Any, int, datetime.date]:
        first = min(items, key=lambda c: c.service_date)
        child: Child = first.child
        policy: Policy = first.policy  # type: ignore[assignment]
        return (child.last_name, child.first_name, child.pk, policy.priority, first.service_date)

    for items in sorted(by_key.values(), key=order):
        items.sort(key=lambda c: (c.service_date, c.code, c.created_at))
        if not _diagnoses_of(items[0], fallback):
            problems.append(
                _("Record %(child)s's diagnosis (ICD-10-CM) first: a claim needs one.")
                % {"child": items[0].child.display_name}
            )
            continue
        current: list[Charge] = []
        codes: set[str] = set()
        for charge in items:
            mine = {_key(c) for c in _diagnoses_of(charge, fallback)}
            if current and (len(current) == MAX_LINES or len(codes | mine) > MAX_DIAGNOSES):
                groups.append(current)
                current, codes = [], set()
            current.append(charge)
            codes |= mine
        groups.append(current)
    if problems:
        raise ValidationError(sorted(set(problems)))
    return groups


def claim_for(
    control_number: str,
    charges: list[Charge],
    fallback: dict[Any, list[str]],
    renderings: dict[Any, x12.RenderingProvider],
    places: dict[Any, str],
) -> x12.Claim:
    first = charges[0]
    policy: Policy = first.policy  # type: ignore[assignment]
    diagnoses: list[str] = []
    for charge in charges:
        for code in _diagnoses_of(charge, fallback):
            if _key(code) not in {_key(known) for known in diagnoses}:
                diagnoses.append(code)
    if not diagnoses:
        raise ValidationError(
            _("Record %(child)s's diagnosis (ICD-10-CM) first: a claim needs one.")
            % {"child": first.child.display_name}
        )
    line_places = [places.get(c.note_id, OFFICE) for c in charges]
    place = Counter(line_places).most_common(1)[0][0]
    keys = [_key(code) for code in diagnoses]
    lines = []
    for charge, line_place in zip(charges, line_places, strict=True):
        pointers = tuple(keys.index(_key(c)) + 1 for c in _diagnoses_of(charge, fallback)) or (1,)
        modifiers = charge.modifier_list
        if line_place == VIDEO and VIDEO_MODIFIER not in modifiers and len(modifiers) < 4:
            modifiers.append(VIDEO_MODIFIER)
        lines.append(
            x12.ServiceLine(
                procedure_code=charge.code,
                charge=charge.amount,
                units=charge.units,
                service_date=charge.service_date,
                modifiers=tuple(modifiers),
                place_of_service=line_place,
                diagnosis_pointers=pointers,
                control_number=line_control_number(charge.pk),
                rendering_provider=renderings[charge.rendering_id],
            )
        )
    authorization = first.authorization.number.strip() if first.authorization else ""
    subscriber, patient = _insured(first.child, policy)
    return x12.Claim(
        patient_control_number=control_number,
        diagnoses=tuple(diagnoses),
        rendering_provider=renderings[first.rendering_id],
        subscriber=subscriber,
        lines=tuple(lines),
        place_of_service=place,
        prior_authorization=authorization,
        patient=patient,
    )


def _insured(child: Child, policy: Policy) -> tuple[x12.Subscriber, x12.Patient | None]:
    """The subscriber loop (and the patient loop, when the child is not the policyholder)."""
    payer = policy.payer
    what = {"child": child.display_name, "payer": payer.name}
    address_fields = (policy.address, policy.city, policy.state, policy.postal_code)
    if not all(value.strip() for value in address_fields):
        raise ValidationError(
            _("Add the policyholder's address on %(child)s's policy with %(payer)s first.") % what
        )
    if not policy.member_id.strip():
        raise ValidationError(
            _("Add the member ID on %(child)s's policy with %(payer)s first.") % what
        )
    address = Address(policy.address, policy.city, policy.state, policy.postal_code)
    sex = child.sex if child.sex in x12.SEXES else "U"
    is_self = policy.relationship == PatientRelationship.SELF
    if not is_self and not policy.subscriber_last_name.strip():
        raise ValidationError(
            _("Add the policyholder's name on %(child)s's policy with %(payer)s first.") % what
        )
    subscriber = x12.Subscriber(
        member_id=policy.member_id.strip(),
        last_name=child.last_name if is_self else policy.subscriber_last_name,
        first_name=child.first_name if is_self else policy.subscriber_first_name,
        payer_name=payer.name,
        payer_id=payer.payer_id.strip(),
        relationship=policy.relationship,
        birth_date=child.date_of_birth if is_self else None,
        sex=sex if is_self else "U",
        address=address,
        group_number=policy.group_number,
        filing_indicator=payer.filing_indicator,
    )
    if is_self:
        return subscriber, None
    patient = x12.Patient(child.last_name, child.first_name, child.date_of_birth, sex, address)
    return subscriber, patient
