"""Who pays for a child's sessions: the clinic's payers, a child's policies and the
authorizations a payer gave for a policy.

Each action runs in one transaction, checks everything before it writes, and raises
``ValidationError`` by field, in words the person can act on: nothing is saved when one
part is refused. A change names the version it was based on; a newer one is a
``Conflict`` (409). Each change keeps a version in the record's history (who, when, what).

- A payer: a unique name in the clinic, its payer ID for electronic claims, how it
  counts timed units, its daily limit of timed units for one child (1–96, or none).
- A policy: a payer still in use, the member ID and the policyholder, the child's
  relationship to them, the policyholder's address (none yet, or all of it: street, city,
  a state's two-letter code, a ZIP or ZIP+4 kept as digits — a claim needs it whole), its
  order (primary, secondary…) and its dates. Two policies of
  the same order cannot cover the same day (which one would a session be billed to?),
  and its dates keep its authorizations inside them.
- An authorization (``insurance_authorizations.py``): the policy's number for so many
  visits or units of some service codes (Tandem's catalogue), from and until dates within
  the policy's.
"""

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.core.access import Conflict

from .fees_profile import STATES, ZIP
from .models import (
    Authorization,
    Charge,
    FilingIndicator,
    PatientRelationship,
    Payer,
    Policy,
    Priority,
    UnitMethod,
)

MAX_UNIT_LIMIT = 96  # 24 hours of 15-minute units
PAYER_ID = re.compile(r"^[A-Za-z0-9]{2,20}$")
PAYER_FIELDS = (
    "name",
    "payer_id",
    "unit_method",
    "filing_indicator",
    "daily_unit_limit",
    "is_active",
)
POLICY_FIELDS = (
    "payer",
    "member_id",
    "group_number",
    "subscriber_first_name",
    "subscriber_last_name",
    "subscriber_birth_date",
    "address",
    "city",
    "state",
    "postal_code",
    "relationship",
    "priority",
    "starts_on",
    "ends_on",
)
ADDRESS_FIELDS = ("address", "city", "state", "postal_code")
ADDRESS_LIMITS = {"address": 55, "city": 30}  # the 837P's N3 and N4 elements

Errors = dict[str, list[str]]


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _span(starts_on: datetime.date, ends_on: datetime.date | None) -> str:
    if ends_on is None:
        return _("from %(start)s, no end date") % {"start": _day(starts_on)}
    return _("from %(start)s until %(end)s") % {"start": _day(starts_on), "end": _day(ends_on)}


def _text(value: Any) -> str:
    return str(value or "").strip()


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _refuse(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _unknown(fields: Iterable[str], known: tuple[str, ...], what: str) -> None:
    strange = set(fields) - set(known)
    if strange:
        raise ValueError(f"{sorted(strange)} are not fields of a {what}")


def _locked(model: Any, record: Any, expected_version: int | None) -> Any:
    current = model.objects.select_for_update(of=("self",)).get(
        organization_id=record.organization_id, pk=record.pk
    )
    if expected_version is None or current.version != expected_version:
        raise Conflict(current.version)
    return current


# --- Payers (the clinic's) ------------------------------------------------------------


def _check_payer(payer: Payer, errors: Errors) -> None:
    payer.name = _text(payer.name)
    payer.payer_id = _text(payer.payer_id).upper()
    if not payer.name:
        _add(errors, "name", _("Give the payer's name."))
    elif len(payer.name) > 120:
        _add(errors, "name", _("A payer's name is at most 120 characters."))
    elif (
        Payer.objects.filter(organization_id=payer.organization_id, name__iexact=payer.name)
        .exclude(pk=payer.pk)
        .exists()
    ):
        _add(errors, "name", _("There is already a payer named %(name)s.") % {"name": payer.name})
    if not payer.payer_id:
        _add(
            errors,
            "payer_id",
            _("Give the payer ID for electronic claims (the payer or your clearinghouse has it)."),
        )
    elif not PAYER_ID.match(payer.payer_id):
        _add(errors, "payer_id", _("A payer ID is 2 to 20 letters and digits."))
    if payer.unit_method not in UnitMethod.values:
        _add(errors, "unit_method", _("Choose how the payer counts timed units."))
    if payer.filing_indicator not in FilingIndicator.values:
        _add(errors, "filing_indicator", _("Choose what kind of plan the payer is."))
    limit = payer.daily_unit_limit
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_UNIT_LIMIT
    ):
        _add(
            errors,
            "daily_unit_limit",
            _("The daily limit is a number of units from 1 to 96; leave it empty for no limit."),
        )
    if not isinstance(payer.is_active, bool):
        _add(errors, "is_active", _("Say whether the payer is in use."))


@transaction.atomic
def add_payer(
    by: Membership,
    *,
    name: str,
    payer_id: str,
    unit_method: str = UnitMethod.CMS,
    filing_indicator: str = FilingIndicator.COMMERCIAL,
    daily_unit_limit: int | None = None,
    is_active: bool = True,
    at: datetime.datetime | None = None,
) -> Payer:
    """Add a payer the clinic bills."""
    payer = Payer(
        organization_id=by.organization_id,
        name=name,
        payer_id=payer_id,
        unit_method=unit_method,
        filing_indicator=filing_indicator,
        daily_unit_limit=daily_unit_limit,
        is_active=is_active,
    )
    errors: Errors = {}
    _check_payer(payer, errors)
    _refuse(errors)
    payer.save(at=at)
    return payer


