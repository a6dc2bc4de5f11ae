"""The demo children's weekly session notes, written as their therapists would have.

Each goal's values follow its ``course`` (see ``demo.shapes.DemoGoal``), one seeded generator per
goal, so every build writes the same notes; the SOAP text is composed from the data.
Goal data are recorded while the note is a draft and only then is it signed: a signed
note is locked (on PostgreSQL by a trigger too).
"""

import math
import random
from datetime import date, timedelta
from typing import Any

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.demo.clinical import SEED, Catalogue, goal_fields, written
from tandem.demo.shapes import Care, DemoGoal
from tandem.notes import actions as notes
from tandem.notes import cosigning
from tandem.notes.models import Location, PromptLevel, Regulation
from tandem.plans import actions as plans
from tandem.plans.models import Domain, Goal, MeasurementType, Plan

TRIALS = 10  # trials per percent-of-trials goal and session


def session_days(care: Care, today: date) -> list[date]:
    """Weekly session dates on the child's weekday, the latest two to eight days ago."""
    last = today - timedelta(days=2)
    last -= timedelta(days=(last.weekday() - care.weekday) % 7)
    return [last - timedelta(weeks=weeks) for weeks in range(care.weeks - 1, -1, -1)]


def write_sessions(
    book: Catalogue,
    child: Child,
    care: Care,
    plan: Plan,
    goals: dict[DemoGoal, Goal],
    days: list[date],
    lead: Membership,
    assistant: Membership | None,
) -> None:
    """One note a week: goal data first, then the signature (signed notes are locked)."""
    rng = random.Random(f"{SEED}-notes-{child.first_name}")
    courses = {
        spec: planned_values(
            spec, spec.added_weeks_ago or len(days), f"{child.first_name}-{spec.short}"
        )
        for spec in care.goals
    }
    history: dict[DemoGoal, list[float]] = {spec: [] for spec in care.goals}
    last = len(days) - 1
    for index, day in enumerate(days):
        for spec in care.goals:
            if spec.added_weeks_ago and index == len(days) - spec.added_weeks_ago:
                fields = goal_fields(book, spec, child, plan.review_date)
                at = written(book.at(day, "08:30"))
                goals[spec] = plans.add_goal(plan, at=at, **fields)
        worked = [spec for spec in care.goals if spec in goals]
        readings = {}
        for spec in worked:
            readings[spec] = courses[spec][len(history[spec])]
            history[spec].append(readings[spec])
        by_assistant = (
            assistant and care.assistant_every and (last - index) % care.assistant_every == 0
        )
        author = assistant if by_assistant else lead
        assert author is not None
        status = care.last_note if index == last else "signed"
        late = index > last - 6
        fields = note_fields(book, care, day, index, late, rng, worked, history, status)
        data = {goals[spec].id: goal_data(spec, readings[spec], late, rng) for spec in worked}
        at = written(book.at(day, care.start, care.minutes + 75))
        worked_on = [goals[spec] for spec in worked]
        note = notes.create_note(author, child, goals=worked_on, at=at, **fields)
        note = notes.update_note(note, author, expected_version=note.version, goal_data=data, at=at)
        if status != "draft":
            note = notes.sign_note(note, author, expected_version=note.version, at=at)
        if author.is_assistant and author.supervisor and status == "signed":
            cosigned = written(book.at(day + timedelta(days=1), "08:45"))
            cosigning.cosign_note(note, author.supervisor, at=cosigned)
        after, text = care.addendum
        if text and index == last - after:
            notes.add_addendum(
                note, author, text, at=written(book.at(day + timedelta(days=2), "09:10"))
            )


def quantum(spec: DemoGoal) -> float:
    """The smallest step of the goal's measure."""
    if spec.measurement == MeasurementType.PERCENT_TRIALS:
        return 100 / TRIALS
    if spec.measurement == MeasurementType.TASK_ANALYSIS:
        return 100 / spec.steps
    if spec.measurement == MeasurementType.DURATION:
        return 5
    return 1


SHAPES = {  # the last session values of a plateau and a regression, in steps of the measure
    "plateau": (0, 1, 0, 0, 1, 0),
    "regression": (0, -1, -2, -3, -3, -4),
}


