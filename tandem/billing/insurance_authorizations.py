"""A policy's authorizations: the payer's number for so many visits or units of some
service codes (Tandem's catalogue), from and until dates within the policy's. Re-exported
by ``insurance.py`` (import them from there), whose rules hold: one transaction, messages
by field, versions."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.children.models import Child

from . import catalogue
from .insurance import Errors, _add, _locked, _refuse, _span, _text, _unknown
from .models import Authorization, AuthorizationUnit, Policy

MAX_ALLOWED = 10000
AUTHORIZATION_FIELDS = ("number", "codes", "counts", "allowed", "starts_on", "ends_on")


def _codes(raw: Any, errors: Errors) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    codes: list[str] = []
    for value in raw or []:
        code = _text(value)
        if not code or code in codes:
            continue
        if catalogue.code_for(code) is None:
            _add(
                errors,
                "codes",
                _("%(code)s is not a service code Tandem knows.") % {"code": code[:10]},
            )
            continue
        codes.append(code)
    if not codes and "codes" not in errors:
        _add(errors, "codes", _("Choose at least one service code it covers."))
    return [c.code for c in catalogue.CODES if c.code in codes]  # the catalogue's order


def _check_authorization(child: Child, authorization: Authorization, errors: Errors) -> None:
    authorization.number = _text(authorization.number)
    if not authorization.number:
        _add(errors, "number", _("Give the authorization number the payer gave."))
    elif len(authorization.number) > 50:
        _add(errors, "number", _("At most %(n)s characters.") % {"n": 50})
    elif (
        Authorization.objects.filter(
            organization_id=child.organization_id,
            policy_id=authorization.policy_id,
            number=authorization.number,
        )
        .exclude(pk=authorization.pk)
        .exists()
    ):
        _add(
            errors,
            "number",
            _("This policy already has authorization %(number)s.")
            % {"number": authorization.number},
        )
    authorization.codes = _codes(authorization.codes, errors)
    if authorization.counts not in AuthorizationUnit.values:
        _add(errors, "counts", _("Choose whether it counts visits or units."))
    allowed = authorization.allowed
    if allowed is None:
        _add(errors, "allowed", _("Give how many visits or units the payer allowed."))
    elif (
        isinstance(allowed, bool) or not isinstance(allowed, int) or not 1 <= allowed <= MAX_ALLOWED
    ):
        _add(errors, "allowed", _("Allowed is a whole number from 1 to 10,000."))
    if authorization.starts_on is None:
        _add(errors, "starts_on", _("Give the first day it covers."))
    if authorization.ends_on is None:
        _add(errors, "ends_on", _("Give the last day it covers."))
    if authorization.starts_on is None or authorization.ends_on is None:
        return
    if authorization.ends_on < authorization.starts_on:
        _add(errors, "ends_on", _("The authorization cannot end before it starts."))
        return
    policy = authorization.policy
    if authorization.starts_on < policy.starts_on or (
        policy.ends_on is not None and authorization.ends_on > policy.ends_on
    ):
        _add(
            errors,
            "starts_on" if authorization.starts_on < policy.starts_on else "ends_on",
            _("An authorization falls within its policy's dates (%(span)s).")
            % {"span": _span(policy.starts_on, policy.ends_on)},
        )


def _policy_of(child: Child, policy: Any) -> Policy | None:
    if isinstance(policy, Policy):
        return policy if policy.child_id == child.pk else None
    try:
        return (
            Policy.objects.filter(organization_id=child.organization_id, child=child, pk=policy)
            .select_related("payer")
            .first()
        )
    except (ValueError, ValidationError):
        return None


@transaction.atomic
def add_authorization(
    by: Membership,
    child: Child,
    *,
    policy: Any,
    number: str,
    codes: Iterable[str] | str,
    counts: str = AuthorizationUnit.VISITS,
    allowed: int | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    at: datetime.datetime | None = None,
) -> Authorization:
    """Record a payer's authorization for one of the child's policies (``policy``: the
    policy or its id)."""
    found = _policy_of(child, policy)
    if found is None:
        raise ValidationError({"policy": [_("Choose one of this child's policies.")]})
    # What was given, checked below (a missing number or date is named there).
    given: dict[str, Any] = {"allowed": allowed, "starts_on": starts_on, "ends_on": ends_on}
    authorization = Authorization(
        organization_id=child.organization_id,
        child=child,
        policy=found,
        number=number,
        codes=codes,
        counts=counts,
        **given,
    )
    errors: Errors = {}
    _check_authorization(child, authorization, errors)
    _refuse(errors)
    authorization.save(at=at)
    return authorization


@transaction.atomic
def change_authorization(
    by: Membership,
    authorization: Authorization,
    *,
    expected_version: int | None,
    at: datetime.datetime | None = None,
    **changes: Any,
) -> Authorization:
    """Change an authorization (the fields given; its policy stays)."""
    _unknown(changes, AUTHORIZATION_FIELDS, "authorization")
    current: Authorization = _locked(Authorization, authorization, expected_version)
    current.policy = authorization.policy
    for name, value in changes.items():
        setattr(current, name, value)
    errors: Errors = {}
    _check_authorization(authorization.child, current, errors)
    _refuse(errors)
    current.version += 1
    current.save(at=at)
    return current
