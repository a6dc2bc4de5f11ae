"""Inter-observer agreement (IOA): how closely a second observer's data match the first's.

The standard formulas (Cooper, Heron & Heward, *Applied Behavior Analysis*, 3rd ed.,
ch. 5, "Improving and Assessing the Quality of Behavioral Measurement"):

- total count IOA = smaller count ÷ larger count × 100;
- mean count-per-interval IOA = the mean over intervals of (smaller ÷ larger), × 100
  (an interval where both counted 0 agrees fully);
- exact count-per-interval IOA = intervals with the same count ÷ intervals × 100;
- trial-by-trial and interval-by-interval IOA = agreements ÷ (agreements +
  disagreements) × 100;
- scored-interval / unscored-interval IOA: interval-by-interval over only the intervals
  either observer scored (did not score);
- total duration IOA = shorter duration ÷ longer duration × 100.

Each returns a percentage to one decimal, or None when it cannot be computed (records
of different lengths, nothing to compare). Two observers who both saw nothing agree
(100 %). ``for_entry`` picks the formula that fits a goal's measurement.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from tandem.plans.models import MeasurementType

from .datatypes import steps_problem

M = MeasurementType


def _percent(part: float, whole: float) -> float:
    return round(100 * part / whole, 1)


def total_count(a: float | None, b: float | None) -> float | None:
    """Smaller ÷ larger × 100 (counts, or steps done)."""
    if a is None or b is None:
        return None
    if a == b:
        return 100.0
    return _percent(min(a, b), max(a, b))


def total_duration(a: float | None, b: float | None) -> float | None:
    """Shorter ÷ longer × 100."""
    return total_count(a, b)


def mean_count_per_interval(a: Sequence[int], b: Sequence[int]) -> float | None:
    """The mean of each interval's smaller ÷ larger count, × 100."""
    if len(a) != len(b) or not a:
        return None
    ratios = [1.0 if x == y else min(x, y) / max(x, y) for x, y in zip(a, b, strict=True)]
    return _percent(sum(ratios), len(ratios))


def exact_count_per_interval(a: Sequence[int], b: Sequence[int]) -> float | None:
    """Intervals in which both observers recorded the same count ÷ intervals × 100."""
    if len(a) != len(b) or not a:
        return None
    return _percent(sum(1 for x, y in zip(a, b, strict=True) if x == y), len(a))


def item_by_item(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Trial-by-trial or interval-by-interval: agreements ÷ (agreements + disagreements)."""
    if len(a) != len(b) or not a:
        return None
    agreements = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    return _percent(agreements, len(a))


def scored_interval(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Interval-by-interval over the intervals either observer scored."""
    if len(a) != len(b):
        return None
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x or y]
    return item_by_item([x for x, _ in pairs], [y for _, y in pairs]) if pairs else None


def unscored_interval(a: Sequence[bool], b: Sequence[bool]) -> float | None:
    """Interval-by-interval over the intervals either observer left unscored."""
    if len(a) != len(b):
        return None
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not x or not y]
    return item_by_item([x for x, _ in pairs], [y for _, y in pairs]) if pairs else None