def planned_values(spec: DemoGoal, count: int, seed: str) -> list[float]:
    """The goal's value at each of its sessions, following its course.

    "improve" climbs from start to end over all sessions; "master" reaches end three
    quarters of the way and holds it; "plateau" climbs, then stays level for the last
    eight sessions; "regression" climbs to end, then falls over the last five. A little
    noise is added while climbing, never at the first or the peak.
    """
    rng = random.Random(f"{SEED}-{seed}")
    step = quantum(spec)
    climb = {
        "improve": count,
        "master": max(2, round(count * 0.75)),
        "plateau": count - 8,
        "regression": count - 6,
    }[spec.course]
    spread = max(step, abs(spec.end - spec.start) * 0.08)
    values = []
    for index in range(count):
        share = min(index / max(climb - 1, 1), 1.0)
        value = spec.start + (spec.end - spec.start) * share
        if 0 < index < climb - 1 and spec.measurement != MeasurementType.GAS_ONLY:
            value += spread * rng.choice((-1, 0, 0, 0, 0, 1))
        values.append(value)
    shape = SHAPES.get(spec.course)
    if shape:
        better = -1 if spec.lower_is_better else 1
        for offset, steps in enumerate(shape):
            values[count - len(shape) + offset] = spec.end + better * steps * step
    return [snap(spec, value) for value in values]


SCALES: dict[str, tuple[float, float]] = {  # bounded measures; counts and seconds have no top
    MeasurementType.PERCENT_TRIALS: (0.0, 100.0),
    MeasurementType.TASK_ANALYSIS: (0.0, 100.0),
    MeasurementType.RATING: (1.0, 5.0),
}


def snap(spec: DemoGoal, value: float) -> float:
    """Round a value to the measure's steps and keep it on the scale."""
    if spec.measurement == MeasurementType.GAS_ONLY:
        return float(max(-2, min(2, round(value))))
    step = quantum(spec)
    low, high = SCALES.get(spec.measurement, (0.0, math.inf))
    return max(low, min(high, round(value / step) * step))


def gas_level(spec: DemoGoal, value: float) -> int:
    """The GAS level a value reaches: −2 near the baseline, 0 at mastery, above it +1, +2."""
    if spec.measurement == MeasurementType.GAS_ONLY or spec.mastery is None:
        return int(value)
    share = (value - spec.start) / (spec.mastery - spec.start)
    for level, below in ((-2, 0.35), (-1, 0.9), (0, 1.25), (1, 1.6)):
        if share < below:
            return level
    return 2


MOTOR = {Domain.FINE_MOTOR, Domain.GROSS_MOTOR, Domain.SELF_CARE, Domain.FEEDING}


def goal_data(spec: DemoGoal, value: float, late: bool, rng: random.Random) -> dict[str, Any]:
    """The note's entry for one goal, in the fields its measurement type records."""
    data: dict[str, Any] = {"gas_level": gas_level(spec, value)}
    if spec.comment and late:
        data["comment"] = spec.comment
    kind = spec.measurement
    if kind == MeasurementType.PERCENT_TRIALS:
        data["trials"] = trials(spec, value, rng)
    elif kind == MeasurementType.FREQUENCY:
        data["count"] = int(value)
    elif kind == MeasurementType.DURATION:
        data["duration_seconds"] = int(value)
    elif kind == MeasurementType.RATING:
        data["rating"] = int(value)
    elif kind == MeasurementType.TASK_ANALYSIS:
        data["steps_done"] = round(value * spec.steps / 100)
        data["steps_total"] = spec.steps
    return data


def trials(spec: DemoGoal, value: float, rng: random.Random) -> list[dict[str, Any]]:
    """Ten trials, ``value`` percent correct; more of the correct ones independent as the
    skill grows, the rest with the goal's usual prompt."""
    correct = round(value * TRIALS / 100)
    progress = 0.0 if spec.mastery is None else max(0.0, min(1.0, value / spec.mastery))
    independent = round(correct * progress)
    prompt = PromptLevel.PARTIAL_PHYSICAL if spec.domain in MOTOR else PromptLevel.VERBAL
    made = (
        [{"correct": True, "prompt": str(PromptLevel.INDEPENDENT)}] * independent
        + [{"correct": True, "prompt": str(prompt)}] * (correct - independent)
        + [{"correct": False, "prompt": str(prompt)}] * (TRIALS - correct)
    )
    rng.shuffle(made)
    return [dict(trial) for trial in made]


