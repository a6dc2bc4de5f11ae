"""Goal: a plan's goal (``tandem.plans`` Goal). Clinical staff read the SMART statement;
guardians and collaborators the family's wording, never the clinical statement."""

from typing import Any

from tandem.accounts.models import Membership
from tandem.plans.models import Domain, Goal, GoalStatus
from tandem.plans.wording import family_wording

from ..base import COMMON, Context, Spec, meta, ref
from ..search import Param

LIFECYCLE = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.MET: "completed",
    GoalStatus.ON_HOLD: "on-hold",
    GoalStatus.DISCONTINUED: "cancelled",
}
ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
DOMAINS = "urn:tandem:goal-domain"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return Goal.objects.visible_to(membership).filter(child_id__in=child_ids or [])


def render(goal: Goal, ctx: Context) -> dict[str, Any]:
    domain = str(Domain(goal.domain).label) if goal.domain in Domain.values else goal.domain
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": str(goal.pk),
        "meta": meta(goal),
        "lifecycleStatus": LIFECYCLE[GoalStatus(goal.status)],
        "category": [
            {
                "coding": [{"system": DOMAINS, "code": goal.domain, "display": domain}],
                "text": domain,
            }
        ],
        "description": {"text": goal.statement if ctx.clinical else family_wording(goal)},
        "subject": ref("Patient", goal.child_id),
        "target": [{"dueDate": goal.target_date.isoformat()}],
    }
    if goal.status == GoalStatus.MET:
        resource["achievementStatus"] = {
            "coding": [{"system": ACHIEVEMENT, "code": "achieved", "display": "Achieved"}]
        }
    if ctx.clinical:
        resource["target"][0]["measure"] = {"text": goal.mastery_criterion}
        resource["note"] = [{"text": f"Baseline: {goal.baseline}"}]
        if goal.status_reason:
            resource["statusReason"] = goal.status_reason
    return resource


SPEC = Spec(
    type="Goal",
    actions=("plans.view", "collaborators.summary"),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "lifecycle-status": Param("token", "status", codes={v: k for k, v in LIFECYCLE.items()}),
        "category": Param("token", "domain"),
        "target-date": Param("date", "target_date"),
    },
    order=("child_id", "plan_id", "position", "id"),
)
