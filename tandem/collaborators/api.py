"""The collaborators' API: what a guardian's consent shares, under
``/children/{child_id}/shared/…`` (mounted under /api/v1/ by tandem/api/api.py).

- ``summary``: the goals in force and how each is going;
- ``notes``: signed session notes with their addenda;
- ``observations``: tell the team where the child showed a goal's skill.

A collaborator reaches each only while an active consent shares that part of the record;
the child's team and guardians may read what it shares too, and guardians and admins
post observations here (``rules.py``). Whoever the part is not for finds nothing (404),
on a write too. The operations keep the tag and operation ids they had when the consent
app served them: the API's contract did not change when its code moved.
"""

import uuid
from collections import defaultdict
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tandem.access import MemberRequest, child_for, not_found
from tandem.access.api import Check, permits_api
from tandem.accounts.models import Membership
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, MAX_OFFSET, InputSchema, LocalTime
from tandem.audit.actions import log_access
from tandem.homeprogram import actions as home_actions
from tandem.notes.access import addenda_of, notes_of
from tandem.notes.models import SessionNote
from tandem.plans.access import goals_of
from tandem.plans.wording import STATEMENT_DOC, WORDING_DOC, for_reader, reads_clinical
from tandem.progress.services import child_progress

router = Router(tags=["consent"])
MAX_NOTES_PAGE = 50


# --- Output -----------------------------------------------------------------------


class SharedReadingOut(Schema):
    date: date
    value: float | None
    gas_level: int | None


class SharedGoalOut(Schema):
    id: uuid.UUID
    discipline: str
    domain: str
    statement: str | None = Field(description=STATEMENT_DOC)
    wording: str = Field(description=WORDING_DOC)
    expected_outcome: str
    strategies: str
    child_chosen: bool
    child_words: str
    status: str
    progress: Literal["no_data", "reached", "slowed", "improving", "working"]
    readings: list[SharedReadingOut]


class SummaryOut(Schema):
    child_id: uuid.UUID
    name: str
    goals: list[SharedGoalOut]


class SharedAddendumOut(Schema):
    created_at: datetime
    author: str
    text: str


class SharedNoteOut(Schema):
    id: uuid.UUID
    date: date
    start_time: LocalTime
    end_time: LocalTime
    service_type: str
    location: str
    author: str
    subjective: str
    objective: str
    assessment: str
    plan_next: str
    activities: str
    child_chosen_activities: str
    addenda: list[SharedAddendumOut]


class SharedNotesOut(Schema):
    items: list[SharedNoteOut]
    count: int


# --- Input --------------------------------------------------------------------------


class SharedObservationIn(InputSchema):
    goal_id: uuid.UUID
    setting: Literal["home", "school", "community", "other"]
    independence: Literal["independent", "some_help", "lot_of_help", "not_yet"]
    observed_on: date | None = None
    who_was_there: str = Field("", max_length=200)
    note: str = Field("", max_length=1000)


class SharedObservationOut(Schema):
    id: uuid.UUID
    goal_id: uuid.UUID
    observed_on: date
    setting: str
    independence: str
    who_was_there: str
    note: str


class NotesPage(Schema):
    limit: int = Field(10, ge=1, le=MAX_NOTES_PAGE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


# --- Checks run before the input is read ----------------------------------------------


def unseen_unless(action: str) -> Check:
    """``permits_api(action)`` where failing the rule is 404 on a write too: a part of the
    record the consent does not share is not there for the collaborator."""
    check = permits_api(action)

    def hidden(request: HttpRequest, membership: Membership) -> None:
        try:
            check(request, membership)
        except PermissionDenied as exc:
            raise not_found() from exc

    return hidden


# --- What a consent shares ---------------------------------------------------------------


def _progress_word(goal_progress: Any) -> str:
    analysis = goal_progress.analysis
    if not goal_progress.values:
        return "no_data"
    if analysis.mastered:
        return "reached"
    if analysis.regression or analysis.plateau:
        return "slowed"
    return "improving" if analysis.direction == "improving" else "working"


@router.get(
    "/children/{child_id}/shared/summary",
    response={200: SummaryOut, **ERRORS},
    auth=signed_in(permits_api("collaborators.read_summary")),
    operation_id="tandem_consent_api_shared_summary",
)
def shared_summary(request: MemberRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """The goals in force and how each is going, as a consent's summary shares them."""
    child = child_for(request, child_id, "collaborators.read_summary")
    log_access(request, [child])
    progress = child_progress(request.membership, child)
    clinical = reads_clinical(request.membership)
    goals = [
        {
            "id": gp.goal.id,
            "discipline": gp.goal.discipline,
            "domain": gp.goal.domain,
            **for_reader(gp.goal, clinical),
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


@router.get(
    "/children/{child_id}/shared/notes",
    response={200: SharedNotesOut, **ERRORS},
    auth=signed_in(permits_api("collaborators.read_notes")),
    operation_id="tandem_consent_api_shared_notes",
)
def shared_notes(
    request: MemberRequest, child_id: uuid.UUID, page: Query[NotesPage]
) -> dict[str, Any]:
    """Signed session notes with their addenda, newest first, as a consent shares them."""
    membership = request.membership
    child = child_for(request, child_id, "collaborators.read_notes")
    log_access(request, [child])
    signed = (
        notes_of(membership, child)
        .filter(status="signed")
        .select_related("author__user")
        .order_by("-date", "-start_time", "id")
    )
    notes: list[SessionNote] = list(signed[page.offset : page.offset + page.limit])
    by_note: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
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
    response={201: SharedObservationOut, **ERRORS},
    auth=signed_in(unseen_unless("collaborators.post_observation")),
    operation_id="tandem_consent_api_post_observation",
)
def post_observation(
    request: MemberRequest, child_id: uuid.UUID, payload: SharedObservationIn
) -> Status[Any]:
    """Tell the team where the child showed a goal's skill, as a consent allows."""
    membership = request.membership
    child = child_for(request, child_id, "collaborators.post_observation", hide=True)
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
