"""The behavior-analytic data types a goal can record, beside trials and single numbers.

- **Task analysis with steps**: the goal lists its steps (``Goal.task_steps``) and how
  they are chained; a session records each step's prompt level (``step_prompts``,
  "" for a step not scored that session). The value is the percentage of scored steps
  done independently.
- **Rate**: a count over the minutes observed; the value is responses per minute.
- **Latency**: seconds from the cue to the response (``duration_seconds``).
- **Interval recording** (partial interval, whole interval, momentary time sampling):
  each interval's length and whether the behavior was scored in it; the value is the
  percentage of intervals scored.

Pure functions: ``goal_data.py`` calls them to check an entry and compute its value.
The rules are written up in ``docs/progress-rules.md``.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from tandem.core.numbers import for_people
from tandem.plans.models import MeasurementType

from .models import PromptLevel

M = MeasurementType
INTERVAL_TYPES = frozenset({M.PARTIAL_INTERVAL, M.WHOLE_INTERVAL, M.MOMENTARY_SAMPLING})
MAX_INTERVALS = 720  # two hours of 10-second intervals
MAX_INTERVAL_SECONDS = 3600
MAX_MINUTES = 1440.0
# A step counts as done when it was done at this prompt level (see progress-rules.md).
TARGET_PROMPT = PromptLevel.INDEPENDENT


def step_counts(step_prompts: Sequence[Any]) -> tuple[int, int]:
    """(steps done independently, steps scored) from each step's prompt level."""
    scored = [p for p in step_prompts if p in PromptLevel.values]
    return sum(1 for p in scored if p == TARGET_PROMPT), len(scored)


def step_percent(step_prompts: Sequence[Any]) -> float | None:
    """Percent of the scored steps done independently (None when no step was scored)."""
    done, scored = step_counts(step_prompts)
    return round(100 * done / scored, 1) if scored else None


def rate(count: int | None, minutes: float | None) -> float | None:
    """Responses per minute, to two decimals (None without both numbers)."""
    if count is None or not minutes:
        return None
    return round(count / minutes, 2)


def interval_percent(intervals: Sequence[Any]) -> float | None:
    """Percent of the intervals in which the behavior was scored."""
    if not intervals:
        return None
    return round(100 * sum(1 for i in intervals if i is True) / len(intervals), 1)


def value_of(entry: Any, kind: str) -> float | None:
    """The value of the new types (None: not one of them, or nothing recorded)."""
    if kind == M.TASK_ANALYSIS and entry.step_prompts:
        return step_percent(entry.step_prompts)
    if kind == M.RATE:
        return rate(entry.count, entry.observation_minutes)
    if kind == M.LATENCY:
        return None if entry.duration_seconds is None else float(entry.duration_seconds)
    if kind in INTERVAL_TYPES:
        return interval_percent(entry.intervals)
    return None


def steps_problem(step_prompts: Any, steps: Sequence[str]) -> str | None:
    """What is wrong with a session's per-step prompt levels for the goal's steps."""
    if not isinstance(step_prompts, list):
        return _("The steps must be a list of prompt levels.")
    if not step_prompts:
        return None
    if not steps:
        return _("This goal lists no steps: record the steps done and the steps in the task.")
    if len(step_prompts) != len(steps):
        return _("Give a prompt level (or none) for each of the %(n)s steps.") % {"n": len(steps)}
    if any(p != "" and p not in PromptLevel.values for p in step_prompts):
        return _("Each step is scored with a prompt level, or left empty.")
    return None


def intervals_problem(intervals: Any, seconds: int | None) -> str | None:
    """What is wrong with an interval record, or None."""
    if not isinstance(intervals, list) or any(not isinstance(i, bool) for i in intervals):
        return _("Intervals are a list of yes/no (the behavior was scored or not).")
    if len(intervals) > MAX_INTERVALS:
        return _("At most %(n)s intervals per goal and session.") % {"n": MAX_INTERVALS}
    if intervals and not seconds:
        return _("Give the length of an interval in seconds.")
    if seconds is not None and not 1 <= seconds <= MAX_INTERVAL_SECONDS:
        return _("An interval lasts from 1 second to an hour.")
    return None


def problems(entry: Any, goal: Any) -> dict[str, str]:
    """What is wrong with the new types' fields of one goal's data, by field."""
    kind, errors = goal.measurement_type, {}
    if kind == M.TASK_ANALYSIS:
        if (problem := steps_problem(entry.step_prompts, goal.step_list)) is not None:
            errors["step_prompts"] = problem
    elif kind == M.RATE:
        minutes = entry.observation_minutes
        if minutes is not None and not 0 < minutes <= MAX_MINUTES:
            errors["observation_minutes"] = _("Observed minutes are more than 0, at most 1440.")
        elif entry.count is not None and minutes is None:
            errors["observation_minutes"] = _("Give the minutes observed to compute the rate.")
    elif kind in INTERVAL_TYPES and (
        problem := intervals_problem(entry.intervals, entry.interval_seconds)
    ):
        errors["intervals"] = problem
    return errors


def prepare(goal: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Fields derived before saving: a stepped task's steps done and steps scored."""
    prompts = data.get("step_prompts")
    if goal.measurement_type == M.TASK_ANALYSIS and isinstance(prompts, list) and prompts:
        done, scored = step_counts(prompts)
        return {**data, "steps_done": done, "steps_total": scored or None}
    return data


def parse_intervals(text: str) -> list[bool]:
    """Intervals typed as 1/0 (or +/−, x/-): "1101" → [True, True, False, True]."""
    marks = {"1": True, "+": True, "x": True, "y": True, "0": False, "-": False, "n": False}
    found = []
    for char in text.replace("−", "-").lower():
        if char in " ,":
            continue
        if char not in marks:
            raise ValueError(char)
        found.append(marks[char])
    return found


def format_intervals(intervals: Sequence[bool]) -> str:
    return "".join("1" if i else "0" for i in intervals)


def summary(entry: Any) -> str:
    """One line for the note's pages about the new types ("" when not one of them)."""
    kind = entry.goal.measurement_type
    if kind == M.TASK_ANALYSIS and entry.step_prompts and entry.value is not None:
        return _("%(done)s of %(total)s steps independent (%(percent)s %%)") % {
            "done": entry.steps_done,
            "total": entry.steps_total,
            "percent": for_people(entry.value),
        }
    if kind == M.RATE and entry.value is not None:
        return _("%(n)s in %(minutes)s min: %(rate)s a minute") % {
            "n": entry.count,
            "minutes": for_people(entry.observation_minutes),
            "rate": for_people(entry.value),
        }
    if kind == M.LATENCY and entry.value is not None:
        return _("Latency: %(s)s s") % {"s": for_people(entry.value)}
    if kind in INTERVAL_TYPES and entry.value is not None:
        return _("Scored in %(k)s of %(n)s intervals of %(s)s s (%(percent)s %%)") % {
            "k": sum(1 for i in entry.intervals if i),
            "n": len(entry.intervals),
            "s": entry.interval_seconds,
            "percent": for_people(entry.value),
        }
    return ""


def with_ioa(line: str, entry: Any) -> str:
    """The line, with the agreement with a second observer when there is one."""
    from .ioa import for_entry  # ioa.py builds on this module's checks

    found = for_entry(entry, entry.goal.measurement_type)
    if found is None or found[1] is None:
        return line
    return _("%(line)s · IOA with %(observer)s: %(percent)s %%") % {
        "line": line,
        "observer": entry.second_observer.get("observer", ""),
        "percent": for_people(found[1]),
    }
