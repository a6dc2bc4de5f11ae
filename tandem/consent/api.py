"""The consent API (mounted under /api/v1/ by tandem/api/api.py).

- ``/children/{child_id}/consents``: the child's guardians and admins list consents; a
  guardian with legal authority gives one; such a guardian or an admin withdraws one;
- ``/consents/children``: a collaborator's shared children, with what is shared and until when;
- ``/children/{child_id}/shared/…``: what a consent shares (the goals and progress summary,
  signed session notes), for a collaborator holding it and for anyone who sees the child.

Refusals are JSON: 404 for outsiders, 403 for those who may see but not change, 422 for
bad input.
"""

import uuid
from collections import defaultdict
from datetime import date, datetime, time
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tandem.accounts.models import Membership, Role
from tandem.api.auth import acting_member, signed_in
from tandem.api.permissions import path_child_id
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access
from tandem.children.access import get_child
from tandem.core.access import not_found, read_only
from tandem.homeprogram import actions as home_actions
from tandem.notes.access import addenda_of, notes_of
from tandem.plans.access import goals_of
from tandem.progress.services import child_progress

from . import actions
from .access import (
    can_give_consent,
    get_child_for_consents,
    get_grant,
    grants_of,
    require_consent_withdrawer,
    shared_with,
)
from .models import SCOPE_FIELDS, ConsentGrant, Scope

router = Router(tags=["consent"])
MAX_NOTES_PAGE = 50
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


class ReadingOut(Schema):
    date: date
    value: float | None
    gas_level: int | None


class SharedGoalOut(Schema):
    id: uuid.UUID
    discipline: str
    domain: str
    statement: str
    expected_outcome: str
    strategies: str
    child_chosen: bool
    child_words: str
    status: str
    progress: Literal["no_data", "reached", "slowed", "improving", "working"]
    readings: list[ReadingOut]


class SummaryOut(Schema):
    child_id: uuid.UUID
    name: str
    goals: list[SharedGoalOut]


class AddendumOut(Schema):
    created_at: datetime
    author: str
    text: str


class SharedNoteOut(Schema):
    id: uuid.UUID
    date: date
    start_time: time
    end_time: time
    service_type: str
    location: str
    author: str
    subjective: str
    objective: str
    assessment: str
    plan_next: str
    activities: str
    child_chosen_activities: str
    addenda: list[AddendumOut]


class SharedNotesOut(Schema):
    items: list[SharedNoteOut]
    count: int


# --- Input --------------------------------------------------------------------------


class ConsentIn(InputSchema):
    email: str = Field(min_length=3, max_length=254)
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    role_title: str = Field(min_length=1, max_length=100)
    shares: list[Part] = Field(min_length=1, description="What to share: at least one part")
    expires_on: date = Field(description="The last day; after today and within a year")


class ObservationIn(InputSchema):
    goal_id: uuid.UUID
    setting: Literal["home", "school", "community", "other"]
    independence: Literal["independent", "some_help", "lot_of_help", "not_yet"]
    observed_on: date | None = None
    who_was_there: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


