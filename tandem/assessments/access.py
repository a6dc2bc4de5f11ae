"""Who may see and change evaluations, scores, milestones and growth.

- reading: staff who may see the child (clinic admins; therapists on the child's care
  team, consulting members included);
- writing: clinic admins and lead/treating therapists on the child's team;
- guardians: only the summary page (and its PDF) of a FINAL evaluation, in plain
  language (summary, strengths, interests, recommendations — no scores, no drafts).
  Everything else in the Assessments tab and the whole assessments API is not there
  for them (404), nor for collaborators.
"""

import uuid

from django.db.models import QuerySet

from tandem.accounts.models import Membership
from tandem.children.access import get_child
from tandem.children.models import Child
from tandem.core.access import not_found, read_only

from .models import (
    Evaluation,
    EvaluationStatus,
    GrowthMeasurement,
    Instrument,
    MilestoneCheck,
    QuestionnaireResponse,
    StandardizedScore,
)


def require_staff(membership: Membership) -> None:
    """Clinical assessment records are for staff; families find nothing here (404)."""
    if not membership.is_staff_member:
        raise not_found()


def get_staff_child(
    membership: Membership, child_id: uuid.UUID | str, *, for_edit: bool = False
) -> Child:
    """Return a child whose assessments this staff member may see (404) or change (403)."""
    require_staff(membership)
    return get_child(membership, child_id, for_edit=for_edit)


def require_editor(child: Child, *, method: str = "POST") -> None:
    """Forms are for editors: on GET others find no page (404); a write is refused (403)."""
    if not getattr(child, "can_edit", False):
        raise not_found() if method == "GET" else read_only()


def evaluations_of(membership: Membership, child: Child) -> QuerySet[Evaluation]:
    """Evaluations of a child the member may already see; guardians: final ones only."""
    evaluations = Evaluation.objects.filter(organization_id=membership.organization_id, child=child)
    if not membership.is_staff_member:
        evaluations = evaluations.filter(status=EvaluationStatus.FINAL)
    return evaluations


def get_evaluation(
    membership: Membership, child: Child, evaluation_id: uuid.UUID | str
) -> Evaluation:
    """Return one evaluation of an already-authorized child, or 404."""
    try:
        evaluation = (
            evaluations_of(membership, child)
            .select_related("therapist__user")
            .get(pk=evaluation_id)
        )
    except (Evaluation.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
    evaluation.child = child  # keeps the annotated can_edit
    return evaluation


def responses_of(membership: Membership, child: Child) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.filter(
        organization_id=membership.organization_id, child=child
    )


def scores_of(membership: Membership, child: Child) -> QuerySet[StandardizedScore]:
    return StandardizedScore.objects.filter(
        organization_id=membership.organization_id, child=child
    ).select_related("instrument")


def milestone_checks_of(membership: Membership, child: Child) -> QuerySet[MilestoneCheck]:
    return MilestoneCheck.objects.filter(organization_id=membership.organization_id, child=child)


def growth_of(membership: Membership, child: Child) -> QuerySet[GrowthMeasurement]:
    return GrowthMeasurement.objects.filter(organization_id=membership.organization_id, child=child)


def instruments_for(membership: Membership) -> QuerySet[Instrument]:
    """The organization's instrument catalogue (staff only)."""
    if not membership.is_staff_member:
        return Instrument.objects.none()
    return Instrument.objects.filter(organization_id=membership.organization_id)


def with_evaluation(queryset: QuerySet, membership: Membership) -> QuerySet:  # type: ignore[type-arg]
    """Join each record's evaluation, the join itself scoped to the organization."""
    return queryset.filter(evaluation__organization_id=membership.organization_id).select_related(
        "evaluation"
    )


def get_one(queryset: QuerySet, pk: uuid.UUID | str):  # type: ignore[no-untyped-def, type-arg]
    """Return one row of an already-scoped queryset, or 404."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise not_found() from exc
