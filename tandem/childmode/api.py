"""The child-mode part of the API: the child's goals and board, and the child's picks.

Paths are relative to /api/v1/. Each operation names its action (``rules.py``). A
pick names its child in the body (``childmode.open``, as the page: the child's
guardians, admins and lead/treating therapists record it); the list of picks is for
the staff on the child's team (``childmode.read_choices``).
"""

import uuid
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from tandem.access import MemberRequest, child_for
from tandem.access.api import permits_api
from tandem.api.auth import signed_in
from tandem.api.schemas import ERRORS, InputSchema
from tandem.audit.actions import log_access

from . import actions
from .models import ChildChoice
from .reading import choice_board, goal_cards, recent_choices
from .rules import OPEN, READ_CHOICES, VIEW

router = Router(tags=["child mode"])


class GoalCardOut(Schema):
    id: uuid.UUID
    words: str = Field(description="The goal in the child's words, or a simple phrase")
    chosen_by_child: bool
    is_met: bool
    stars: int = Field(description="1–5, from the latest GAS level (−2…+2) of signed sessions")
    domain: str


class BoardItemOut(Schema):
    label: str
    source: str
    home_activity_id: uuid.UUID | None


class ChildModeOut(Schema):
    child_id: uuid.UUID
    first_name: str
    goals: list[GoalCardOut]
    board: list[BoardItemOut]


class ChoiceOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    label: str
    source: str
    home_activity_id: uuid.UUID | None
    chosen_at: datetime
    during_session_of: str = Field(description="The adult whose device the child used")
    since_last_session: bool


class ChoiceIn(InputSchema):
    child_id: uuid.UUID
    source: Literal["home_activity", "interest"]
    label: str = Field("", max_length=200, description="For interests: one item of the board")
    home_activity_id: uuid.UUID | None = None


def choice_out(choice: ChildChoice, is_new: bool) -> dict[str, Any]:
    return {
        "id": choice.id,
        "child_id": choice.child_id,
        "label": choice.label,
        "source": choice.source,
        "home_activity_id": choice.home_activity_id,
        "chosen_at": choice.chosen_at,
        "during_session_of": choice.during_session_of.display_name,
        "since_last_session": is_new,
    }


@router.get(
    "/children/{child_id}/child-mode",
    response={200: ChildModeOut, **ERRORS},
    auth=signed_in(permits_api(VIEW)),
)
def child_mode(request: MemberRequest, child_id: uuid.UUID) -> dict[str, Any]:
    """What child mode shows: the goals with stars and the choice board."""
    membership = request.membership
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    return {
        "child_id": child.id,
        "first_name": child.preferred_name or child.first_name,
        "goals": [card.__dict__ for card in goal_cards(membership, child)],
        "board": [item.__dict__ for item in choice_board(membership, child)],
    }


@router.get(
    "/children/{child_id}/child-mode/choices",
    response={200: list[ChoiceOut], **ERRORS},
    auth=signed_in(permits_api(READ_CHOICES)),
)
def list_choices(request: MemberRequest, child_id: uuid.UUID) -> list[dict[str, Any]]:
    """The child's latest picks, newest first (staff who may see the child)."""
    membership = request.membership
    child = child_for(request, child_id, READ_CHOICES)
    log_access(request, [child])
    choices, _last = recent_choices(membership, child)
    return [choice_out(c, c.is_new) for c in choices]


@router.post(
    "/child-mode/choices",
    response={201: ChoiceOut, **ERRORS},
    auth=signed_in(permits_api(OPEN, gate=VIEW, child_in_body="child_id")),
)
def record_choice(request: MemberRequest, payload: ChoiceIn) -> Status[Any]:
    """Record the child's pick from their board (only items on the board are accepted)."""
    membership = request.membership
    child = child_for(request, payload.child_id, OPEN)
    choice = actions.record_choice(
        membership,
        child,
        source=payload.source,
        label=payload.label,
        home_activity_id=payload.home_activity_id,
    )
    choice.during_session_of = membership
    return Status(201, choice_out(choice, True))
