"""The consent API (mounted under /api/v1/ by tandem/api/api.py): the family's side.

- ``/children/{child_id}/consents``: the child's guardians and admins list consents; a
  guardian with legal authority gives one; such a guardian or an admin withdraws one;
- ``/consents/children``: a collaborator's shared children, with what is shared and until when.

What a consent shares (``/children/{child_id}/shared/…``) is the collaborators app's API.
Refusals are JSON: 404 for outsiders, 403 for those who may see but not change, 422 for
bad input.
"""

import uuid
from datetime import date, datetime
from typing import Any, Literal, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Router, Schema, Status

from tandem.access import MemberRequest, child_for, require
from tandem.access.api import permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, InputSchema
from tandem.children.access_log import log_access

from . import actions
from .access import get_grant, grants_of, shared_with
from .models import SCOPE_FIELDS, ConsentGrant, Scope

router = Router(tags=["consent"])
Part = Literal["summary", "observations", "notes"]


# --- Output -----------------------------------------------------------------------


class PersonBrief(Schema):
    id: uuid.UUID
    name: str


class ConsentOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    collaborator: PersonBrief
    email: str
    role_title: str
    shares: list[Part] = Field(description="The parts of the record this consent shares")
    expires_on: date = Field(description="The last day the collaborator may see them")
    active: bool
    granted_by: PersonBrief
    created_at: datetime
    revoked_at: datetime | None
    revoked_by: PersonBrief | None


class SharedChildOut(Schema):
    child_id: uuid.UUID
    name: str
    role_title: str
    shares: list[Part]
    expires_on: date
    shared_by: str


# --- Input --------------------------------------------------------------------------


class ConsentIn(InputSchema):
    email: str = Field(min_length=3, max_length=254)
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    role_title: str = Field(min_length=1, max_length=100)
    shares: list[Part] = Field(min_length=1, description="What to share: at least one part")
    expires_on: date = Field(description="The last day; after today and within a year")


def _person(membership: Membership | None) -> dict[str, Any] | None:
    if membership is None:
        return None
    return {"id": membership.id, "name": membership.display_name}


def consent_out(grant: ConsentGrant) -> dict[str, Any]:
    return {
        "id": grant.id,
        "child_id": grant.child_id,
        "collaborator": _person(grant.collaborator),
        "email": grant.collaborator.user.email,
        "role_title": grant.role_title,
        "shares": grant.scopes,
        "expires_on": grant.expires_on,
        "active": grant.is_active(),
        "granted_by": _person(grant.granted_by),
        "created_at": grant.created_at,
        "revoked_at": grant.revoked_at,
        "revoked_by": _person(grant.revoked_by),
    }


# --- The family's side -----------------------------------------------------------------


@router.get(
    "/children/{child_id}/consents",
    response={200: list[ConsentOut], **ERRORS},
    auth=signed_in(permits_api("consent.view")),
)
def list_consents(request: MemberRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """Everyone the child's record is shared with, and was (guardians and admins)."""
    child = child_for(request, child_id, "consent.view")
    log_access(request, [child])
    return [consent_out(g) for g in grants_of(request.membership, child)]


# Admins pass this first check (they see a child's consents and may withdraw them) and
# are refused after the input is read: giving consent is the family's (``consent.give``).
@router.post(
    "/children/{child_id}/consents",
    response={201: ConsentOut, **ERRORS},
    auth=signed_in(permits_api("consent.withdraw")),
)
def give_consent(request: MemberRequest, child_id: uuid.UUID, payload: ConsentIn) -> Status[Any]:
    """Share parts of the child's record with a professional until a day (legal guardians).

    A person without a sign-in is invited by email. An active consent they already hold
    for this child is replaced by this one.
    """
    membership = request.membership
    child = child_for(request, child_id, "consent.withdraw")
    require(membership, "consent.give", child=child)
    try:
        validate_email(payload.email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    grant = actions.grant_consent(
        membership,
        child,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        role_title=payload.role_title,
        expires_on=payload.expires_on,
        **cast(dict[str, Any], {SCOPE_FIELDS[Scope(part)]: True for part in payload.shares}),
    )
    return Status(201, consent_out(grants_of(membership, child).get(pk=grant.pk)))


@router.post(
    "/children/{child_id}/consents/{grant_id}/revoke",
    response={200: ConsentOut, **ERRORS},
    auth=signed_in(permits_api("consent.withdraw")),
)
def revoke_consent(request: MemberRequest, child_id: uuid.UUID, grant_id: uuid.UUID) -> Any:
    """Stop sharing now; the collaborator's next request no longer sees the child."""
    membership = request.membership
    child = child_for(request, child_id, "consent.withdraw")
    actions.withdraw_consent(membership, get_grant(membership, child, grant_id))
    return consent_out(get_grant(membership, child, grant_id))


# --- The collaborator's consents ---------------------------------------------------------


@router.get(
    "/consents/children",
    response={200: list[SharedChildOut], **ERRORS},
    auth=signed_in(permits_api("consent.held")),
)
def shared_children(request: MemberRequest) -> list[dict[str, Any]]:
    """The children families share with the calling collaborator, while the consent lasts."""
    return [
        {
            "child_id": g.child_id,
            "name": g.child.display_name,
            "role_title": g.role_title,
            "shares": g.scopes,
            "expires_on": g.expires_on,
            "shared_by": g.granted_by.display_name,
        }
        for g in shared_with(request.membership)
    ]
