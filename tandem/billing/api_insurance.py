"""The insurance API: the same rules and actions as the pages (``rules.py``,
``insurance.py``).

- ``/billing/payers``: the clinic's payers — read by those who record a child's policy
  (admins, billing, the front desk), added and changed by admins and billing;
- ``/children/{child_id}/policies``: the child's policies (admins, billing, the front desk);
- ``/children/{child_id}/authorizations``: the child's authorizations with how much is
  used (the child's team reads them too; admins, billing and the front desk write).

POSTs run once per ``Idempotency-Key``; a PATCH names the ``version`` it was based on (a
newer one is a 409); a refused input is a 422 with a message by field.
"""

import datetime
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from tandem.access.api import api_child, path_param, permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.audit.actions import log_access
from tandem.core import clock

from . import insurance
from .access import (
    authorizations_of,
    get_authorization,
    get_payer,
    get_policy,
    payers_of,
    policies_of,
)
from .models import (
    Authorization,
    AuthorizationUnit,
    FilingIndicator,
    PatientRelationship,
    Payer,
    Policy,
    Priority,
    UnitMethod,
)
from .reading import AuthorizationUse, authorization_uses

router = Router(tags=["billing"])
LIST_LIMIT = 200
_PAYER = "_billing_payer"
_RECORD = "_billing_record"
_may_manage = permits_api("billing.manage")
_may_write_policies = permits_api("billing.insurance")
_may_insure = permits_api("billing.insurance", gate="billing.authorizations")


def _payer_in_path(request: HttpRequest, membership: Any) -> None:
    """The role, then the path's payer (another clinic's: 404), before the body is read."""
    _may_manage(request, membership)
    setattr(request, _PAYER, get_payer(membership, path_param(request, "payer_id")))


def _policy_in_path(request: HttpRequest, membership: Any) -> None:
    _may_write_policies(request, membership)
    child = api_child(request, membership, path_param(request, "child_id"))
    record = get_policy(child, path_param(request, "policy_id"))
    record.child = child
    setattr(request, _RECORD, record)


def _authorization_in_path(request: HttpRequest, membership: Any) -> None:
    _may_insure(request, membership)
    child = api_child(request, membership, path_param(request, "child_id"))
    record = get_authorization(child, path_param(request, "authorization_id"))
    record.child = child
    setattr(request, _RECORD, record)


READ_PAYERS = signed_in(permits_api("billing.insurance"))
MANAGE = signed_in(_may_manage)
ON_PAYER = signed_in(_payer_in_path)
INSURE = signed_in(_may_write_policies)
ON_POLICY = signed_in(_policy_in_path)
READ_AUTHORIZATIONS = signed_in(permits_api("billing.authorizations"))
AUTHORIZE = signed_in(_may_insure)
ON_AUTHORIZATION = signed_in(_authorization_in_path)
VERSION = Field(description="The version you read; a newer one is a 409.")
ADDRESS = "The policyholder's street. The address is all or nothing: a claim needs it whole."
STATE = "The USPS two-letter code, such as OR."
ZIP = "5 digits, or 9 for a ZIP+4 (a dash allowed); kept as digits."


# --- Payers ------------------------------------------------------------------------------


class PayerOut(Schema):
    id: uuid.UUID
    name: str
    payer_id: str = Field(description="The payer ID for electronic claims (837P).")
    unit_method: str = Field(description="cms: total timed minutes; per_code: each code alone.")
    filing_indicator: str = Field(description="The claim filing indicator: CI, MC, BL, HM, CH, ZZ.")
    daily_unit_limit: int | None = Field(description="Most timed units a day for one child.")
    is_active: bool = Field(description="In use: only a payer in use goes on a new policy.")
    version: int


def _payer(payer: Payer) -> dict[str, Any]:
    return {name: getattr(payer, name) for name in PayerOut.model_fields}


@router.get("/billing/payers", response={200: list[PayerOut], **ERRORS}, auth=READ_PAYERS)
def list_payers(request: HttpRequest) -> list[dict[str, Any]]:
    """The clinic's payers by name (at most 200)."""
    return [_payer(p) for p in payers_of(acting_member(request))[:LIST_LIMIT]]


class PayerIn(InputSchema):
    name: str = Field(max_length=120)
    payer_id: str = Field(max_length=20)
    unit_method: UnitMethod = UnitMethod.CMS
    filing_indicator: FilingIndicator = FilingIndicator.COMMERCIAL
    daily_unit_limit: int | None = Field(None, description="1 to 96; null for no limit.")
    is_active: bool = True


