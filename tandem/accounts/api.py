"""Who the caller is: their account, their role and their organization."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Discipline, Licence, Role
from .request import member

router = Router(tags=["me"])


class UserOut(Schema):
    email: str
    first_name: str
    last_name: str
    language: str


class MembershipOut(Schema):
    id: uuid.UUID
    role: Role
    discipline: Discipline | None
    licence: Licence | None
    is_assistant: bool


class OrganizationOut(Schema):
    id: uuid.UUID
    name: str
    timezone: str
    locale: str


class MeOut(Schema):
    user: UserOut
    membership: MembershipOut
    organization: OrganizationOut


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person and the membership the request acts as."""
    membership = member(request)
    return {
        "user": membership.user,
        "membership": {
            "id": membership.id,
            "role": membership.role,
            "discipline": membership.discipline or None,
            "licence": membership.licence or None,
            "is_assistant": membership.is_assistant,
        },
        "organization": membership.organization,
    }
