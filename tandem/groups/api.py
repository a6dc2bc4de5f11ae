"""The groups API: the same rules and actions as the pages (``tandem/groups/rules.py``).

- ``/groups``: the clinic's groups (admins, therapists, the front desk); start one
  (once per ``Idempotency-Key``: a retry answers with the group it started);
- ``/groups/{program_id}``: a group, its children (those the member sees) and sessions;
  ``/candidates``: who it would suit, with the reasons; ``/invitations``: invite a child;
- ``/children/{child_id}/groups``: a child's groups; answer an invitation (legal
  guardians) or take the child out (them, the office, the child's editors);
- ``/group-sessions/{encounter_id}``: the group note as the member may write it (the
  children whose note they may write), and recording it.

A stale ``version`` is a 409; a refused step a 422 with a message.
"""

import datetime
import uuid
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from tandem.access import allows, not_found, require, rule_for
from tandem.access.api import api_child, path_param, permits_api
from tandem.accounts.models import Discipline
from tandem.api.auth import acting_member, signed_in
from tandem.api.idempotent import OPENAPI as IDEMPOTENCY_HEADER
from tandem.api.idempotent import run_once
from tandem.api.schemas import ERRORS, ConflictOut, InputSchema
from tandem.appointments.access import clinic_rooms, schedulable_therapists
from tandem.audit.actions import log_access
from tandem.core import clock
from tandem.notes.models import PromptLevel
from tandem.plans.models import Domain

from . import actions
from .access import (
    enrolments_of_child,
    enrolments_seen,
    get_program,
    get_session,
    programs_for,
    session_notes,
    sessions_of,
)
from .candidates import candidates
from .models import Enrolment, EnrolmentStatus, GroupKind, GroupProgram

router = Router(tags=["groups"])
_may_view = permits_api("groups.view")
_may_invite = permits_api("groups.invite", child_in_body="child_id")
_PROGRAM = "_groups_program"
_SESSION = "_groups_session"


def _program_in_path(request: HttpRequest, membership: Any) -> None:
    """The role, then the path's group (another clinic's: 404), before the body is read."""
    _may_view(request, membership)
    setattr(request, _PROGRAM, get_program(membership, path_param(request, "program_id")))


def _inviting(request: HttpRequest, membership: Any) -> None:
    _program_in_path(request, membership)
    _may_invite(request, membership)


def _session_in_path(request: HttpRequest, membership: Any) -> None:
    """A group session with a child whose note the member may write, else 404 (whoever
    asks, before the body is read): the session is each child's, not the clinic's."""
    if membership.role not in rule_for("groups.document").roles:
        raise not_found()
    session = get_session(membership, path_param(request, "encounter_id"))
    places = actions.documentable(membership, session)
    if not places:
        raise not_found()
    setattr(request, _SESSION, (session, places))


VIEW = signed_in(_may_view)
ON_PROGRAM = signed_in(_program_in_path)
CREATE = signed_in(permits_api("groups.create"))
INVITE = signed_in(_inviting)
FAMILY = signed_in(permits_api("groups.family"))
# Legal guardians answer; they, the office and the child's editors take a child out.
PLACE = signed_in(permits_api("groups.leave", gate="groups.family"))
DOCUMENT = signed_in(_session_in_path)
LIST_LIMIT = 200


def path_program(request: HttpRequest) -> GroupProgram:
    program: GroupProgram = getattr(request, _PROGRAM)
    return program


class ProgramSessionOut(Schema):
    encounter_id: uuid.UUID
    starts_at: datetime.datetime
    duration_minutes: int


class EnrolmentOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    program_id: uuid.UUID
    program_name: str
    status: str
    version: int
    answered_at: datetime.datetime | None


class ProgramOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    discipline: str
    description: str
    min_age_months: int
    max_age_months: int
    min_size: int
    max_size: int
    target_domains: list[str]
    leader_id: uuid.UUID
    co_leader_id: uuid.UUID | None
    room_id: uuid.UUID | None
    rule: str
    starts_at: datetime.datetime
    duration_minutes: int
    version: int


