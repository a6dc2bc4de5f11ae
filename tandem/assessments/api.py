"""The assessments part of the API: evaluations, questionnaire responses, standardized
scores, milestone checks and growth measurements (with computed z-scores and centiles).

Paths are relative to /api/v1/. Each operation names its action (``rules.py``):
staff on the child's team read, editors write; guardians, collaborators, the front
desk and billing get 404. Every record is fetched through ``assessments.access``.
The API object turns Http404 / PermissionDenied / Conflict / ValidationError into
JSON 404 / 403 / 409 / 422.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from tandem.access import MemberRequest, child_for
from tandem.access.api import permits_api
from tandem.api.auth import signed_in
from tandem.api.schemas import answers
from tandem.audit.actions import log_access
from tandem.children.models import Child

from . import actions, reading, reading_growth
from .access import (
    evaluations_of,
    get_evaluation,
    get_one,
    growth_of,
    instruments_for,
    milestone_checks_of,
    responses_of,
    scores_of,
    with_evaluation,
)
from .models import Evaluation, GrowthMeasurement
from .rules import EDIT, GROWTH_RECORD, VIEW

router = Router(tags=["assessments"])
Base = "/children/{child_id}"
EVALUATION = f"{Base}/evaluations/{{evaluation_id}}"
RESPONSE = f"{Base}/questionnaire-responses/{{response_id}}"
CHECK = f"{Base}/milestone-checks/{{check_id}}"
MEASUREMENT = f"{Base}/growth/{{measurement_id}}"

# Checked before the body is read: outsiders, families and roles without clinical
# content 404, readers 403 on a write, and only then malformed input 422.
READS = signed_in(permits_api(VIEW))
EDITS = signed_in(permits_api(EDIT))
GROWTH_WRITES = signed_in(permits_api(GROWTH_RECORD))


def _read(request: MemberRequest, child_id: uuid.UUID) -> Child:
    child = child_for(request, child_id, VIEW)
    log_access(request, [child])
    return child


def _write(request: MemberRequest, child_id: uuid.UUID, action: str = EDIT) -> Child:
    return child_for(request, child_id, action)


def _evaluation(request: MemberRequest, child: Child, evaluation_id: uuid.UUID) -> Evaluation:
    return get_evaluation(request.membership, child, evaluation_id)


# --- Evaluations ---------------------------------------------------------------


class EvaluationOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    discipline: str
    evaluated_on: date
    therapist_id: uuid.UUID
    reason_for_referral: str
    observations: str
    strengths: str
    interests: str
    summary: str
    recommendations: str
    status: str
    version: int


class EvaluationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    discipline: str
    evaluated_on: date
    reason_for_referral: str = ""
    observations: str = ""
    strengths: str = ""
    interests: str = ""
    summary: str = ""
    recommendations: str = ""
    status: Literal["draft", "final"] = "draft"


class EvaluationPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The version the change is based on (409 if stale)")
    discipline: str | None = None
    evaluated_on: date | None = None
    reason_for_referral: str | None = None
    observations: str | None = None
    strengths: str | None = None
    interests: str | None = None
    summary: str | None = None
    recommendations: str | None = None
    status: Literal["draft", "final"] | None = None


@router.get(f"{Base}/evaluations", response=answers(list[EvaluationOut]), auth=READS)
def list_evaluations(request: MemberRequest, child_id: uuid.UUID) -> Any:
    """The child's evaluations, newest first."""
    child = _read(request, child_id)
    return list(evaluations_of(request.membership, child))


@router.post(f"{Base}/evaluations", response=answers(EvaluationOut, 201), auth=EDITS)
def create_evaluation(request: MemberRequest, child_id: uuid.UUID, payload: EvaluationIn) -> Any:
    """Start an evaluation (admins and lead/treating therapists)."""
    child = _write(request, child_id)
    return Status(201, actions.create_evaluation(request.membership, child, **payload.model_dump()))