MOODS = ("cheerful", "chatty", "tired after school", "playful", "quiet at first, then warmed up")
REGULATION = (Regulation.CALM, Regulation.ALERT, Regulation.ALERT, Regulation.CALM, Regulation.HIGH)
SETBACK = (Regulation.ANXIOUS, Regulation.DYSREGULATED, Regulation.HIGH)


def note_fields(
    book: Catalogue,
    care: Care,
    day: date,
    index: int,
    late: bool,
    rng: random.Random,
    worked: list[DemoGoal],
    history: dict[DemoGoal, list[float]],
    status: str,
) -> dict[str, Any]:
    """The SOAP note of one session, written from its goal data."""
    start = book.at(day, care.start)
    setback = late and bool(care.late_reports)
    reports = care.late_reports if setback else care.reports
    tele = care.teletherapy_every and index % care.teletherapy_every == care.teletherapy_every - 1
    activities = [care.activities[(index + k) % len(care.activities)] for k in range(2)]
    return {
        "date": day,
        "start_time": start.time(),
        "end_time": (start + timedelta(minutes=care.minutes)).time(),
        "location": Location.TELETHERAPY if tele else care.location,
        "subjective": reports[index % len(reports)],
        "objective": "\n".join(observed(spec, history[spec][-1]) for spec in worked),
        "assessment": "" if status == "draft" else assessment(worked, history),
        "plan_next": "" if status == "draft" else f"Continue the plan. Home: {care.home_practice}",
        "activities": "; ".join(activities),
        "child_chosen_activities": care.chosen[index % len(care.chosen)],
        "regulation": SETBACK[index % 3] if setback else rng.choice(REGULATION),
        "mood": "unsettled" if setback else rng.choice(MOODS),
        "engagement": rng.choice((2, 3)) if setback else rng.choice((3, 4, 4, 5, 5)),
    }


def observed(spec: DemoGoal, value: float) -> str:
    """One line of the objective section: what was measured for the goal."""
    level = gas_level(spec, value)
    gas = f"GAS {level:+d}" if level else "GAS 0"
    kind = spec.measurement
    if kind == MeasurementType.PERCENT_TRIALS:
        what = f"{round(value * TRIALS / 100)}/{TRIALS} trials correct"
    elif kind == MeasurementType.FREQUENCY:
        what = f"{int(value)} {spec.unit}"
    elif kind == MeasurementType.DURATION:
        minutes, seconds = divmod(int(value), 60)
        what = f"{minutes} min" if minutes else ""
        what = f"{what} {seconds} s".strip() if seconds or not minutes else what
    elif kind == MeasurementType.RATING:
        what = f"rated {int(value)} of 5"
    elif kind == MeasurementType.TASK_ANALYSIS:
        what = f"{round(value * spec.steps / 100)} of {spec.steps} steps independently"
    else:  # GAS only: the level's own description
        what = spec.gas[level + 2].lower() if spec.gas else "see the GAS level"
    return f"{spec.short}: {what} ({gas})."


def assessment(worked: list[DemoGoal], history: dict[DemoGoal, list[float]]) -> str:
    """Name the goals that gained, held or dropped against the three sessions before."""
    groups: dict[str, list[str]] = {"gain": [], "steady": [], "drop": []}
    for spec in worked:
        values = history[spec]
        if len(values) < 2:
            groups["steady"].append(spec.short)
            continue
        before = values[-4:-1]
        change = (values[-1] - sum(before) / len(before)) * (-1 if spec.lower_is_better else 1)
        if change > quantum(spec) / 2:
            groups["gain"].append(spec.short)
        elif change < -quantum(spec) / 2:
            groups["drop"].append(spec.short)
        else:
            groups["steady"].append(spec.short)
    parts = []
    if groups["gain"]:
        parts.append(f"Gains in {join(groups['gain'])}.")
    if groups["steady"]:
        parts.append(f"{join(groups['steady'])}: steady.")
    if groups["drop"]:
        parts.append(f"{join(groups['drop'])}: below recent sessions; watch next week.")
    return " ".join(parts)


def join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