class ProgramDetailOut(ProgramOut):
    places_taken: int
    enrolments: list[EnrolmentOut] = Field(description="Children the member sees only.")
    sessions: list[ProgramSessionOut]


def _program(program: GroupProgram) -> dict[str, Any]:
    return {name: getattr(program, name) for name in ProgramOut.model_fields}


def _enrolment(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "id": enrolment.pk,
        "child_id": enrolment.child_id,
        "child_name": enrolment.child.display_name,
        "program_id": enrolment.program_id,
        "program_name": enrolment.program.name,
        "status": enrolment.status,
        "version": enrolment.version,
        "answered_at": enrolment.answered_at,
    }


@router.get("/groups", response={200: list[ProgramOut], **ERRORS}, auth=VIEW)
def list_groups(request: HttpRequest) -> list[dict[str, Any]]:
    """The clinic's groups by name (at most 200)."""
    rows = programs_for(acting_member(request)).order_by("name", "id")[:LIST_LIMIT]
    return [_program(p) for p in rows]


class ProgramIn(InputSchema):
    name: str = Field(max_length=120, min_length=1)
    kind: GroupKind
    discipline: Discipline
    description: str = Field(max_length=1000, min_length=1)
    min_age_months: int = Field(ge=0, le=216)
    max_age_months: int = Field(ge=0, le=216)
    min_size: int = Field(3, ge=2, le=12)
    max_size: int = Field(6, ge=2, le=12)
    target_domains: list[Domain] = Field(min_length=1)
    leader_id: uuid.UUID
    co_leader_id: uuid.UUID | None = None
    room_id: uuid.UUID | None = None
    starts_at: datetime.datetime = Field(description="With its offset; without, clinic time.")
    duration_minutes: int = Field(60, ge=15, le=180)
    weeks: int = Field(8, ge=1, le=actions.MAX_WEEKS)


@router.post(
    "/groups",
    response={201: ProgramOut, **ERRORS},
    openapi_extra=IDEMPOTENCY_HEADER,
    auth=CREATE,
)
def create_group(request: HttpRequest, body: ProgramIn) -> Any:
    """Start a group: its weekly sessions are booked for its leaders and room."""
    membership = acting_member(request)
    therapists = {t.pk: t for t in schedulable_therapists(membership)}
    leader = therapists.get(body.leader_id)
    co_leader = therapists.get(body.co_leader_id) if body.co_leader_id else None
    if leader is None:
        raise ValidationError({"leader_id": ["Choose one of the clinic's therapists."]})
    if body.co_leader_id and co_leader is None:
        raise ValidationError({"co_leader_id": ["Choose one of the clinic's therapists."]})
    room = None
    if body.room_id:
        room = clinic_rooms(membership).filter(pk=body.room_id).first()
        if room is None:
            raise ValidationError({"room_id": ["Choose one of the clinic's rooms."]})
    fields = body.model_dump(exclude={"leader_id", "co_leader_id", "room_id", "weeks"})
    fields["target_domains"] = [str(d) for d in body.target_domains]
    fields["kind"] = str(body.kind)
    fields["discipline"] = str(body.discipline)

    def write() -> Any:
        program = actions.create_program(
            membership,
            leader=leader,
            co_leader=co_leader,
            room=room,
            weeks=body.weeks,
            **fields,
        )
        return _program(program)

    return run_once(request, "groups.create", 201, ProgramOut, write)


@router.get("/groups/{program_id}", response={200: ProgramDetailOut, **ERRORS}, auth=ON_PROGRAM)
def read_group(request: HttpRequest, program_id: uuid.UUID) -> dict[str, Any]:
    membership = acting_member(request)
    program = path_program(request)
    enrolments = enrolments_seen(membership, program)
    log_access(request, [e.child for e in enrolments])
    sessions = sessions_of(membership, program)
    return {
        **_program(program),
        "places_taken": actions.places_taken(program),
        "enrolments": [_enrolment(e) for e in enrolments],
        "sessions": [
            {
                "encounter_id": s.encounter_id,
                "starts_at": s.encounter.starts_at,
                "duration_minutes": s.encounter.duration_minutes,
            }
            for s in sessions
        ],
    }


