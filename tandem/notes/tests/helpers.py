"""Session notes for tests, built the way the app builds them.

Goal data is always written while the note is a draft and the note signed last:
on PostgreSQL a trigger refuses goal data of a signed note.
"""

import datetime
import json
from typing import Any

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today
from tandem.notes import actions
from tandem.notes.models import GoalData, SessionNote
from tandem.plans.models import Goal, GoalStatus, PlanStatus
from tandem.plans.tests.helpers import make_plan

TODAY = clinic_today()  # the test clinics' date, taken once per run
TRIALS = [
    {"correct": True, "prompt": "independent"},
    {"correct": True, "prompt": "verbal"},
    {"correct": False, "prompt": "model"},
    {"correct": True, "prompt": "independent"},
]


def active_goals(child: Child) -> list[Goal]:
    return list(
        Goal.objects.filter(
            child=child, status=GoalStatus.ACTIVE, plan__status=PlanStatus.ACTIVE
        ).order_by("position", "created_at")
    )


def goals_for(child: Child, author: Membership) -> list[Goal]:
    """The child's active goals, making an active plan with one goal if there is none."""
    if not active_goals(child):
        make_plan(child, author)
    return active_goals(child)


SAMPLES: dict[str, dict[str, Any]] = {
    "percent_trials": {"trials": TRIALS},
    "frequency": {"count": 4},
    "duration": {"duration_seconds": 150},
    "rating": {"rating": 3},
    "task_analysis": {"steps_done": 3, "steps_total": 6},
    "gas_only": {},
}


def sample_data(goal: Goal) -> dict[str, Any]:
    """Believable data for a goal on its own scale, reaching the expected GAS level."""
    return {**SAMPLES[goal.measurement_type], "gas_level": 0}


def note_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "date": TODAY,
        "start_time": datetime.time(9, 0),
        "end_time": datetime.time(9, 45),
        "objective": "Practised buttons on a dressing board, then on her coat.",
        "assessment": "Steady progress with fewer prompts.",
        "child_chosen_activities": "Obstacle course",
    }
    fields.update(changes)
    return fields


def make_note(
    child: Child,
    author: Membership,
    *,
    goals: list[Goal] | None = None,
    sign: bool = False,
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> SessionNote:
    """A draft with data for each goal (trials and a GAS level); signed by the author if asked."""
    goals = goals_for(child, author) if goals is None else goals
    note = actions.create_note(author, child, goals=goals, **note_fields(**fields))
    note.child = child
    values = {g.id: sample_data(g) if data is None else data for g in goals}
    if any(values.values()):
        note = actions.update_note(note, author, expected_version=note.version, goal_data=values)
    if sign:
        note = actions.sign_note(note, author, expected_version=note.version)
    note.refresh_from_db()
    return note


def editor_data(note: SessionNote, **changes: Any) -> dict[str, Any]:
    """What the editor form posts for a note as saved, with some fields changed.

    Goal data keys are ``goal-<goal id>-<field>``, as the editor names them.
    """
    data: dict[str, Any] = {"version": note.version}
    for name in actions.NOTE_FIELDS:
        value = getattr(note, name)
        if isinstance(value, datetime.time):
            value = value.strftime("%H:%M")
        data[name] = "" if value is None else value
    for entry in GoalData.objects.filter(note=note):
        prefix = f"goal-{entry.goal_id}-"
        data[prefix + "trials"] = json.dumps(entry.trials or [])
        data[prefix + "prompt"] = "independent"
        for name in ("count", "rating", "steps_done", "steps_total", "gas_level"):
            value = getattr(entry, name)
            data[prefix + name] = "" if value is None else value
        data[prefix + "duration"] = "" if entry.duration_seconds is None else entry.duration_seconds
        data[prefix + "comment"] = entry.comment
    data.update(changes)
    return data