@transaction.atomic
def change_payer(
    by: Membership,
    payer: Payer,
    *,
    expected_version: int | None,
    at: datetime.datetime | None = None,
    **changes: Any,
) -> Payer:
    """Change a payer (the fields given; the others stay as they are)."""
    _unknown(changes, PAYER_FIELDS, "payer")
    current: Payer = _locked(Payer, payer, expected_version)
    for name, value in changes.items():
        setattr(current, name, value)
    errors: Errors = {}
    _check_payer(current, errors)
    _refuse(errors)
    current.version += 1
    current.save(at=at)
    return current


# --- A child's policies -----------------------------------------------------------------


def _payer_of(organization_id: Any, payer: Any) -> Payer | None:
    if isinstance(payer, Payer):
        return payer if payer.organization_id == organization_id else None
    try:
        return Payer.objects.filter(organization_id=organization_id, pk=payer).first()
    except (ValueError, ValidationError):
        return None


def _overlaps(
    a_start: datetime.date,
    a_end: datetime.date | None,
    b_start: datetime.date,
    b_end: datetime.date | None,
) -> bool:
    return (b_end is None or a_start <= b_end) and (a_end is None or b_start <= a_end)


def _check_policy(
    child: Child, policy: Policy, payer: Any, payer_before: Any, errors: Errors
) -> None:
    found = _payer_of(child.organization_id, payer)
    if found is None:
        _add(errors, "payer", _("Choose one of the clinic's payers."))
    else:
        if not found.is_active and found.pk != payer_before:
            _add(
                errors,
                "payer",
                _("%(payer)s is no longer in use: choose another payer.") % {"payer": found.name},
            )
        policy.payer = found
        if payer_before is not None and found.pk != payer_before and _has_charges(policy):
            _add(
                errors,
                "payer",
                _(
                    "Sessions were already billed to this policy: end it and add a new policy "
                    "for the new payer."
                ),
            )
    for name in ("member_id", "group_number", "subscriber_first_name", "subscriber_last_name"):
        setattr(policy, name, _text(getattr(policy, name)))
    if policy.relationship == PatientRelationship.SELF:
        policy.subscriber_first_name = policy.subscriber_first_name or child.first_name
        policy.subscriber_last_name = policy.subscriber_last_name or child.last_name
        policy.subscriber_birth_date = policy.subscriber_birth_date or child.date_of_birth
    limits = {"member_id": 40, "group_number": 40}
    limits |= {"subscriber_first_name": 60, "subscriber_last_name": 60}
    for name, limit in limits.items():
        if len(getattr(policy, name)) > limit:
            _add(errors, name, _("At most %(n)s characters.") % {"n": limit})
    if not policy.member_id:
        _add(errors, "member_id", _("Give the member ID from the insurance card."))
    if not policy.subscriber_first_name or not policy.subscriber_last_name:
        name = (
            "subscriber_first_name" if not policy.subscriber_first_name else "subscriber_last_name"
        )
        _add(errors, name, _("Give the policyholder's first and last name, as on the card."))
    _check_address(policy, errors)
    today = clock.today_for(child.organization)
    born = policy.subscriber_birth_date
    if born is not None and born > today:
        _add(
            errors,
            "subscriber_birth_date",
            _("The policyholder's date of birth cannot be in the future."),
        )
    if policy.relationship not in PatientRelationship.values:
        _add(errors, "relationship", _("Choose the child's relationship to the policyholder."))
    if policy.priority not in Priority.values:
        _add(errors, "priority", _("Choose whether the policy is primary, secondary or tertiary."))
    if policy.starts_on is None:
        _add(errors, "starts_on", _("Give the date the coverage starts."))
        return
    if policy.ends_on is not None and policy.ends_on < policy.starts_on:
        _add(errors, "ends_on", _("The coverage cannot end before it starts."))
        return
    if "priority" not in errors:
        _check_overlap(child, policy, errors)
    if policy.pk is not None and not policy._state.adding:
        _check_authorizations_inside(policy, errors)


def _check_address(policy: Policy, errors: Errors) -> None:
    """None of the policyholder's address yet, or all of it: a claim needs it whole."""
    for name in ADDRESS_FIELDS:
        setattr(policy, name, _text(getattr(policy, name)))
    policy.state = policy.state.upper()
    if not any(getattr(policy, name) for name in ADDRESS_FIELDS):
        return
    missing = {
        "address": _("Give the street address too: a claim needs the whole address."),
        "city": _("Give the city too: a claim needs the whole address."),
        "state": _("Give the state too: a claim needs the whole address."),
        "postal_code": _("Give the ZIP code too: a claim needs the whole address."),
    }
    for name, message in missing.items():
        if not getattr(policy, name):
            _add(errors, name, message)
    for name, limit in ADDRESS_LIMITS.items():
        if len(getattr(policy, name)) > limit:
            _add(errors, name, _("At most %(n)s characters.") % {"n": limit})
    if policy.state and policy.state not in STATES:
        _add(errors, "state", _("Write the state's two-letter code, such as OR."))
    if policy.postal_code:
        if ZIP.match(policy.postal_code):
            policy.postal_code = policy.postal_code.replace("-", "")
        else:
            _add(errors, "postal_code", _("A ZIP code has 5 or 9 digits."))


