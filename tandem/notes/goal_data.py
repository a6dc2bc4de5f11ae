"""What a session records for each goal: the fields each measurement records, their
checks, a trial counter's step, and the session's value on the goal's own scale.

Used by the note's forms, its API and ``actions.update_note``, which saves them.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.plans.models import Goal, MeasurementType

from . import datatypes, ioa
from .models import GoalData, PromptLevel

DATA_FIELDS = (
    "trials",
    "count",
    "duration_seconds",
    "rating",
    "steps_done",
    "steps_total",
    "step_prompts",
    "observation_minutes",
    "interval_seconds",
    "intervals",
    "second_observer",
    "gas_level",
    "comment",
)
# The fields holding lists (cleared to an empty list).
LIST_FIELDS = ("trials", "step_prompts", "intervals")
INTERVAL_RECORD = ("interval_seconds", "intervals")
# What each measurement type records (besides the GAS level and a comment).
RECORDED: dict[str, tuple[str, ...]] = {
    MeasurementType.PERCENT_TRIALS: ("trials",),
    MeasurementType.FREQUENCY: ("count",),
    MeasurementType.DURATION: ("duration_seconds",),
    MeasurementType.RATING: ("rating",),
    MeasurementType.TASK_ANALYSIS: ("steps_done", "steps_total", "step_prompts"),
    MeasurementType.GAS_ONLY: (),
    MeasurementType.RATE: ("count", "observation_minutes"),
    MeasurementType.LATENCY: ("duration_seconds",),
    MeasurementType.PARTIAL_INTERVAL: INTERVAL_RECORD,
    MeasurementType.WHOLE_INTERVAL: INTERVAL_RECORD,
    MeasurementType.MOMENTARY_SAMPLING: INTERVAL_RECORD,
}
MAX_TRIALS = 200


def trial_problems(trials: Any) -> str | None:
    """What is wrong with a goal's trials (a list of {correct, prompt}), or None."""
    if not isinstance(trials, list):
        return _("Trials must be a list.")
    if len(trials) > MAX_TRIALS:
        return _("At most %(n)s trials per goal and session.") % {"n": MAX_TRIALS}
    for trial in trials:
        if (
            not isinstance(trial, dict)
            or set(trial) != {"correct", "prompt"}
            or not isinstance(trial["correct"], bool)
            or trial["prompt"] not in PromptLevel.values
        ):
            return _("Each trial is correct or not, with a prompt level.")
    return None


def goal_data_problems(entry: GoalData, goal: Goal) -> dict[str, str]:
    """Return what is wrong with one goal's data, by field."""
    errors = {}
    if (problem := trial_problems(entry.trials)) is not None:
        errors["trials"] = problem
    done, total = entry.steps_done, entry.steps_total
    if goal.measurement_type == MeasurementType.TASK_ANALYSIS:
        if done is not None and total is None:
            errors["steps_total"] = _("Give the number of steps in the task.")
        elif total is not None and total < 1:
            errors["steps_total"] = _("A task has at least one step.")
        elif done is not None and total is not None and done > total:
            errors["steps_done"] = _("Steps done cannot be more than the steps in the task.")
    errors.update(datatypes.problems(entry, goal))
    if (problem := ioa.observer_problem(entry.second_observer, goal)) is not None:
        errors["second_observer"] = problem
    return errors


def value_of(entry: GoalData, measurement_type: str) -> float | None:
    """The session's number on the goal's own scale, as progress reads it."""
    if (value := datatypes.value_of(entry, measurement_type)) is not None:
        return value
    if measurement_type == MeasurementType.PERCENT_TRIALS:
        if not entry.trials:
            return None
        correct = sum(1 for t in entry.trials if t["correct"])
        return round(100 * correct / len(entry.trials), 1)
    if measurement_type == MeasurementType.FREQUENCY:
        return None if entry.count is None else float(entry.count)
    if measurement_type == MeasurementType.DURATION:
        return None if entry.duration_seconds is None else float(entry.duration_seconds)
    if measurement_type == MeasurementType.RATING:
        return None if entry.rating is None else float(entry.rating)
    if measurement_type == MeasurementType.TASK_ANALYSIS:
        if entry.steps_done is None or not entry.steps_total:
            return None
        return round(100 * entry.steps_done / entry.steps_total, 1)
    return None


def has_data(entry: GoalData) -> bool:
    """Whether anything was recorded for the goal in this session."""
    return entry.value is not None or entry.gas_level is not None


def add_trial(trials: list[dict[str, Any]], what: str, prompt: str) -> list[dict[str, Any]]:
    """A trial counter's step: ``correct`` / ``incorrect`` adds a trial, ``undo`` drops one."""
    if what == "undo":
        return trials[:-1]
    if prompt not in PromptLevel.values:
        prompt = PromptLevel.INDEPENDENT
    return [*trials, {"correct": what == "correct", "prompt": prompt}]


def for_measurement(goal_id: Any, goal: Goal, data: dict[str, Any]) -> dict[str, Any]:
    """Refuse values the goal's measurement does not record; clear any left from before."""
    used = {*RECORDED.get(goal.measurement_type, ()), "second_observer", "gas_level", "comment"}
    for name, value in data.items():
        if name not in used and value not in (None, [], ""):
            raise ValidationError(
                {
                    f"{goal_id}.{name}": [
                        _("This goal is measured as “%(kind)s”: %(field)s does not apply.")
                        % {"kind": goal.get_measurement_type_display(), "field": name}
                    ]
                }
            )
    cleared: dict[str, Any] = {
        name: [] if name in LIST_FIELDS else None for name in DATA_FIELDS if name not in used
    }
    return datatypes.prepare(goal, {**data, **cleared})
