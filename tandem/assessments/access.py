"""Which evaluations, scores, milestones and growth records a member finds (scopes only).

Who may do what is in ``rules.py``; these querysets return the rows a member may read,
each filtered by the organization: ``Model.objects.visible_to(membership)`` across the
clinic, ``.for_child(child)`` for one child (see ``models.py``).
"""

import uuid
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet

from tandem.access import not_found, rule_for
from tandem.accounts.models import Membership
from tandem.children.models import Child

from .models import (
    Evaluation,
    GrowthMeasurement,
    Instrument,
    MilestoneCheck,
    QuestionnaireResponse,
    StandardizedScore,
)
from .rules import VIEW

Row = TypeVar("Row", bound=Model)


OfEvaluation = TypeVar("OfEvaluation", QuestionnaireResponse, MilestoneCheck)


def evaluations_of(membership: Membership, child: Child) -> QuerySet[Evaluation]:
    """Evaluations of a child the member may already see; guardians: final ones only."""
    return Evaluation.objects.visible_to(membership).for_child(child)


def get_evaluation(
    membership: Membership, child: Child, evaluation_id: uuid.UUID | str
) -> Evaluation:
    """Return one evaluation of an already-authorized child, or 404."""
    evaluation = get_one(
        evaluations_of(membership, child).select_related("therapist__user"), evaluation_id
    )
    evaluation.child = child  # keeps the child's annotated relation to the member
    return evaluation


def responses_of(membership: Membership, child: Child) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.visible_to(membership).for_child(child)


def scores_of(membership: Membership, child: Child) -> QuerySet[StandardizedScore]:
    return (
        StandardizedScore.objects.visible_to(membership)
        .for_child(child)
        .select_related("instrument")
    )


def milestone_checks_of(membership: Membership, child: Child) -> QuerySet[MilestoneCheck]:
    return MilestoneCheck.objects.visible_to(membership).for_child(child)


def growth_of(membership: Membership, child: Child) -> QuerySet[GrowthMeasurement]:
    return GrowthMeasurement.objects.visible_to(membership).for_child(child)


def instruments_for(membership: Membership) -> QuerySet[Instrument]:
    """The organization's instrument catalogue (for those who read assessments)."""
    if membership.role not in rule_for(VIEW).roles:
        return Instrument.objects.none()
    return Instrument.objects.filter(organization_id=membership.organization_id)


def with_evaluation(
    queryset: QuerySet[OfEvaluation], membership: Membership
) -> QuerySet[OfEvaluation]:
    """Join each record's evaluation, the join itself scoped to the organization."""
    return queryset.filter(evaluation__organization_id=membership.organization_id).select_related(
        "evaluation"
    )


def get_one(queryset: QuerySet[Row], pk: uuid.UUID | str) -> Row:
    """Return one row of an already-scoped queryset, or 404."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise not_found() from exc


def family_forms_of(membership: Membership, child: Child) -> QuerySet[QuestionnaireResponse]:
    """The questionnaires a guardian was asked to fill about this child."""
    return QuestionnaireResponse.objects.for_family(membership).for_child(child)


def get_family_form(
    membership: Membership, child: Child, form_id: uuid.UUID | str
) -> QuestionnaireResponse:
    """One questionnaire the guardian was asked to fill about this child, or 404."""
    return get_one(family_forms_of(membership, child).select_related("evaluation"), form_id)