class CandidateOut(Schema):
    child_id: uuid.UUID
    child_name: str
    age_months: int
    matching_goals: int
    reasons: list[str]


@router.get(
    "/groups/{program_id}/candidates",
    response={200: list[CandidateOut], **ERRORS},
    auth=ON_PROGRAM,
)
def group_candidates(request: HttpRequest, program_id: uuid.UUID) -> list[dict[str, Any]]:
    """The children the member sees whom the group would suit, best first, with reasons
    (none once the group is full or has no session still to come)."""
    membership = acting_member(request)
    program = path_program(request)
    upcoming = actions.upcoming_sessions(program, timezone.now())
    if not upcoming or actions.places_taken(program) >= program.max_size:
        return []
    on = clock.today_for(membership.organization, upcoming[0].starts_at)
    found = [
        c
        for c in candidates(membership, program, on)
        if allows(membership, "groups.invite", child=c.child)
    ]
    log_access(request, [c.child for c in found])
    return [
        {
            "child_id": c.child.pk,
            "child_name": c.child.display_name,
            "age_months": c.age_months,
            "matching_goals": c.goals,
            "reasons": c.reasons,
        }
        for c in found
    ]


class InviteIn(InputSchema):
    child_id: uuid.UUID


@router.post(
    "/groups/{program_id}/invitations",
    response={201: EnrolmentOut, **ERRORS},
    auth=INVITE,
)
def invite(request: HttpRequest, program_id: uuid.UUID, body: InviteIn) -> Any:
    """Invite a child (their legal guardians are asked to consent)."""
    membership = acting_member(request)
    program = path_program(request)
    child = api_child(request, membership, body.child_id)
    require(membership, "groups.invite", child=child)
    enrolment = actions.invite(membership, program, child)
    enrolment.child = child
    return Status(201, _enrolment(enrolment))


