"""Groups for tests: one started through the action, or one written straight through the
ORM with children already in it (the authorization matrix: nobody joins a care team)."""

import datetime
from typing import Any

from tandem.accounts.models import Membership
from tandem.appointments.models import Appointment, Encounter
from tandem.children.models import Child
from tandem.groups import actions
from tandem.groups.models import Enrolment, GroupProgram, GroupSession


def program_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "Friends club",
        "kind": "social_skills",
        "discipline": "slp",
        "description": "Children play games together and practise taking turns and talking.",
        "min_age_months": 36,
        "max_age_months": 83,
        "min_size": 3,
        "max_size": 6,
        "target_domains": ["social", "communication"],
        "duration_minutes": 60,
    }
    fields.update(changes)
    return fields


def start_group(
    by: Membership,
    leader: Membership,
    starts_at: datetime.datetime,
    *,
    weeks: int = 4,
    co_leader: Membership | None = None,
    room: Any = None,
    at: datetime.datetime | None = None,
    **changes: Any,
) -> GroupProgram:
    return actions.create_program(
        by,
        leader=leader,
        co_leader=co_leader,
        room=room,
        starts_at=starts_at,
        weeks=weeks,
        at=at,
        **program_fields(**changes),
    )


def group_with(
    leader: Membership, starts: list[datetime.datetime], children: list[Child], **changes: Any
) -> GroupProgram:
    """A group already running, its children enrolled, written straight to the database."""
    organization_id = leader.organization_id
    program = GroupProgram.objects.create(
        organization_id=organization_id,
        leader=leader,
        rule=f"FREQ=WEEKLY;COUNT={len(starts)}",
        starts_at=starts[0],
        **program_fields(**changes),
    )
    for start in starts:
        encounter = Encounter.objects.create(
            organization_id=organization_id,
            therapist=leader,
            starts_at=start,
            duration_minutes=program.duration_minutes,
            service_type="group",
            discipline=program.discipline,
            location="clinic",
        )
        GroupSession.objects.create(
            organization_id=organization_id, program=program, encounter=encounter
        )
        for child in children:
            Appointment.objects.create(
                organization_id=organization_id, encounter=encounter, child=child
            )
    for child in children:
        Enrolment.objects.create(
            organization_id=organization_id, program=program, child=child, status="enrolled"
        )
    return program