class ObservationOut(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID
    observed_on: date
    setting: str
    independence: str
    who_was_there: str
    note: str


class NotesPage(Schema):
    limit: int = Field(10, ge=1, le=MAX_NOTES_PAGE)
    offset: int = Field(0, ge=0)


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


# --- Checks run before the input is read (404 outsiders, 403 read-only, then 422) -----


def consent_giver(request: HttpRequest, membership: Membership) -> None:
    """A guardian of the child with legal authority (admins pass here; the handler refuses)."""
    child = get_child_for_consents(membership, path_child_id(request))
    if not membership.is_admin and not can_give_consent(membership, child):
        raise read_only()


def consent_withdrawer(request: HttpRequest, membership: Membership) -> None:
    child = get_child_for_consents(membership, path_child_id(request))
    require_consent_withdrawer(membership, child)


def shared_observer(request: HttpRequest, membership: Membership) -> None:
    """A collaborator whose consent shares posting observations; the child's guardians and
    admins may use this path too. Everyone else finds nothing here (404)."""
    child_id = path_child_id(request)
    if membership.role == Role.COLLABORATOR:
        get_child(membership, child_id, consent_scope=Scope.OBSERVATIONS)
        return
    get_child(membership, child_id)
    if membership.role not in (Role.ADMIN, Role.GUARDIAN):
        raise not_found()


# --- The family's side -----------------------------------------------------------------


@router.get("/children/{child_id}/consents", response={200: list[ConsentOut], **ERRORS})
def list_consents(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """Everyone the child's record is shared with, and was (guardians and admins)."""
    membership = acting_member(request)
    child = get_child_for_consents(membership, child_id)
    log_access(request, [child])
    return [consent_out(g) for g in grants_of(membership, child)]


@router.post(
    "/children/{child_id}/consents",
    response={201: ConsentOut, **ERRORS},
    auth=signed_in(consent_giver),
)
def give_consent(request: HttpRequest, child_id: uuid.UUID, payload: ConsentIn) -> Status[Any]:
    """Share parts of the child's record with a professional until a day (legal guardians).

    A person without a sign-in is invited by email. An active consent they already hold
    for this child is replaced by this one.
    """
    membership = acting_member(request)
    child = get_child_for_consents(membership, child_id)
    if not can_give_consent(membership, child):
        raise read_only()
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
        **{SCOPE_FIELDS[Scope(part)]: True for part in payload.shares},
    )
    return Status(201, consent_out(grants_of(membership, child).get(pk=grant.pk)))


@router.post(
    "/children/{child_id}/consents/{grant_id}/revoke",
    response={200: ConsentOut, **ERRORS},
    auth=signed_in(consent_withdrawer),
)
def revoke_consent(request: HttpRequest, child_id: uuid.UUID, grant_id: uuid.UUID) -> Any:
    """Stop sharing now; the collaborator's next request no longer sees the child."""
    membership = acting_member(request)
    child = get_child_for_consents(membership, child_id)
    require_consent_withdrawer(membership, child)
    actions.withdraw_consent(membership, get_grant(membership, child, grant_id))
    return consent_out(get_grant(membership, child, grant_id))


# --- The collaborator's side -----------------------------------------------------------


@router.get("/consents/children", response={200: list[SharedChildOut], **ERRORS})
def shared_children(request: HttpRequest) -> list[dict[str, Any]]:
    """The children families share with the calling collaborator, while the consent lasts."""
    membership = acting_member(request)
    if membership.role != Role.COLLABORATOR:
        raise read_only()
    grants = list(shared_with(membership))
    return [
        {
            "child_id": g.child_id,
            "name": g.child.display_name,
            "role_title": g.role_title,
            "shares": g.scopes,
            "expires_on": g.expires_on,
            "shared_by": g.granted_by.display_name,
        }
        for g in grants
    ]


def _progress_word(goal_progress: Any) -> str:
    analysis = goal_progress.analysis
    if not goal_progress.values:
        return "no_data"
    if analysis.mastered:
        return "reached"
    if analysis.regression or analysis.plateau:
        return "slowed"
    return "improving" if analysis.direction == "improving" else "working"


@router.get("/children/{child_id}/shared/summary", response={200: SummaryOut, **ERRORS})
def shared_summary(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """The goals in force and how each is going, as a consent's summary shares them."""
    membership = acting_member(request)
    child = get_child(membership, child_id, consent_scope=Scope.SUMMARY)
    log_access(request, [child])
    progress = child_progress(membership, child)
    goals = [
        {
            "id": gp.goal.id,
            "discipline": gp.goal.discipline,
            "domain": gp.goal.domain,
            "statement": gp.goal.statement,
            "expected_outcome": gp.goal.gas_0,
            "strategies": gp.goal.strategies,
            "child_chosen": gp.goal.child_chosen,
            "child_words": gp.goal.child_words,
            "status": gp.goal.status,
            "progress": _progress_word(gp),
            "readings": [
                {"date": r.date, "value": r.value, "gas_level": r.gas_level} for r in gp.readings
            ],
        }
        for plan in progress.plans
        if plan.plan.status == "active"
        for gp in plan.goals
        if gp.goal.status != "discontinued"
    ]
    return {"child_id": child.id, "name": child.display_name, "goals": goals}


@router.get("/children/{child_id}/shared/notes", response={200: SharedNotesOut, **ERRORS})
def shared_notes(
    request: HttpRequest, child_id: uuid.UUID, page: Query[NotesPage]
) -> dict[str, Any]:
    """Signed session notes with their addenda, newest first, as a consent shares them."""
    membership = acting_member(request)
    child = get_child(membership, child_id, consent_scope=Scope.NOTES)
    log_access(request, [child])
    signed = (
        notes_of(membership, child)
        .filter(status="signed")
        .select_related("author__user")
        .order_by("-date", "-start_time", "id")
    )
    notes = list(signed[page.offset : page.offset + page.limit])
    by_note: dict = defaultdict(list)
    addenda = addenda_of(membership, child).filter(note_id__in=[n.id for n in notes])
    for addendum in addenda.select_related("author__user"):
        by_note[addendum.note_id].append(
            {
                "created_at": addendum.created_at,
                "author": addendum.author.display_name,
                "text": addendum.text,
            }
        )
    items = [
        {
            "id": n.id,
            "date": n.date,
            "start_time": n.start_time,
            "end_time": n.end_time,
            "service_type": n.service_type,
            "location": n.location,
            "author": n.author.display_name,
            "subjective": n.subjective,
            "objective": n.objective,
            "assessment": n.assessment,
            "plan_next": n.plan_next,
            "activities": n.activities,
            "child_chosen_activities": n.child_chosen_activities,
            "addenda": by_note.get(n.id, []),
        }
        for n in notes
    ]
    return {"items": items, "count": signed.count()}


@router.post(
    "/children/{child_id}/shared/observations",
    response={201: ObservationOut, **ERRORS},
    auth=signed_in(shared_observer),
)
def post_observation(
    request: HttpRequest, child_id: uuid.UUID, payload: ObservationIn
) -> Status[Any]:
    """Tell the team where the child showed a goal's skill, as a consent allows."""
    membership = acting_member(request)
    child = get_child(membership, child_id, consent_scope=Scope.OBSERVATIONS)
    log_access(request, [child])
    in_force = goals_of(membership, child).filter(
        plan__organization_id=membership.organization_id, plan__status="active"
    )
    goal = in_force.filter(pk=payload.goal_id).first()
    if goal is None:
        raise ValidationError({"goal_id": ["Not a goal of this child in a plan in force."]})
    fields = payload.model_dump(exclude={"goal_id"}, exclude_none=True)
    observation = home_actions.record_observation(membership, child, goal, **fields)
    return Status(
        201,
        {
            name: getattr(observation, name)
            for name in ("id", "goal_id", "observed_on", "setting", "independence")
        }
        | {"who_was_there": observation.who_was_there, "note": observation.note},
    )
