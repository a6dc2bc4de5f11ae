"""A child's care team over the API: who treats the child, and (admins) changing the team.

Paths are relative to /api/v1/.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from tandem.access.api import api_child, permits_api
from tandem.accounts import access as people
from tandem.accounts.models import Discipline, Licence
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS, InputSchema
from tandem.children import actions
from tandem.children.access import care_team_visible_to
from tandem.children.models import CareTeamMember, TeamRole
from tandem.core.access import not_found

from .access_log import log_access

router = Router(tags=["care team"])


class TherapistOut(Schema):
    id: uuid.UUID = Field(description="The therapist's membership id")
    name: str
    discipline: Discipline | None
    licence: Licence | None


class CareTeamMemberOut(Schema):
    id: uuid.UUID
    therapist: TherapistOut
    role: TeamRole
    can_edit: bool = Field(description="Lead and treating therapists may change the record")


class CareTeamMemberIn(InputSchema):
    therapist_id: uuid.UUID = Field(description="A therapist's membership id")
    role: TeamRole


class CareTeamMemberPatch(InputSchema):
    role: TeamRole


def seat_out(seat: CareTeamMember) -> dict[str, Any]:
    therapist = seat.therapist
    return {
        "id": seat.id,
        "therapist": {
            "id": therapist.id,
            "name": therapist.display_name,
            "discipline": therapist.discipline or None,
            "licence": therapist.licence or None,
        },
        "role": seat.role,
        "can_edit": seat.can_edit,
    }


def managed_seat(request: HttpRequest, child_id: uuid.UUID, member_id: uuid.UUID) -> CareTeamMember:
    membership = acting_member(request)
    seat = care_team_visible_to(membership, api_child(request, membership, child_id)).filter(
        pk=member_id
    )
    found = seat.first()
    if found is None:
        raise not_found()
    return found


@router.get(
    "/children/{child_id}/care-team",
    response={200: list[CareTeamMemberOut], **ERRORS},
    auth=signed_in(permits_api("children.team")),
)
def list_care_team(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The therapists on the child's care team, lead first."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    return [seat_out(seat) for seat in care_team_visible_to(membership, child)]


@router.post(
    "/children/{child_id}/care-team",
    response={201: CareTeamMemberOut, **ERRORS},
    auth=signed_in(permits_api("children.manage_care_team", gate="children.team")),
)
def add_to_care_team(
    request: HttpRequest, child_id: uuid.UUID, payload: CareTeamMemberIn
) -> Status[Any]:
    """Put a therapist of the organization on the child's team (clinic admins)."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    therapist = people.therapists_of(membership).filter(pk=payload.therapist_id).first()
    if therapist is None:
        raise ValidationError(
            {"therapist_id": ["No active therapist in your organization has this id."]}
        )
    if care_team_visible_to(membership, child).filter(therapist=therapist).exists():
        raise ValidationError({"therapist_id": ["This therapist is already on the team."]})
    seat = actions.add_to_care_team(child, therapist, payload.role)
    return Status(201, seat_out(seat))


@router.patch(
    "/children/{child_id}/care-team/{member_id}",
    response={200: CareTeamMemberOut, **ERRORS},
    auth=signed_in(permits_api("children.manage_care_team", gate="children.team")),
)
def update_care_team_member(
    request: HttpRequest, child_id: uuid.UUID, member_id: uuid.UUID, payload: CareTeamMemberPatch
) -> dict[str, Any]:
    """Change a therapist's role on the team (clinic admins)."""
    seat = managed_seat(request, child_id, member_id)
    return seat_out(actions.update_care_team_member(seat, payload.role))


@router.delete(
    "/children/{child_id}/care-team/{member_id}",
    response={204: None, **ERRORS},
    auth=signed_in(permits_api("children.manage_care_team", gate="children.team")),
)
def remove_from_care_team(
    request: HttpRequest, child_id: uuid.UUID, member_id: uuid.UUID
) -> Status[None]:
    """Take a therapist off the team (clinic admins)."""
    actions.remove_from_care_team(managed_seat(request, child_id, member_id))
    return Status(204, None)