@router.get(EVALUATION, response=answers(EvaluationOut), auth=READS)
def get_evaluation_(request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return _evaluation(request, child, evaluation_id)


@router.patch(EVALUATION, response=answers(EvaluationOut, stale=True), auth=EDITS)
def patch_evaluation(
    request: MemberRequest, child_id: uuid.UUID, evaluation_id: uuid.UUID, payload: EvaluationPatch
) -> Any:
    """Change an evaluation based on ``version``."""
    child = _write(request, child_id)
    evaluation = _evaluation(request, child, evaluation_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    return actions.update_evaluation(evaluation, expected_version=version, **changes)


# --- Questionnaire responses ---------------------------------------------------


class ResponseOut(Schema):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    questionnaire: str
    questionnaire_url: str
    questionnaire_version: str
    answers: dict[str, Any] = Field(description="Answers keyed by the question's linkId")
    status: str
    author_id: uuid.UUID
    version: int


class ResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    evaluation_id: uuid.UUID
    questionnaire: str = Field(description="parent_intake or sensory_behaviour")
    answers: dict[str, Any]
    status: Literal["in-progress", "completed"] = "completed"


class ResponsePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int
    answers: dict[str, Any]
    status: Literal["in-progress", "completed"] = "completed"


@router.get(f"{Base}/questionnaire-responses", response=answers(list[ResponseOut]), auth=READS)
def list_responses(request: MemberRequest, child_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return list(responses_of(request.membership, child).order_by("created_at"))


@router.post(f"{Base}/questionnaire-responses", response=answers(ResponseOut, 201), auth=EDITS)
def create_response(request: MemberRequest, child_id: uuid.UUID, payload: ResponseIn) -> Any:
    """Answer a questionnaire for an evaluation (422 with messages by linkId when invalid)."""
    child = _write(request, child_id)
    evaluation = _evaluation(request, child, payload.evaluation_id)
    response = actions.save_questionnaire_response(
        evaluation,
        request.membership,
        questionnaire=payload.questionnaire,
        answers=payload.answers,
        status=payload.status,
        expected_version=0,
    )
    return Status(201, response)


@router.get(RESPONSE, response=answers(ResponseOut), auth=READS)
def get_response(request: MemberRequest, child_id: uuid.UUID, response_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return get_one(responses_of(request.membership, child), response_id)


@router.patch(RESPONSE, response=answers(ResponseOut, stale=True), auth=EDITS)
def patch_response(
    request: MemberRequest, child_id: uuid.UUID, response_id: uuid.UUID, payload: ResponsePatch
) -> Any:
    child = _write(request, child_id)
    response = get_one(
        with_evaluation(responses_of(request.membership, child), request.membership), response_id
    )
    return actions.save_questionnaire_response(
        response.evaluation,
        request.membership,
        questionnaire=response.questionnaire,
        answers=payload.answers,
        status=payload.status,
        expected_version=payload.version,
    )


# --- Standardized scores -------------------------------------------------------


class ScoreOut(Schema):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    instrument_id: uuid.UUID
    instrument_code: str
    subtest: str
    raw_score: float | None
    standard_score: float | None
    percentile: float | None
    age_equivalent: str
    interpretation: str
    version: int

    @staticmethod
    def resolve_instrument_code(obj: Any) -> str:
        return obj.instrument.code


class ScoreFields(Schema):
    model_config = ConfigDict(extra="forbid")

    subtest: str = Field(min_length=1, max_length=120)
    raw_score: float | None = None
    standard_score: float | None = None
    percentile: float | None = Field(None, ge=0, le=100)
    age_equivalent: str = Field("", max_length=20)
    interpretation: str = Field("", max_length=300)


class ScoreIn(ScoreFields):
    evaluation_id: uuid.UUID
    instrument: str = Field(description="The instrument's code in the clinic's catalogue")


class ScorePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int
    subtest: str | None = Field(None, min_length=1, max_length=120)
    raw_score: float | None = None
    standard_score: float | None = None
    percentile: float | None = Field(None, ge=0, le=100)
    age_equivalent: str | None = Field(None, max_length=20)
    interpretation: str | None = Field(None, max_length=300)


@router.get(f"{Base}/scores", response=answers(list[ScoreOut]), auth=READS)
def list_scores(request: MemberRequest, child_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return list(scores_of(request.membership, child))


@router.post(f"{Base}/scores", response=answers(ScoreOut, 201), auth=EDITS)
def create_score(request: MemberRequest, child_id: uuid.UUID, payload: ScoreIn) -> Any:
    """Enter one subtest/composite score of an instrument from the clinic's catalogue."""
    membership = request.membership
    child = _write(request, child_id)
    evaluation = _evaluation(request, child, payload.evaluation_id)
    actions.ensure_instruments(membership.organization)
    fields = payload.model_dump(exclude={"evaluation_id", "instrument"})
    instrument = instruments_for(membership).filter(code=payload.instrument).first()
    if instrument is None:
        raise ValidationError({"instrument": "There is no such instrument in the catalogue."})
    score = actions.add_score(evaluation, instrument=instrument, **fields)
    return Status(201, score)


@router.get(f"{Base}/scores/{{score_id}}", response=answers(ScoreOut), auth=READS)
def get_score(request: MemberRequest, child_id: uuid.UUID, score_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return get_one(scores_of(request.membership, child), score_id)


@router.patch(f"{Base}/scores/{{score_id}}", response=answers(ScoreOut, stale=True), auth=EDITS)
def patch_score(
    request: MemberRequest, child_id: uuid.UUID, score_id: uuid.UUID, payload: ScorePatch
) -> Any:
    child = _write(request, child_id)
    score = get_one(scores_of(request.membership, child), score_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    return actions.update_score(score, expected_version=version, **changes)


# --- Milestone checks ----------------------------------------------------------


class MilestoneCheckOut(Schema):
    id: uuid.UUID
    evaluation_id: uuid.UUID
    checklist_months: int
    corrected_age: bool
    answers: dict[str, str]
    version: int


class MilestoneCheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    evaluation_id: uuid.UUID
    checklist_months: int | None = Field(
        None, description="Defaults to the checklist for the child's (corrected) age"
    )
    answers: dict[str, Literal["yes", "not_yet", "not_sure"]]


class MilestoneCheckPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int
    answers: dict[str, Literal["yes", "not_yet", "not_sure"]]


@router.get(f"{Base}/milestone-checks", response=answers(list[MilestoneCheckOut]), auth=READS)
def list_milestone_checks(request: MemberRequest, child_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return list(milestone_checks_of(request.membership, child))


@router.post(f"{Base}/milestone-checks", response=answers(MilestoneCheckOut, 201), auth=EDITS)
def create_milestone_check(
    request: MemberRequest, child_id: uuid.UUID, payload: MilestoneCheckIn
) -> Any:
    child = _write(request, child_id)
    evaluation = _evaluation(request, child, payload.evaluation_id)
    pick = reading.checklist_for(child, evaluation.evaluated_on)
    months = payload.checklist_months or pick.months
    check = actions.save_milestone_check(
        evaluation,
        checklist_months=months,
        corrected_age=pick.corrected and months == pick.months,
        answers=payload.answers,
        expected_version=0,
    )
    return Status(201, check)


@router.get(CHECK, response=answers(MilestoneCheckOut), auth=READS)
def get_milestone_check(request: MemberRequest, child_id: uuid.UUID, check_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return get_one(milestone_checks_of(request.membership, child), check_id)


@router.patch(CHECK, response=answers(MilestoneCheckOut, stale=True), auth=EDITS)
def patch_milestone_check(
    request: MemberRequest, child_id: uuid.UUID, check_id: uuid.UUID, payload: MilestoneCheckPatch
) -> Any:
    child = _write(request, child_id)
    check = get_one(
        with_evaluation(milestone_checks_of(request.membership, child), request.membership),
        check_id,
    )
    return actions.save_milestone_check(
        check.evaluation,
        checklist_months=check.checklist_months,
        corrected_age=check.corrected_age,
        answers=payload.answers,
        expected_version=payload.version,
    )


# --- Growth --------------------------------------------------------------------


class GrowthResultOut(Schema):
    z: float | None
    centile: float | None
    reference: str
    implausible: bool = Field(
        False, description="Beyond WHO's plausible range; stored only as confirmed by a clinician"
    )
    no_reference: Literal["", "after_last_age", "before_term", "not_at_age"] = Field(
        "",
        description="Why z and centile are null: no reference covers the measure at this age "
        "(after_last_age: head circumference after 3 years, any measure after 20; "
        "before_term: corrected age before 40 weeks)",
    )
    note: str = Field("", description="The same reason, said for people in the request's language")


# How the length or height was measured; "" is the usual position for the age.
Position = Literal["", "lying", "standing"]


class GrowthOut(Schema):
    id: uuid.UUID
    evaluation_id: uuid.UUID | None
    measured_on: date
    height_cm: Decimal | None
    weight_kg: Decimal | None
    head_circumference_cm: Decimal | None
    length_position: str
    bmi: Decimal | None
    confirmed_implausible: bool
    results: dict[str, GrowthResultOut] = Field(
        description="By measure (height, weight, ofc, bmi): z-score, centile and reference"
    )
    version: int

    @staticmethod
    def resolve_results(obj: GrowthMeasurement) -> dict[str, Any]:
        return reading_growth.results_out(obj.results)


class GrowthIn(Schema):
    model_config = ConfigDict(extra="forbid")

    measured_on: date
    evaluation_id: uuid.UUID | None = None
    height_cm: Decimal | None = Field(None, gt=0, max_digits=5, decimal_places=1)
    weight_kg: Decimal | None = Field(None, gt=0, max_digits=5, decimal_places=2)
    head_circumference_cm: Decimal | None = Field(None, gt=0, max_digits=4, decimal_places=1)
    length_position: Position = Field("", description="lying or standing; blank: usual for age")
    confirmed_implausible: bool = Field(
        False, description="The clinician confirms values beyond WHO's plausible range are real"
    )


class GrowthPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int
    measured_on: date | None = None
    height_cm: Decimal | None = Field(None, gt=0, max_digits=5, decimal_places=1)
    weight_kg: Decimal | None = Field(None, gt=0, max_digits=5, decimal_places=2)
    head_circumference_cm: Decimal | None = Field(None, gt=0, max_digits=4, decimal_places=1)
    length_position: Position = Field("", description="lying or standing; blank: usual for age")
    confirmed_implausible: bool = Field(
        False, description="The clinician confirms values beyond WHO's plausible range are real"
    )


@router.get(f"{Base}/growth", response=answers(list[GrowthOut]), auth=READS)
def list_growth(request: MemberRequest, child_id: uuid.UUID) -> Any:
    """The child's growth measurements in date order, with z-scores and centiles."""
    child = _read(request, child_id)
    return list(growth_of(request.membership, child))


@router.post(f"{Base}/growth", response=answers(GrowthOut, 201), auth=GROWTH_WRITES)
def create_growth(request: MemberRequest, child_id: uuid.UUID, payload: GrowthIn) -> Any:
    child = _write(request, child_id, GROWTH_RECORD)
    fields = payload.model_dump(exclude={"evaluation_id"})
    if payload.evaluation_id:
        fields["evaluation"] = _evaluation(request, child, payload.evaluation_id)
    return Status(201, actions.record_growth(child, **fields))


@router.get(MEASUREMENT, response=answers(GrowthOut), auth=READS)
def get_growth(request: MemberRequest, child_id: uuid.UUID, measurement_id: uuid.UUID) -> Any:
    child = _read(request, child_id)
    return get_one(growth_of(request.membership, child), measurement_id)


@router.patch(MEASUREMENT, response=answers(GrowthOut, stale=True), auth=GROWTH_WRITES)
def patch_growth(
    request: MemberRequest, child_id: uuid.UUID, measurement_id: uuid.UUID, payload: GrowthPatch
) -> Any:
    child = _write(request, child_id, GROWTH_RECORD)
    measurement = get_one(growth_of(request.membership, child), measurement_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    return actions.update_growth(measurement, child, expected_version=version, **changes)