def _check_overlap(child: Child, policy: Policy, errors: Errors) -> None:
    others = (
        Policy.objects.filter(
            organization_id=child.organization_id, child=child, priority=policy.priority
        )
        .exclude(pk=policy.pk)
        .select_related("payer")
    )
    for other in others:
        if _overlaps(policy.starts_on, policy.ends_on, other.starts_on, other.ends_on):
            _add(
                errors,
                "priority",
                _(
                    "%(child)s already has a %(order)s policy for these dates (%(payer)s, "
                    "%(span)s): end it first, or choose another order."
                )
                % {
                    "child": child.display_name,
                    "order": Priority(other.priority).label.lower(),
                    "payer": other.payer.name,
                    "span": _span(other.starts_on, other.ends_on),
                },
            )
            return


def _check_authorizations_inside(policy: Policy, errors: Errors) -> None:
    authorizations = Authorization.objects.filter(
        organization_id=policy.organization_id, policy=policy
    ).order_by("starts_on")
    for authorization in authorizations:
        if authorization.starts_on < policy.starts_on or (
            policy.ends_on is not None and authorization.ends_on > policy.ends_on
        ):
            _add(
                errors,
                "ends_on" if authorization.starts_on >= policy.starts_on else "starts_on",
                _(
                    "Authorization %(number)s runs %(span)s: change its dates first, so that "
                    "it stays within the policy's."
                )
                % {
                    "number": authorization.number,
                    "span": _span(authorization.starts_on, authorization.ends_on),
                },
            )
            return


def _has_charges(policy: Policy) -> bool:
    return Charge.objects.filter(organization_id=policy.organization_id, policy=policy).exists()


@transaction.atomic
def add_policy(
    by: Membership,
    child: Child,
    *,
    payer: Any,
    member_id: str,
    subscriber_first_name: str = "",
    subscriber_last_name: str = "",
    subscriber_birth_date: datetime.date | None = None,
    address: str = "",
    city: str = "",
    state: str = "",
    postal_code: str = "",
    relationship: str = PatientRelationship.CHILD,
    priority: int = Priority.PRIMARY,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
    group_number: str = "",
    at: datetime.datetime | None = None,
) -> Policy:
    """Add a policy to the child's insurance (``payer``: a payer of the clinic, or its id)."""
    policy = Policy(
        organization_id=child.organization_id,
        child=child,
        member_id=member_id,
        group_number=group_number,
        subscriber_first_name=subscriber_first_name,
        subscriber_last_name=subscriber_last_name,
        subscriber_birth_date=subscriber_birth_date,
        address=address,
        city=city,
        state=state,
        postal_code=postal_code,
        relationship=relationship,
        priority=priority,
        ends_on=ends_on,
        **{"starts_on": starts_on},  # a missing date is named below
    )
    errors: Errors = {}
    _check_policy(child, policy, payer, None, errors)
    _refuse(errors)
    policy.save(at=at)
    return policy


@transaction.atomic
def change_policy(
    by: Membership,
    policy: Policy,
    *,
    expected_version: int | None,
    at: datetime.datetime | None = None,
    **changes: Any,
) -> Policy:
    """Change a policy (the fields given); ``ends_on`` alone ends it."""
    _unknown(changes, POLICY_FIELDS, "policy")
    current: Policy = _locked(Policy, policy, expected_version)
    payer_before = current.payer_id
    payer = changes.pop("payer", payer_before)
    for name, value in changes.items():
        setattr(current, name, value)
    errors: Errors = {}
    _check_policy(policy.child, current, payer, payer_before, errors)
    _refuse(errors)
    current.version += 1
    current.save(at=at)
    return current


def end_policy(
    by: Membership,
    policy: Policy,
    *,
    expected_version: int | None,
    ends_on: datetime.date | None,
    at: datetime.datetime | None = None,
) -> Policy:
    """End the child's coverage under this policy on a day (the last day it covers)."""
    if ends_on is None:
        raise ValidationError({"ends_on": [_("Give the last day the policy covers.")]})
    return change_policy(by, policy, expected_version=expected_version, ends_on=ends_on, at=at)


# A policy's authorizations (their own module), with the same rules.
from .insurance_authorizations import (  # noqa: E402
    AUTHORIZATION_FIELDS,
    MAX_ALLOWED,
    add_authorization,
    change_authorization,
)

__all__ = [
    "AUTHORIZATION_FIELDS",
    "MAX_ALLOWED",
    "PAYER_FIELDS",
    "POLICY_FIELDS",
    "add_authorization",
    "add_payer",
    "add_policy",
    "change_authorization",
    "change_payer",
    "change_policy",
    "end_policy",
]