def scored_steps(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Trial-by-trial over the task steps at least one observer scored.

    A step neither observer scored ("") was not taught that session: it is left out,
    not counted as an agreement. None if no step is left.
    """
    if len(a) != len(b):
        return None
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x or y]
    return item_by_item([x for x, _ in pairs], [y for _, y in pairs]) if pairs else None


INTERVAL_TYPES = (M.PARTIAL_INTERVAL, M.WHOLE_INTERVAL, M.MOMENTARY_SAMPLING)
# The formula used for each measurement (its name as the note shows it).
METHODS: dict[str, str] = {
    M.PERCENT_TRIALS: "trial_by_trial",
    M.TASK_ANALYSIS: "trial_by_trial",
    M.FREQUENCY: "total_count",
    M.RATE: "total_count",
    M.DURATION: "total_duration",
    M.LATENCY: "total_duration",
    **dict.fromkeys(INTERVAL_TYPES, "interval_by_interval"),
}


def for_entry(entry: Any, kind: str) -> tuple[str, float | None] | None:
    """(formula, IOA %) of a goal's data against its second observer's, or None.

    ``entry.second_observer`` holds the second observer's record in the same fields as
    the entry (``trials``, ``count``, ``duration_seconds``, ``intervals``,
    ``step_prompts``, ``steps_done``).
    """
    other = getattr(entry, "second_observer", None) or {}
    method = METHODS.get(kind)
    if not other or method is None:
        return None
    if kind == M.PERCENT_TRIALS:
        mine = [t["correct"] for t in entry.trials or []]
        theirs = [t.get("correct") for t in other.get("trials") or []]
        return method, item_by_item(mine, theirs)
    if kind == M.TASK_ANALYSIS:
        if entry.step_prompts and other.get("step_prompts"):  # step by step, prompt levels
            return method, scored_steps(entry.step_prompts, other.get("step_prompts") or [])
        return "total_count", total_count(entry.steps_done, other.get("steps_done"))
    if kind in (M.FREQUENCY, M.RATE):
        return method, total_count(entry.count, other.get("count"))
    if kind in (M.DURATION, M.LATENCY):
        return method, total_duration(entry.duration_seconds, other.get("duration_seconds"))
    return method, item_by_item(entry.intervals or [], other.get("intervals") or [])


# What a second observer records, by measurement (besides their name).
RECORDS: dict[str, tuple[str, ...]] = {
    M.PERCENT_TRIALS: ("trials",),
    M.TASK_ANALYSIS: ("step_prompts", "steps_done"),
    M.FREQUENCY: ("count",),
    M.RATE: ("count",),
    M.DURATION: ("duration_seconds",),
    M.LATENCY: ("duration_seconds",),
    **dict.fromkeys(INTERVAL_TYPES, ("intervals",)),
}
MAX_ITEMS = 720


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100000


def observer_problem(other: Any, goal: Any) -> str | None:
    """What is wrong with a second observer's record for this goal, or None."""
    if other in ({}, None):
        return None
    kind = goal.measurement_type
    allowed = RECORDS.get(kind)
    if allowed is None:
        return _("Inter-observer agreement is not computed for this measurement.")
    if not isinstance(other, dict) or set(other) - {"observer", *allowed}:
        return _("The second observer records what this goal measures, and nothing else.")
    observer = other.get("observer")
    if not isinstance(observer, str) or not observer.strip() or len(observer) > 100:
        return _("Name the second observer (at most 100 characters).")
    for name in allowed:
        value = other.get(name)
        if value is None:
            continue
        if name in ("count", "duration_seconds", "steps_done") and not _whole(value):
            return _("Counts and seconds are whole numbers, 0 or more.")
        if name in ("trials", "intervals", "step_prompts") and (
            not isinstance(value, list) or len(value) > MAX_ITEMS
        ):
            return _("The second observer's record is a list of at most 720 items.")
        if name == "trials" and any(
            not isinstance(t, dict) or not isinstance(t.get("correct"), bool) for t in value
        ):
            return _("Each of the second observer's trials is correct or not.")
        if name == "intervals" and any(not isinstance(i, bool) for i in value):
            return _("Each of the second observer's intervals is scored or not.")
        if name == "step_prompts" and (problem := steps_problem(value, goal.step_list)):
            return problem
    return None


def from_typed(kind: str, observer: str, typed: str, seconds: int | None) -> dict[str, Any]:
    """A second observer's record as typed in the editor: 1/0 a trial or an interval
    ("1101"), a count, or seconds (``seconds``, already read from "2:30"). Raises
    ValueError for text that is none of these."""
    from .datatypes import parse_intervals

    typed = typed.strip()
    if not observer.strip() and not typed:
        return {}
    record: dict[str, Any] = {"observer": observer.strip()}
    if not typed:
        return record
    if kind == M.PERCENT_TRIALS:
        record["trials"] = [{"correct": mark} for mark in parse_intervals(typed)]
    elif kind in INTERVAL_TYPES:
        record["intervals"] = parse_intervals(typed)
    elif kind in (M.DURATION, M.LATENCY):
        record["duration_seconds"] = seconds
    elif kind in (M.FREQUENCY, M.RATE):
        record["count"] = int(typed)
    elif kind == M.TASK_ANALYSIS:
        record["steps_done"] = int(typed)
    return record


def as_typed(kind: str, record: dict[str, Any]) -> str:
    """The record as the editor shows it (the reverse of ``from_typed``)."""
    if "trials" in record:
        return "".join("1" if t.get("correct") else "0" for t in record["trials"])
    if "intervals" in record:
        return "".join("1" if i else "0" for i in record["intervals"])
    for name in ("count", "steps_done", "duration_seconds"):
        if record.get(name) is not None:
            return str(record[name])
    return ""
