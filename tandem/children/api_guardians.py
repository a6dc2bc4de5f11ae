"""A child's guardians over the API: who they are to the child, and (admins) linking them.

Paths are relative to /api/v1/. Guardians' email and phone are shown to staff only:
families sharing a child do not necessarily share a household.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import field_validator, model_validator

from tandem.access.api import api_child, permits_api
from tandem.accounts import access as people
from tandem.accounts.actions import invite_person
from tandem.accounts.models import Membership, Role
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, InputSchema
from tandem.children import actions
from tandem.children.access import guardian_links_visible_to
from tandem.children.models import ContactMethod, GuardianLink, Relationship
from tandem.core.access import not_found

from .access_log import log_access

router = Router(tags=["guardians"])


class GuardianOut(Schema):
    id: uuid.UUID = Field(description="The guardian's membership id")
    name: str
    email: str | None = Field(description="Shown to staff only")
    phone: str | None = Field(description="Shown to staff only")


class GuardianLinkOut(Schema):
    id: uuid.UUID
    guardian: GuardianOut
    relationship: Relationship
    has_legal_authority: bool = Field(description="May sign plans and consents")
    is_primary_contact: bool
    household: str
    contact_method: ContactMethod
    contact_notes: str


class GuardianLinkFields(InputSchema):
    relationship: Relationship
    has_legal_authority: bool = True
    is_primary_contact: bool = False
    household: str = Field("", max_length=100)
    contact_method: ContactMethod = ContactMethod.EMAIL
    contact_notes: str = Field("", max_length=200)


class GuardianLinkIn(GuardianLinkFields):
    """Link a guardian already in the organization, or invite a new one by email."""

    guardian_id: uuid.UUID | None = Field(None, description="An existing guardian's membership id")
    email: str | None = Field(None, max_length=254, description="Invite a new guardian")
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)

    @field_validator("email")
    @classmethod
    def valid_email(cls, email: str | None) -> str | None:
        if email is not None:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValueError("Enter a valid email address.") from exc
        return email

    @model_validator(mode="after")
    def one_guardian(self) -> "GuardianLinkIn":
        if (self.guardian_id is None) == (self.email is None):
            raise ValueError("Give either guardian_id (an existing guardian) or email (a new one).")
        return self


class GuardianLinkPatch(InputSchema):
    relationship: Relationship | None = None
    has_legal_authority: bool | None = None
    is_primary_contact: bool | None = None
    household: str | None = Field(None, max_length=100)
    contact_method: ContactMethod | None = None
    contact_notes: str | None = Field(None, max_length=200)


def link_out(link: GuardianLink, *, for_staff: bool) -> dict[str, Any]:
    guardian = link.guardian
    return {
        "id": link.id,
        "guardian": {
            "id": guardian.id,
            "name": guardian.display_name,
            "email": guardian.user.email if for_staff else None,
            "phone": guardian.phone if for_staff else None,
        },
        **{name: getattr(link, name) for name in GuardianLinkFields.model_fields},
    }


def managed_link(request: HttpRequest, child_id: uuid.UUID, link_id: uuid.UUID) -> GuardianLink:
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    link = guardian_links_visible_to(membership, child).filter(pk=link_id).first()
    if link is None:
        raise not_found()
    return link


def guardian_for(membership: Membership, payload: GuardianLinkIn) -> Membership:
    """The guardian a request names: one already in the organization, or a new invitee."""
    if payload.guardian_id is not None:
        guardian = people.guardians_of(membership).filter(pk=payload.guardian_id).first()
        if guardian is None:
            raise ValidationError(
                {"guardian_id": ["No active guardian in your organization has this id."]}
            )
        return guardian
    email = (payload.email or "").lower()
    existing = people.members_visible_to(membership).filter(user__email__iexact=email).first()
    if existing is not None:
        # A guardian this clinic invited who has not accepted yet (say another clinic's
        # parent) may be linked to more of its children while the invitation is open.
        invited = existing.is_waiting and people.open_invitations_of(membership, [existing.pk])
        if existing.role != Role.GUARDIAN or not (existing.is_active or invited):
            raise ValidationError({"email": ["This person cannot be linked as a guardian."]})
        return existing
    guardian, _raw = invite_person(
        by=membership,
        email=email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        role=Role.GUARDIAN,
    )
    return guardian


@router.get(
    "/children/{child_id}/guardians",
    response={200: list[GuardianLinkOut], **ERRORS},
    auth=signed_in(permits_api("children.team")),
)
def list_guardians(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's guardians, primary contact first."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    links = guardian_links_visible_to(membership, child)
    return [link_out(link, for_staff=membership.is_staff_member) for link in links]


@router.post(
    "/children/{child_id}/guardians",
    response={201: GuardianLinkOut, **ERRORS},
    auth=signed_in(permits_api("children.link_guardian", gate="children.team")),
)
def link_guardian(
    request: HttpRequest, child_id: uuid.UUID, payload: GuardianLinkIn
) -> Status[Any]:
    """Link a guardian (clinic admins); a new email is invited to set a password."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    fields = payload.model_dump(include=set(GuardianLinkFields.model_fields))
    with transaction.atomic():  # an invitation is only sent if the link is made
        guardian = guardian_for(membership, payload)
        if guardian_links_visible_to(membership, child).filter(guardian=guardian).exists():
            raise ValidationError(
                {"guardian_id": ["This guardian is already linked to the child."]}
            )
        link = actions.link_guardian(child, guardian, **fields)
    return Status(201, link_out(link, for_staff=True))


@router.patch(
    "/children/{child_id}/guardians/{link_id}",
    response={200: GuardianLinkOut, **ERRORS},
    auth=signed_in(permits_api("children.edit_guardian_link", gate="children.team")),
)
def update_guardian_link(
    request: HttpRequest, child_id: uuid.UUID, link_id: uuid.UUID, payload: GuardianLinkPatch
) -> dict[str, Any]:
    """Change what a guardian is to the child (clinic admins)."""
    link = managed_link(request, child_id, link_id)
    changes = payload.model_dump(exclude_unset=True)
    if changes:  # an empty change is not a new version
        link = actions.update_guardian_link(link, **changes)
    return link_out(link, for_staff=True)


@router.delete(
    "/children/{child_id}/guardians/{link_id}",
    response={204: None, **ERRORS},
    auth=signed_in(permits_api("children.unlink_guardian", gate="children.team")),
)
def unlink_guardian(request: HttpRequest, child_id: uuid.UUID, link_id: uuid.UUID) -> Status[None]:
    """Unlink a guardian from the child (clinic admins); their account stays."""
    actions.unlink_guardian(managed_link(request, child_id, link_id))
    return Status(204, None)
