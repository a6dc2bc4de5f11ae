"""Build plans, goals and signed session data straight through the ORM for progress tests."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.appointments.tests.helpers import session_of
from tandem.children.models import Child
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans.models import Goal, Plan

START = datetime.date(2024, 1, 8)


def make_plan(child: Child, author: Membership, **fields: Any) -> Plan:
    values = {
        "discipline": "ot",
        "status": "active",
        "start_date": START,
        "review_date": START + datetime.timedelta(days=180),
    } | fields
    return Plan.objects.create(
        organization=child.organization, child=child, author=author, **values
    )


def make_goal(plan: Plan, **fields: Any) -> Goal:
    values = {
        "discipline": plan.discipline,
        "domain": "fine_motor",
        "statement": "Buttons a coat independently",
        "baseline": "2 of 10 buttons",
        "target_date": plan.start_date + datetime.timedelta(days=365),
        "measurement_type": "percent_trials",
        "mastery_value": 80.0,
        "mastery_sessions": 3,
        "mastery_criterion": "80 % of trials over 3 sessions",
        "gas_minus_2": "-2",
        "gas_minus_1": "-1",
        "gas_0": "0",
        "gas_plus_1": "+1",
        "gas_plus_2": "+2",
    } | fields
    return Goal.objects.create(
        organization=plan.organization, child=plan.child, plan=plan, **values
    )


def record_sessions(
    author: Membership,
    child: Child,
    sessions: Iterable[tuple[datetime.date, Mapping[Goal, tuple[float | None, int | None]]]],
    *,
    status: str = NoteStatus.SIGNED,
) -> list[SessionNote]:
    """Create one note per (date, {goal: (value, gas_level)}) and its goal data, in bulk.

    As in the app, goal data is written while the notes are drafts and the notes are
    signed afterwards: on PostgreSQL a trigger refuses goal data of a signed note.
    """
    sessions = list(sessions)
    notes = SessionNote.objects.bulk_create(
        SessionNote(
            organization=child.organization,
            child=child,
            author=author,
            encounter=session_of(child, author, day),
            date=day,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(9, 45),
            status=NoteStatus.DRAFT,
        )
        for day, _data in sessions
    )
    GoalData.objects.bulk_create(
        GoalData(
            organization=child.organization,
            child=child,
            note=note,
            goal=goal,
            value=value,
            gas_level=level,
        )
        for note, (_day, data) in zip(notes, sessions, strict=True)
        for goal, (value, level) in data.items()
    )
    if status != NoteStatus.DRAFT:
        signed = {
            "status": status,
            "signed_at": timezone.now(),
            "signed_by": author,
            "content_hash": "x",
        }
        # One UPDATE for the whole series (the versioned manager refuses bulk writes;
        # a test fixture needs no history of these rows).
        SessionNote._base_manager.filter(pk__in=[n.pk for n in notes]).update(**signed)
        for note in notes:
            for name, value in signed.items():
                setattr(note, name, value)
    return notes


def weekly(
    values: Sequence[float | None],
    goal: Goal,
    *,
    start: datetime.date = START,
    levels: Sequence[int | None] | None = None,
) -> list[tuple[datetime.date, dict[Goal, tuple[float | None, int | None]]]]:
    """One session a week for a list of values (and GAS levels) of one goal."""
    levels = levels or [None] * len(values)
    return [
        (start + datetime.timedelta(weeks=i), {goal: (value, level)})
        for i, (value, level) in enumerate(zip(values, levels, strict=True))
    ]