@router.get(
    "/children/{child_id}/groups", response={200: list[EnrolmentOut], **ERRORS}, auth=FAMILY
)
def child_groups(request: HttpRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's groups: invitations, places, and those they left."""
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    log_access(request, [child])
    rows = [
        e
        for e in enrolments_of_child(membership, child)
        if e.status != EnrolmentStatus.DECLINED or not membership.is_guardian
    ]
    for row in rows:
        row.child = child
    return [_enrolment(e) for e in rows]


class GroupPlaceIn(InputSchema):
    action: Literal["yes", "no", "leave"] = Field(
        description="yes / no: a legal guardian answers the invitation; leave: out of the group."
    )
    version: int


@router.post(
    "/children/{child_id}/groups/{enrolment_id}",
    response={200: EnrolmentOut, 409: ConflictOut, **ERRORS},
    auth=PLACE,
)
def answer_or_leave(
    request: HttpRequest, child_id: uuid.UUID, enrolment_id: uuid.UUID, body: GroupPlaceIn
) -> Any:
    membership = acting_member(request)
    child = api_child(request, membership, child_id)
    enrolment = enrolments_of_child(membership, child).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise not_found()
    if body.action == "leave":
        done = actions.leave(membership, enrolment, expected_version=body.version)
    else:
        require(membership, "groups.answer", child=child)
        done = actions.answer(
            membership, enrolment, expected_version=body.version, consent=body.action == "yes"
        )
    done.child = child
    return _enrolment(done)


class GoalEntryOut(Schema):
    goal_id: uuid.UUID
    statement: str
    measurement_type: str


class ChildPartOut(Schema):
    child_id: uuid.UUID
    child_name: str
    attendance: str
    note_id: uuid.UUID | None
    note_status: str | None
    goals: list[GoalEntryOut]


class GroupSessionOut(Schema):
    encounter_id: uuid.UUID
    program_id: uuid.UUID
    program_name: str
    starts_at: datetime.datetime
    duration_minutes: int
    children: list[ChildPartOut] = Field(description="The children whose note you may write.")


def _session_out(request: HttpRequest, session: Any, places: list[Any]) -> dict[str, Any]:
    membership = acting_member(request)
    log_access(request, [p.child for p in places])
    goals = actions.linked_goals(
        membership.organization_id, session.program.target_domains, [p.child_id for p in places]
    )
    notes = session_notes(membership, session, [p.child_id for p in places])
    attendance = {str(v): k for k, v in actions.ATTENDANCE.items()}
    return {
        "encounter_id": session.encounter_id,
        "program_id": session.program_id,
        "program_name": session.program.name,
        "starts_at": session.encounter.starts_at,
        "duration_minutes": session.encounter.duration_minutes,
        "children": [
            {
                "child_id": p.child_id,
                "child_name": p.child.display_name,
                "attendance": attendance.get(p.status, "not recorded"),
                "note_id": notes[p.child_id].pk if p.child_id in notes else None,
                "note_status": notes[p.child_id].status if p.child_id in notes else None,
                "goals": [
                    {
                        "goal_id": g.pk,
                        "statement": g.statement,
                        "measurement_type": g.measurement_type,
                    }
                    for g in goals.get(p.child_id, [])
                ],
            }
            for p in places
        ],
    }


@router.get(
    "/group-sessions/{encounter_id}", response={200: GroupSessionOut, **ERRORS}, auth=DOCUMENT
)
def read_group_session(request: HttpRequest, encounter_id: uuid.UUID) -> dict[str, Any]:
    """A group session as the member documents it: the children whose note they may
    write, each with their attendance, their note (if started) and the goals it records."""
    session, places = getattr(request, _SESSION)
    return _session_out(request, session, places)


class GroupTrialIn(InputSchema):
    correct: bool
    prompt: PromptLevel = PromptLevel.INDEPENDENT


class GroupGoalDataIn(InputSchema):
    trials: list[GroupTrialIn] | None = Field(None, max_length=200)
    count: int | None = Field(None, ge=0)
    duration_seconds: int | None = Field(None, ge=0)
    rating: int | None = Field(None, ge=1, le=5)
    steps_done: int | None = Field(None, ge=0)
    steps_total: int | None = Field(None, ge=1)
    gas_level: int | None = Field(None, ge=-2, le=2)
    comment: str = Field("", max_length=300)


class ChildPartIn(InputSchema):
    child_id: uuid.UUID
    version: int | None = Field(
        None, description="The version of the child's draft note, when they have one."
    )
    attendance: Literal["present", "absent", "excused"]
    note: str = Field("", max_length=5000, description="How it went for this child (A).")
    engagement: int | None = Field(None, ge=1, le=5)
    goal_data: dict[uuid.UUID, GroupGoalDataIn] = Field(default_factory=dict)


class GroupNoteIn(InputSchema):
    what_we_did: str = Field(max_length=5000, description="What the group did (O), shared.")
    activities: str = Field("", max_length=500)
    children: list[ChildPartIn] = Field(min_length=1)
    sign: bool = False


@router.post(
    "/group-sessions/{encounter_id}",
    response={200: GroupSessionOut, 409: ConflictOut, **ERRORS},
    auth=DOCUMENT,
)
def record_group_session(request: HttpRequest, encounter_id: uuid.UUID, body: GroupNoteIn) -> Any:
    """Record the session: attendance, and for each child present their note and goal
    data, in that child's own note; ``sign`` signs them all. Any problem keeps everything
    as it was (422, by child id). A retry writes the same drafts again; signed notes are
    left as they are."""
    membership = acting_member(request)
    session, _places = getattr(request, _SESSION)
    named = [str(part.child_id) for part in body.children]
    if len(set(named)) != len(named):
        raise ValidationError({"children": ["Name each child once."]})
    parts = {
        str(part.child_id): {
            "attendance": part.attendance,
            "version": part.version,
            "note": part.note,
            "engagement": part.engagement,
            "goal_data": {
                str(goal_id): data.model_dump(exclude_none=True, mode="json")
                for goal_id, data in part.goal_data.items()
            },
        }
        for part in body.children
    }
    actions.record(
        membership,
        session,
        what_we_did=body.what_we_did,
        activities=body.activities,
        children=parts,
        sign=body.sign,
    )
    return _session_out(request, session, actions.documentable(membership, session))
