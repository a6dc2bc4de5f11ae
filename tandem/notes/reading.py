"""What the note pages and the API read: the child's notes, one note with its data and addenda.

A constant number of queries whatever the number of notes, goals and addenda:
the index is one page query (goal counts annotated) and the note one query each
for its goal data (with the goals) and its addenda (with their authors).
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.plans.models import MeasurementType

from . import actions, datatypes
from .access import addenda_of, note_goal_data, notes_of, returns_of
from .forms import format_duration, gas_levels
from .models import Addendum, CosignReturn, GoalData, NoteStatus, PromptLevel, SessionNote


def notes_for_index(membership: Membership, child: Child) -> QuerySet[SessionNote]:
    """The child's notes, newest first, with their authors and how many goals each records."""
    # A subquery, not a join: a page's count query then reads no goal data at all.
    counts = (
        GoalData.objects.filter(organization_id=membership.organization_id, note=OuterRef("pk"))
        .values("note")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        notes_of(membership, child)
        .select_related("author__user")
        .annotate(goal_count=Coalesce(Subquery(counts), 0))
        .order_by("-date", "-start_time", "-created_at")
    )


@dataclass
class Tally:
    """A trial counter: how many trials, how many correct, at which prompt levels."""

    total: int = 0
    correct: int = 0
    prompts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        return round(100 * self.correct / self.total, 1) if self.total else None


def tally(trials: list[dict[str, Any]]) -> Tally:
    labels = dict(PromptLevel.choices)
    by_prompt = Counter(t["prompt"] for t in trials)
    return Tally(
        total=len(trials),
        correct=sum(1 for t in trials if t["correct"]),
        prompts=[(str(labels[p]), by_prompt[p]) for p in PromptLevel.values if by_prompt[p]],
    )


def summary(entry: GoalData) -> str:
    """One line saying what was recorded for the goal, on its own scale (and the
    agreement with a second observer, if one recorded it too)."""
    return datatypes.with_ioa(datatypes.summary(entry) or _summary(entry), entry)


def _summary(entry: GoalData) -> str:
    kind = entry.goal.measurement_type
    if kind == MeasurementType.PERCENT_TRIALS and entry.trials:
        counted = tally(entry.trials)
        return _("%(correct)s of %(total)s trials correct (%(percent)s %%)") % {
            "correct": counted.correct,
            "total": counted.total,
            "percent": counted.percent,
        }
    if kind == MeasurementType.FREQUENCY and entry.count is not None:
        return _("Count: %(n)s") % {"n": entry.count}
    if kind == MeasurementType.DURATION and entry.duration_seconds is not None:
        return _("Duration: %(d)s") % {"d": format_duration(entry.duration_seconds)}
    if kind == MeasurementType.RATING and entry.rating is not None:
        return _("Rating: %(n)s of 5") % {"n": entry.rating}
    if kind == MeasurementType.TASK_ANALYSIS and entry.value is not None:
        return _("%(done)s of %(total)s steps (%(percent)s %%)") % {
            "done": entry.steps_done,
            "total": entry.steps_total,
            "percent": entry.value,
        }
    if kind == MeasurementType.GAS_ONLY:
        return ""
    return _("No data recorded")


def describe_entry(entry: GoalData) -> GoalData:
    """Attach what pages show about one goal's data: summary, tally, GAS level in words."""
    shown: Any = entry
    shown.summary = summary(entry)
    shown.tally = tally(entry.trials or [])
    shown.trials_json = json.dumps(entry.trials or [])
    levels = dict(gas_levels(entry.goal))
    shown.gas_text = levels.get(entry.gas_level, "") if entry.gas_level is not None else ""
    return entry


@dataclass
class NoteView:
    """A note with everything its pages show, and what the viewer may do with it."""

    note: SessionNote
    entries: list[GoalData]
    addenda: list[Addendum]
    intact: bool
    can_edit: bool
    can_cosign: bool
    can_add_addendum: bool
    units: int
    # Send-backs by the supervisor (staff only), the one still open, and who may act on it.
    returns: list[CosignReturn] = field(default_factory=list)
    open_return: CosignReturn | None = None
    can_send_back: bool = False
    can_resubmit: bool = False


def read_note(membership: Membership, note: SessionNote) -> NoteView:
    """Load a note's goal data and addenda (two queries) and what the member may do."""
    entries = [describe_entry(e) for e in note_goal_data(membership, note)]
    addenda = list(
        addenda_of(membership, note.child).filter(note=note).select_related("author__user")
    )
    returns: list[CosignReturn] = []
    # Only an assistant's note is ever sent back: others cost no query.
    if note.status == NoteStatus.AWAITING_COSIGN or note.cosigned_at is not None:
        returns = list(returns_of(membership, note).select_related("returned_by__user"))
    waiting = next((r for r in returns if r.is_open), None)
    awaiting = note.status == NoteStatus.AWAITING_COSIGN

    def may(action: str) -> bool:
        return allows(membership, action, obj=note)

    return NoteView(
        note=note,
        entries=entries,
        addenda=addenda,
        intact=actions.is_intact(note, entries, addenda) if note.is_locked else False,
        can_edit=not note.is_locked and may("notes.edit_draft"),
        can_cosign=awaiting and may("notes.cosign"),
        can_add_addendum=note.is_locked and may("notes.addendum"),
        units=actions.billable_units(note.minutes),
        returns=returns,
        open_return=waiting,
        can_send_back=awaiting and waiting is None and may("notes.send_back"),
        can_resubmit=awaiting and waiting is not None and may("notes.resubmit"),
    )
