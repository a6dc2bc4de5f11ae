"""Plans, goals and COPM activities for tests, built the way the actions build them."""

import datetime
from typing import Any, cast

from tandem.children.models import Child
from tandem.core.testing.factories import clinic_today
from tandem.plans import actions
from tandem.plans.models import CopmActivity, Goal, Plan, PlanStatus

TODAY = clinic_today()  # the test clinics' date, taken once per run


def goal_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "domain": "fine_motor",
        "statement": "Maya will button three buttons on her coat independently.",
        "baseline": "Buttons one large button with hand-over-hand help.",
        "target_date": TODAY + datetime.timedelta(days=120),
        "measurement_type": "percent_trials",
        "mastery_value": 80,
        "mastery_sessions": 3,
        "mastery_criterion": "80 % of trials over 3 sessions",
        "gas_minus_2": "Buttons with hand-over-hand help",
        "gas_minus_1": "Buttons one button with verbal prompts",
        "gas_0": "Buttons three buttons independently",
        "gas_plus_1": "Buttons a whole coat independently",
        "gas_plus_2": "Buttons a coat and a shirt independently",
    }
    fields.update(changes)
    return fields


def make_plan(
    child: Child,
    author: Any,
    *,
    status: str = PlanStatus.ACTIVE,
    discipline: str = "ot",
    goals: int = 1,
    **fields: Any,
) -> Plan:
    plan = actions.create_plan(
        author,
        child,
        discipline=discipline,
        start_date=fields.pop("start_date", TODAY - datetime.timedelta(days=7)),
        review_date=fields.pop("review_date", TODAY + datetime.timedelta(days=180)),
        family_priorities=fields.pop("family_priorities", "Dressing for school on her own"),
        **fields,
    )
    for n in range(goals):
        actions.add_goal(plan, **goal_fields(statement=f"Goal {n + 1}: button three buttons."))
    plan.refresh_from_db()
    if status != PlanStatus.DRAFT:
        plan = actions.set_plan_status(plan, expected_version=plan.version, status="active")
    if status == PlanStatus.CLOSED:
        plan = actions.set_plan_status(plan, expected_version=plan.version, status=status)
    return plan


def make_copm(plan: Plan, **fields: Any) -> CopmActivity:
    values = {
        "activity": "Getting dressed for school",
        "importance": 9,
        "initial_date": TODAY - datetime.timedelta(days=7),
        "initial_performance": 3,
        "initial_satisfaction": 2,
    }
    values.update(fields)
    return actions.add_copm_activity(plan, **cast(dict[str, Any], values))


def first_goal(plan: Plan) -> Goal:
    return Goal.objects.filter(plan=plan).order_by("position")[0]
