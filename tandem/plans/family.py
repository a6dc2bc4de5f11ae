"""The plan in a family's words: areas of life instead of domains, steps instead of GAS levels.

Goal Attainment Scaling describes five levels of each goal (−2 … +2). Families read them
as steps on a path: where we started, where things are now, where we hope to get to.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Domain, MeasurementType

FAMILY_DOMAINS = {
    Domain.FINE_MOTOR: _("Using hands and fingers"),
    Domain.GROSS_MOTOR: _("Moving, balance and coordination"),
    Domain.SELF_CARE: _("Everyday care: dressing, eating, washing"),
    Domain.SENSORY: _("Handling sounds, touch and other senses"),
    Domain.COMMUNICATION: _("Talking and understanding"),
    Domain.SOCIAL: _("Playing and getting along with others"),
    Domain.EMOTIONAL_REGULATION: _("Handling big feelings"),
    Domain.FEEDING: _("Eating and drinking"),
    Domain.PLAY: _("Play"),
    Domain.SCHOOL_READINESS: _("Getting ready for school"),
}

FAMILY_STEPS = {
    -2: _("Starting point"),
    -1: _("A step on the way"),
    0: _("Where we hope to get to"),
    1: _("A bit further than we hoped"),
    2: _("Much further than we hoped"),
}

# What a goal's chart counts, said plainly (the axis label of the family's charts).
FAMILY_MEASURES = {
    MeasurementType.PERCENT_TRIALS: _("% of tries that worked"),
    MeasurementType.FREQUENCY: _("How many times"),
    MeasurementType.DURATION: _("How long (seconds)"),
    MeasurementType.RATING: _("How well (1 to 5)"),
    MeasurementType.TASK_ANALYSIS: _("% of the steps done"),
    MeasurementType.GAS_ONLY: _("Step reached"),
    MeasurementType.RATE: _("How many times a minute"),
    MeasurementType.LATENCY: _("How long before starting (seconds)"),
    MeasurementType.PARTIAL_INTERVAL: _("% of the time we saw it"),
    MeasurementType.WHOLE_INTERVAL: _("% of the time we saw it"),
    MeasurementType.MOMENTARY_SAMPLING: _("% of the time we saw it"),
}


@dataclass
class Step:
    level: int
    label: str
    description: str
    is_now: bool
    is_start: bool
    reached: bool


def area(goal: Any) -> str:
    """The area of life a goal belongs to, in a family's words."""
    return str(FAMILY_DOMAINS.get(goal.domain, goal.get_domain_display()))


def steps(goal: Any) -> list[Step]:
    """A goal's five GAS levels as steps, lowest first, marking the start and where it is now.

    ``goal.current_level`` (set by ``reading.describe``) is the latest level from signed
    session notes, else the baseline.
    """
    now = getattr(goal, "current_level", goal.gas_baseline)
    return [
        Step(
            level=level,
            label=str(FAMILY_STEPS[level]),
            description=goal.gas_description(level),
            is_now=level == now,
            is_start=level == goal.gas_baseline,
            reached=level <= now,
        )
        for level in (-2, -1, 0, 1, 2)
    ]


def for_family(goals: list[Any]) -> list[Any]:
    """Goals as a family reads them: discontinued ones left out, the family's priorities
    first (1 = most important), each with its area and steps attached."""
    shown = [g for g in goals if g.status != "discontinued"]
    shown.sort(key=lambda g: (g.family_priority is None, g.family_priority or 0))
    for goal in shown:
        goal.family_area = area(goal)
        goal.family_steps = steps(goal)
        goal.now_step = next(s for s in goal.family_steps if s.is_now)
    return shown
