"""CarePlan: a child's treatment plan (``tandem.plans`` Plan), with its goals."""

from typing import Any

from django.db.models import Prefetch

from tandem.accounts.models import Membership
from tandem.plans.models import Goal, Plan, PlanStatus

from ..base import COMMON, Context, Spec, meta, ref
from ..search import Param

STATUS = {PlanStatus.DRAFT: "draft", PlanStatus.ACTIVE: "active", PlanStatus.CLOSED: "completed"}
DISCIPLINES = "urn:tandem:discipline"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        Plan.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [])
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.visible_to(membership)))
    )


def render(plan: Plan, ctx: Context) -> dict[str, Any]:
    label = str(plan.get_discipline_display())
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "meta": meta(plan),
        "status": STATUS[PlanStatus(plan.status)],
        "intent": "plan",
        "category": [
            {
                "coding": [{"system": DISCIPLINES, "code": plan.discipline, "display": label}],
                "text": label,
            }
        ],
        "title": f"{label} plan",
        "subject": ref("Patient", plan.child_id),
        "period": {"start": plan.start_date.isoformat(), "end": plan.review_date.isoformat()},
        "created": plan.created_at.date().isoformat(),
    }
    if ctx.clinical:
        resource["author"] = ref("Practitioner", plan.author_id)
    if plan.family_priorities:
        resource["note"] = [{"text": plan.family_priorities}]
    goals = [ref("Goal", goal.pk) for goal in plan.goals.all()]
    if goals:
        resource["goal"] = goals
    return resource


SPEC = Spec(
    type="CarePlan",
    actions=("plans.view", "collaborators.summary"),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "status": Param("token", "status", codes={v: k for k, v in STATUS.items()}),
        "category": Param("token", "discipline"),
        "date": Param("date", "start_date"),
    },
    order=("child_id", "-start_date", "id"),
)
