"""Evaluations and growth measurements for tests, built the way the actions build them."""

import datetime
from decimal import Decimal
from typing import Any, cast

from tandem.assessments import actions
from tandem.assessments.models import Evaluation, GrowthMeasurement
from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today

TODAY = clinic_today()  # the test clinics' date, taken once per run


def make_evaluation(child: Child, therapist: Any, **fields: Any) -> Evaluation:
    values = {
        "discipline": "ot",
        "evaluated_on": TODAY,
        "reason_for_referral": "Difficulty with buttons and pencil grasp.",
        "observations": "Tripod grasp emerging; seeks movement between tasks.",
        "strengths": "Curious, persistent, loves trains.",
        "interests": "Trains, water play",
        "summary": "Fine-motor skills below age expectations.",
        "recommendations": "Weekly OT for 12 weeks.",
        "status": "final",
    }
    values.update(fields)
    return actions.create_evaluation(therapist, child, **cast(dict[str, Any], values))


def make_growth(child: Child, days_ago: int = 0, **fields: Any) -> GrowthMeasurement:
    values: dict[str, Any] = {
        "measured_on": TODAY - datetime.timedelta(days=days_ago),
        "height_cm": Decimal("108.5"),
        "weight_kg": Decimal("18.20"),
    }
    values.update(fields)
    return actions.record_growth(child, **values)
