"""Changes to evaluations and their parts. Each runs in one transaction and keeps a version."""

import datetime
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Organization
from tandem.children.models import Child
from tandem.core.access import Conflict
from tandem.notifications.actions import notify_new_report

from . import reading, reading_growth
from .models import (
    Evaluation,
    EvaluationStatus,
    GrowthMeasurement,
    Instrument,
    MilestoneAnswer,
    MilestoneCheck,
    QuestionnaireResponse,
    ResponseStatus,
    StandardizedScore,
)

EVALUATION_FIELDS = (
    "discipline",
    "evaluated_on",
    "reason_for_referral",
    "observations",
    "strengths",
    "interests",
    "summary",
    "recommendations",
    "status",
)
SCORE_FIELDS = (
    "instrument",
    "subtest",
    "raw_score",
    "standard_score",
    "percentile",
    "age_equivalent",
    "interpretation",
)
GROWTH_FIELDS = (
    "measured_on",
    "height_cm",
    "length_position",
    "weight_kg",
    "head_circumference_cm",
    "confirmed_implausible",
    "evaluation",
)

Versioned = TypeVar(
    "Versioned",
    Evaluation,
    StandardizedScore,
    GrowthMeasurement,
    MilestoneCheck,
    QuestionnaireResponse,
)


def _locked(record: Versioned, expected_version: int) -> Versioned:
    """Lock the record's row and refuse a change based on an older version."""
    current = (
        type(record)
        .objects.select_for_update()
        .get(pk=record.pk, organization_id=record.organization_id)
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    return current


def _apply(record: Any, allowed: tuple[str, ...], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(record, name, value)


# Relations are set by the actions from records the caller already authorized; checking
# them again would read other tables without the organization filter.
RELATIONS = ["organization", "child", "evaluation", "therapist", "author", "instrument"]


def _check(record: Any) -> None:
    record.full_clean(exclude=RELATIONS, validate_unique=False, validate_constraints=False)


def _save(record: Any, at: datetime.datetime | None = None) -> None:
    _check(record)
    record.save(at=at)


# --- Evaluations ---------------------------------------------------------------


@transaction.atomic
def create_evaluation(
    by: Membership, child: Child, *, at: datetime.datetime | None = None, **fields: Any
) -> Evaluation:
    """Start an evaluation of a child, by the member who records it."""
    evaluation = Evaluation(organization_id=child.organization_id, child=child, therapist=by)
    _apply(evaluation, EVALUATION_FIELDS, fields)
    _check_evaluation_date(evaluation, child)
    _save(evaluation, at)
    if evaluation.status == EvaluationStatus.FINAL:
        _tell_family(child, at)
    return evaluation


@transaction.atomic
def update_evaluation(
    evaluation: Evaluation, *, expected_version: int, **changes: Any
) -> Evaluation:
    """Save changes made to ``expected_version`` of the evaluation, or raise Conflict."""
    current = _locked(evaluation, expected_version)
    # A final evaluation is news once: not again after a spell back in draft.
    was_final = current.history.filter(
        organization_id=current.organization_id, status=EvaluationStatus.FINAL
    ).exists()
    _apply(current, EVALUATION_FIELDS, changes)
    _check_evaluation_date(current, evaluation.child)
    current.version = expected_version + 1
    _save(current)
    if current.status == EvaluationStatus.FINAL and not was_final:
        _tell_family(evaluation.child)
    return current


def _tell_family(child: Child, at: datetime.datetime | None = None) -> None:
    """A final evaluation's summary is a report the family can now read and download."""
    notify_new_report(child, "", url=reverse("progress:reports", args=[child.pk]), now=at)


def _check_evaluation_date(evaluation: Evaluation, child: Child) -> None:
    if evaluation.evaluated_on and evaluation.evaluated_on < child.date_of_birth:
        message = _("The evaluation date is before the child's date of birth.")
        raise ValidationError({"evaluated_on": [message]})


# --- Questionnaires ------------------------------------------------------------


@transaction.atomic
def save_questionnaire_response(
    evaluation: Evaluation,
    by: Membership,
    *,
    questionnaire: str,
    answers: dict[str, Any],
    status: str = ResponseStatus.COMPLETED,
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> QuestionnaireResponse:
    """Store answers to a questionnaire (validated against its definition).

    Raises ValidationError with one message per question (keyed by linkId) and
    changes nothing when an answer is not acceptable. A second save of the same
    questionnaire must name the version it was based on.
    """
    definition = reading.questionnaire_definition(questionnaire)
    if definition is None:
        raise ValidationError({"questionnaire": _("There is no such questionnaire.")})
    if status not in ResponseStatus.values:
        raise ValidationError({"status": _("Choose in-progress or completed.")})
    cleaned = reading.validate_answers(
        definition, answers, require_all=status == ResponseStatus.COMPLETED
    )
    existing = QuestionnaireResponse.objects.filter(
        organization_id=evaluation.organization_id,
        evaluation=evaluation,
        questionnaire=questionnaire,
    ).first()
    if existing is None:
        if expected_version not in (None, 0):
            raise Conflict(0)
        response = QuestionnaireResponse(
            organization_id=evaluation.organization_id,
            child_id=evaluation.child_id,
            evaluation=evaluation,
            questionnaire=questionnaire,
            author=by,
        )
    else:
        if expected_version is None:
            raise Conflict(existing.version)
        response = _locked(existing, expected_version)
        response.version = expected_version + 1
    response.questionnaire_url = str(definition.get("url", ""))
    response.questionnaire_version = str(definition.get("version", ""))
    response.answers = cleaned
    response.status = status
    _save(response, at)
    return response


# --- Instruments and standardized scores ---------------------------------------


def ensure_instruments(organization: Organization) -> int:
    """Add the shipped instruments the organization does not have yet (by code); return how many."""
    shipped = reading.shipped_instruments()
    have = set(Instrument.objects.filter(organization=organization).values_list("code", flat=True))
    missing = [item for item in shipped if item["code"] not in have]
    if not missing:
        return 0
    with transaction.atomic():
        # Two first visits at once: the second waits here, then finds the rows.
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        have = set(
            Instrument.objects.filter(organization=organization).values_list("code", flat=True)
        )
        rows = [
            Instrument(organization=organization, **item)
            for item in missing
            if item["code"] not in have
        ]
        Instrument.objects.bulk_create(rows)
        return len(rows)


def _check_score(score: StandardizedScore) -> None:
    errors: dict[str, str] = {}
    instrument = score.instrument
    if instrument.organization_id != score.organization_id:
        errors["instrument"] = _("Choose an instrument from your clinic's catalogue.")
    elif instrument.subtests and score.subtest not in instrument.subtest_names():
        errors["subtest"] = _("Choose a subtest or composite of %(name)s.") % {
            "name": instrument.name
        }
    if score.raw_score is None and score.standard_score is None and score.percentile is None:
        errors["standard_score"] = _(
            "Enter at least a raw score, a standard score or a percentile."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_score(
    evaluation: Evaluation, *, at: datetime.datetime | None = None, **fields: Any
) -> StandardizedScore:
    """Record one subtest or composite score of a standardized test."""
    score = StandardizedScore(
        organization_id=evaluation.organization_id,
        child_id=evaluation.child_id,
        evaluation=evaluation,
    )
    _apply(score, SCORE_FIELDS, fields)
    _check_score(score)
    _save(score, at)
    return score


@transaction.atomic
def update_score(
    score: StandardizedScore, *, expected_version: int, **changes: Any
) -> StandardizedScore:
    current = _locked(score, expected_version)
    _apply(current, SCORE_FIELDS, changes)
    _check_score(current)
    current.version = expected_version + 1
    _save(current)
    return current


# --- Milestones ----------------------------------------------------------------


@transaction.atomic
def save_milestone_check(
    evaluation: Evaluation,
    *,
    checklist_months: int,
    corrected_age: bool,
    answers: Mapping[str, str],
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> MilestoneCheck:
    """Store the answers to one milestone checklist for an evaluation."""
    known = reading.milestone_ids(checklist_months)
    if known is None:
        raise ValidationError({"checklist_months": _("There is no checklist for that age.")})
    errors = {
        key: _("Answer yes, not yet or not sure.")
        for key, value in answers.items()
        if key in known and value not in MilestoneAnswer.values
    }
    unknown = sorted(set(answers) - known)
    if unknown:
        errors["answers"] = _("These are not milestones of this checklist: %(ids)s") % {
            "ids": ", ".join(unknown[:5])
        }
    if errors:
        raise ValidationError(errors)
    existing = MilestoneCheck.objects.filter(
        organization_id=evaluation.organization_id, evaluation=evaluation
    ).first()
    if existing is None:
        if expected_version not in (None, 0):
            raise Conflict(0)
        check = MilestoneCheck(
            organization_id=evaluation.organization_id,
            child_id=evaluation.child_id,
            evaluation=evaluation,
        )
    else:
        if expected_version is None:
            raise Conflict(existing.version)
        check = _locked(existing, expected_version)
        check.version = expected_version + 1
    check.checklist_months = checklist_months
    check.corrected_age = corrected_age
    check.answers = dict(answers)
    _save(check, at)
    return check


# --- Growth --------------------------------------------------------------------


def _bmi(height_cm: Decimal | None, weight_kg: Decimal | None) -> Decimal | None:
    if not height_cm or not weight_kg:
        return None
    metres = Decimal(height_cm) / 100
    return (Decimal(weight_kg) / (metres * metres)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _compute(measurement: GrowthMeasurement, child: Child) -> None:
    """Fill BMI and the z-score/centile of each measured value (WHO under 2, CDC from 2)."""
    measurement.bmi = _bmi(measurement.height_cm, measurement.weight_kg)
    measurement.results = reading_growth.growth_results(child, measurement)


def _check_growth(measurement: GrowthMeasurement, child: Child) -> None:
    errors: dict[str, str] = {}
    if not any((measurement.height_cm, measurement.weight_kg, measurement.head_circumference_cm)):
        errors["height_cm"] = _("Enter at least one measurement.")
    if measurement.measured_on and measurement.measured_on < child.date_of_birth:
        errors["measured_on"] = _("The date is before the child's date of birth.")
    # Only a newly attached evaluation needs checking (one already stored was checked then).
    attached = GrowthMeasurement.evaluation.is_cached(measurement) and measurement.evaluation
    if attached and attached.child_id != child.id:
        errors["evaluation"] = _("Choose one of this child's evaluations.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_growth(
    child: Child, *, at: datetime.datetime | None = None, **fields: Any
) -> GrowthMeasurement:
    """Record a growth measurement and store its computed centiles and z-scores."""
    measurement = GrowthMeasurement(organization_id=child.organization_id, child=child)
    _apply(measurement, GROWTH_FIELDS, fields)
    _check_growth(measurement, child)
    _check(measurement)
    _compute(measurement, child)
    _save(measurement, at)
    return measurement


@transaction.atomic
def update_growth(
    measurement: GrowthMeasurement, child: Child, *, expected_version: int, **changes: Any
) -> GrowthMeasurement:
    current = _locked(measurement, expected_version)
    # A confirmation was for the values then entered; changed values are checked afresh.
    changes.setdefault("confirmed_implausible", False)
    _apply(current, GROWTH_FIELDS, changes)
    _check_growth(current, child)
    _check(current)
    _compute(current, child)
    current.version = expected_version + 1
    _save(current)
    return current