@router.post(
    "/billing/payers",
    response={201: PayerOut, **ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=MANAGE,
)
def add_payer(request: HttpRequest, body: PayerIn) -> Any:
    """Add a payer (a name the clinic does not use yet)."""
    membership = acting_member(request)
    fields = body.model_dump()
    return run_once(
        request,
        "billing.payer",
        201,
        PayerOut,
        lambda: _payer(insurance.add_payer(membership, **fields)),
    )


class PayerPatch(InputSchema):
    version: int = VERSION
    name: str | None = Field(None, max_length=120)
    payer_id: str | None = Field(None, max_length=20)
    unit_method: UnitMethod | None = None
    filing_indicator: FilingIndicator | None = None
    daily_unit_limit: int | None = Field(None, description="1 to 96; null for no limit.")
    is_active: bool | None = None


def _changes(body: InputSchema, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the body sets (null clears only the ``nullable`` ones)."""
    given = body.model_dump(exclude_unset=True, exclude={"version"})
    return {k: v for k, v in given.items() if v is not None or k in nullable}


@router.patch(
    "/billing/payers/{payer_id}",
    response={200: PayerOut, 409: ConflictOut, **ERRORS},
    auth=ON_PAYER,
)
def change_payer(request: HttpRequest, payer_id: uuid.UUID, body: PayerPatch) -> dict[str, Any]:
    """Change a payer: the fields you send (``daily_unit_limit: null`` removes the limit)."""
    record: Payer = getattr(request, _PAYER)
    changes = _changes(body, nullable=("daily_unit_limit",))
    done = insurance.change_payer(
        acting_member(request), record, expected_version=body.version, **changes
    )
    return _payer(done)


# --- A child's policies ----------------------------------------------------------------------


class PolicyOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    payer: uuid.UUID = Field(description="The payer's id (GET /billing/payers).")
    payer_name: str
    member_id: str
    group_number: str
    subscriber_first_name: str
    subscriber_last_name: str
    subscriber_birth_date: datetime.date | None
    address: str = Field(description="The policyholder's street; empty until given.")
    city: str
    state: str = Field(description="The USPS two-letter code.")
    postal_code: str = Field(description="5 or 9 digits (ZIP+4), digits only.")
    relationship: str = Field(description="19: the policyholder's child; 18: self; G8: other.")
    priority: int = Field(description="1 primary, 2 secondary, 3 tertiary.")
    starts_on: datetime.date
    ends_on: datetime.date | None
    version: int


def _policy(policy: Policy) -> dict[str, Any]:
    names = set(PolicyOut.model_fields) - {"payer", "payer_name"}
    return {name: getattr(policy, name) for name in names} | {
        "payer": policy.payer_id,
        "payer_name": policy.payer.name,
    }


@router.get("/children/{child_id}/policies", response={200: list[PolicyOut], **ERRORS}, auth=INSURE)
def list_policies(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's policies, primary first."""
    child = api_child(request, acting_member(request), child_id)
    log_access(request, [child])
    return [_policy(p) for p in policies_of(child)[:LIST_LIMIT]]


class PolicyIn(InputSchema):
    payer: uuid.UUID = Field(description="One of the clinic's payers in use.")
    member_id: str = Field(max_length=40)
    group_number: str = Field("", max_length=40)
    subscriber_first_name: str = Field("", max_length=60, description="Empty: the child's.")
    subscriber_last_name: str = Field("", max_length=60, description="Empty: the child's.")
    subscriber_birth_date: datetime.date | None = None
    address: str = Field("", max_length=55, description=ADDRESS)
    city: str = Field("", max_length=30)
    state: str = Field("", max_length=2, description=STATE)
    postal_code: str = Field("", max_length=10, description=ZIP)
    relationship: PatientRelationship = PatientRelationship.CHILD
    priority: Priority = Priority.PRIMARY
    starts_on: datetime.date
    ends_on: datetime.date | None = None


@router.post(
    "/children/{child_id}/policies",
    response={201: PolicyOut, **ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=INSURE,
)
def add_policy(request: HttpRequest, child_id: uuid.UUID, body: PolicyIn) -> Any:
    """Add a policy: no two policies of the same order cover the same day."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    fields = body.model_dump()
    return run_once(
        request,
        "billing.policy",
        201,
        PolicyOut,
        lambda: _policy(insurance.add_policy(membership, child, **fields)),
    )


class PolicyPatch(InputSchema):
    version: int = VERSION
    payer: uuid.UUID | None = None
    member_id: str | None = Field(None, max_length=40)
    group_number: str | None = Field(None, max_length=40)
    subscriber_first_name: str | None = Field(None, max_length=60)
    subscriber_last_name: str | None = Field(None, max_length=60)
    subscriber_birth_date: datetime.date | None = None
    address: str | None = Field(None, max_length=55, description=ADDRESS)
    city: str | None = Field(None, max_length=30)
    state: str | None = Field(None, max_length=2, description=STATE)
    postal_code: str | None = Field(None, max_length=10, description=ZIP)
    relationship: PatientRelationship | None = None
    priority: Priority | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = Field(None, description="The last day covered: ends it.")


@router.patch(
    "/children/{child_id}/policies/{policy_id}",
    response={200: PolicyOut, 409: ConflictOut, **ERRORS},
    auth=ON_POLICY,
)
def change_policy(
    request: HttpRequest, child_id: uuid.UUID, policy_id: uuid.UUID, body: PolicyPatch
) -> dict[str, Any]:
    """Change a policy: the fields you send (``ends_on`` ends it; null there and in
    ``subscriber_birth_date`` clears them; empty strings clear the address)."""
    record: Policy = getattr(request, _RECORD)
    changes = _changes(body, nullable=("ends_on", "subscriber_birth_date"))
    done = insurance.change_policy(
        acting_member(request), record, expected_version=body.version, **changes
    )
    return _policy(done)


# --- A child's authorizations -------------------------------------------------------------


class AuthorizationOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    policy_id: uuid.UUID
    payer_name: str
    number: str
    codes: list[str]
    counts: str = Field(description="visits (distinct sessions) or units.")
    allowed: int
    starts_on: datetime.date
    ends_on: datetime.date
    version: int
    used: int = Field(description="Visits or units of live charges (signed sessions).")
    left: int
    percent_used: int
    days_left: int = Field(description="Days until its last day (negative once ended).")
    warnings: list[str] = Field(
        description="nearly_used (80 % or more used), ending_soon (ends within 30 days), ended."
    )


def _authorization(use: AuthorizationUse) -> dict[str, Any]:
    a = use.authorization
    warnings = []
    if use.expired:
        warnings.append("ended")
    else:
        if use.nearly_used:
            warnings.append("nearly_used")
        if use.ending_soon:
            warnings.append("ending_soon")
    return {
        "id": a.pk,
        "child_id": a.child_id,
        "policy_id": a.policy_id,
        "payer_name": a.policy.payer.name,
        "number": a.number,
        "codes": list(a.codes),
        "counts": a.counts,
        "allowed": a.allowed,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "version": a.version,
        "used": use.used,
        "left": use.left,
        "percent_used": use.percent_used,
        "days_left": use.days_left,
        "warnings": warnings,
    }


def _used(request: HttpRequest, authorization: Authorization) -> dict[str, Any]:
    """The authorization as saved, with its use (one query)."""
    today = clock.today_for(acting_member(request).organization)
    mine = authorizations_of(authorization.child).filter(pk=authorization.pk)
    [use] = authorization_uses(mine, today)
    return _authorization(use)


@router.get(
    "/children/{child_id}/authorizations",
    response={200: list[AuthorizationOut], **ERRORS},
    auth=READ_AUTHORIZATIONS,
)
def list_authorizations(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's authorizations, the latest to end first, each with its use."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    today = clock.today_for(membership.organization)
    uses = authorization_uses(authorizations_of(child), today)
    return [_authorization(u) for u in uses[:LIST_LIMIT]]


class AuthorizationIn(InputSchema):
    policy_id: uuid.UUID = Field(description="One of the child's policies.")
    number: str = Field(max_length=50)
    codes: list[str] = Field(max_length=40, description="Service codes of Tandem's catalogue.")
    counts: AuthorizationUnit = AuthorizationUnit.VISITS
    allowed: int
    starts_on: datetime.date
    ends_on: datetime.date


@router.post(
    "/children/{child_id}/authorizations",
    response={201: AuthorizationOut, **ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=AUTHORIZE,
)
def add_authorization(request: HttpRequest, child_id: uuid.UUID, body: AuthorizationIn) -> Any:
    """Record an authorization of one of the child's policies, within its dates."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    fields = body.model_dump(exclude={"policy_id"}) | {"policy": body.policy_id}

    def write() -> dict[str, Any]:
        made = insurance.add_authorization(membership, child, **fields)
        made.child = child
        return _used(request, made)

    return run_once(request, "billing.authorization", 201, AuthorizationOut, write)


class AuthorizationPatch(InputSchema):
    version: int = VERSION
    number: str | None = Field(None, max_length=50)
    codes: list[str] | None = Field(None, max_length=40)
    counts: AuthorizationUnit | None = None
    allowed: int | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


@router.patch(
    "/children/{child_id}/authorizations/{authorization_id}",
    response={200: AuthorizationOut, 409: ConflictOut, **ERRORS},
    auth=ON_AUTHORIZATION,
)
def change_authorization(
    request: HttpRequest, child_id: uuid.UUID, authorization_id: uuid.UUID, body: AuthorizationPatch
) -> dict[str, Any]:
    """Change an authorization: the fields you send (its policy stays)."""
    record: Authorization = getattr(request, _RECORD)
    changes = _changes(body)
    done = insurance.change_authorization(
        acting_member(request), record, expected_version=body.version, **changes
    )
    done.child = record.child
    return _used(request, done)
