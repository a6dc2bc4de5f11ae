"""The note API's schema parts for the behavior-analytic data types: a second
observer's record and the inter-observer agreement computed from it (``ioa.py``)."""

from typing import Any, Literal

from ninja import Field, Schema

from tandem.api.schemas import InputSchema
from tandem.plans.models import MAX_TASK_STEPS

from . import ioa
from .models import GoalData

# The prompt levels as plain string literals (tests/test_api.py checks the models' choices).
PromptValue = Literal[
    "independent", "gestural", "verbal", "model", "partial_physical", "full_physical"
]


class SecondObserverOut(Schema):
    observer: str
    trials: list[dict[str, Any]] | None = None
    count: int | None = None
    duration_seconds: int | None = None
    steps_done: int | None = None
    step_prompts: list[str] | None = None
    intervals: list[bool] | None = None


class IoaOut(Schema):
    method: str = Field(
        description="total_count, total_duration, trial_by_trial or interval_by_interval"
    )
    percent: float | None = Field(description="IOA %; null when the records cannot be paired")


class SecondObserverTrialIn(InputSchema):
    correct: bool


class SecondObserverIn(InputSchema):
    """A second observer's record of the same goal, for inter-observer agreement: the
    fields the goal's measurement records (the others are refused)."""

    observer: str = Field(min_length=1, max_length=100, description="Who observed")
    trials: list[SecondObserverTrialIn] | None = Field(None, max_length=ioa.MAX_ITEMS)
    count: int | None = Field(None, ge=0, le=100000)
    duration_seconds: int | None = Field(None, ge=0, le=86400)
    steps_done: int | None = Field(None, ge=0, le=500)
    step_prompts: list[PromptValue | Literal[""]] | None = Field(None, max_length=MAX_TASK_STEPS)
    intervals: list[bool] | None = Field(None, max_length=ioa.MAX_ITEMS)


def ioa_out(entry: GoalData) -> dict[str, Any] | None:
    found = ioa.for_entry(entry, entry.goal.measurement_type)
    return None if found is None else {"method": found[0], "percent": found[1]}


class AbcOut(Schema):
    time: str
    antecedent: str
    behavior: str
    consequence: str
