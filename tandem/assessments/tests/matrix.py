"""What the authorization matrix needs to know about the assessments app's routes."""

from tandem.assessments.tests.helpers import make_evaluation

WRITE_RULES = {
    "assessments:new": "editor",
    "assessments:edit": "editor",
    "assessments:questionnaire": "editor",
    "assessments:scores": "editor",
    "assessments:milestones": "editor",
    "assessments:growth_new": "editor",
    "assessments:ask_family": "editor",
    "assessments:family_fill": "legal_guardian",
}

# The tab is for staff on the child's team; forms only for those who may change the record.
# The evaluation page and its PDF are open to the child's guardians once final.
READ_RULES = {
    "assessments:index": "staff",
    "assessments:new": "editor",
    "assessments:edit": "editor",
    "assessments:questionnaire": "editor",
    "assessments:scores": "editor",
    "assessments:milestones": "editor",
    "assessments:growth_new": "editor",
    # The questionnaires a family was asked to fill: the child's guardians with legal
    # authority only (the answers may be sensitive; another household's guardian: 404).
    "assessments:family_list": "legal_guardian",
    "assessments:family_fill": "legal_guardian",
}

FILLERS = {
    "evaluation_id": lambda child: _evaluation(child).id,
    "questionnaire": lambda child: "parent_intake",
}


def populate(world) -> None:  # type: ignore[no-untyped-def]
    """A final evaluation for each child the matrix visits."""
    for child, author in (
        (world.child, world.therapist),
        (world.other_child, world.unassigned_therapist),
        (world.foreign_child, world.foreign_therapist),
    ):
        make_evaluation(child, author)


# The API (paths relative to /api/v1/): reads are for staff on the child's team.
_E = "/children/{child_id}"
API_WRITE_RULES = {
    ("POST", f"{_E}/evaluations"): "editor",
    ("PATCH", f"{_E}/evaluations/{{evaluation_id}}"): "editor",
    ("POST", f"{_E}/questionnaire-responses"): "editor",
    ("PATCH", f"{_E}/questionnaire-responses/{{response_id}}"): "editor",
    ("POST", f"{_E}/scores"): "editor",
    ("PATCH", f"{_E}/scores/{{score_id}}"): "editor",
    ("POST", f"{_E}/milestone-checks"): "editor",
    ("PATCH", f"{_E}/milestone-checks/{{check_id}}"): "editor",
    ("POST", f"{_E}/growth"): "editor",
    ("PATCH", f"{_E}/growth/{{measurement_id}}"): "editor",
}
API_READ_RULES = {
    ("GET", f"{_E}/{name}"): "staff"
    for name in (
        "evaluations",
        "evaluations/{evaluation_id}",
        "questionnaire-responses",
        "questionnaire-responses/{response_id}",
        "scores",
        "scores/{score_id}",
        "milestone-checks",
        "milestone-checks/{check_id}",
        "growth",
        "growth/{measurement_id}",
    )
}


def _evaluation(child):  # type: ignore[no-untyped-def]
    from tandem.assessments.models import Evaluation

    return Evaluation.objects.filter(child=child).first()


def _response(child):  # type: ignore[no-untyped-def]
    from tandem.assessments.models import QuestionnaireResponse

    evaluation = _evaluation(child)
    found = QuestionnaireResponse.objects.filter(child=child).first()
    return (
        found
        or QuestionnaireResponse.objects.create(
            organization_id=child.organization_id,
            child=child,
            evaluation=evaluation,
            questionnaire="parent_intake",
            answers={},
            author=evaluation.therapist,
        )
    ).id


def _score(child):  # type: ignore[no-untyped-def]
    from tandem.assessments.models import Instrument, StandardizedScore

    found = StandardizedScore.objects.filter(child=child).first()
    if found:
        return found.id
    instrument, _ = Instrument.objects.get_or_create(
        organization_id=child.organization_id, code="matrix", defaults={"name": "Matrix test"}
    )
    return StandardizedScore.objects.create(
        organization_id=child.organization_id,
        child=child,
        evaluation=_evaluation(child),
        instrument=instrument,
        subtest="Total",
        standard_score=100,
    ).id


def _check(child):  # type: ignore[no-untyped-def]
    from tandem.assessments.models import MilestoneCheck

    found = MilestoneCheck.objects.filter(child=child).first()
    return (
        found
        or MilestoneCheck.objects.create(
            organization_id=child.organization_id,
            child=child,
            evaluation=_evaluation(child),
            checklist_months=60,
            answers={},
        )
    ).id


def _measurement(child):  # type: ignore[no-untyped-def]
    from tandem.assessments.models import GrowthMeasurement

    found = GrowthMeasurement.objects.filter(child=child).first()
    return (
        found
        or GrowthMeasurement.objects.create(
            organization_id=child.organization_id,
            child=child,
            measured_on=child.date_of_birth,
            weight_kg=3,
        )
    ).id


def _family_form(child):  # type: ignore[no-untyped-def]
    from tandem.assessments.models import QuestionnaireResponse

    evaluation = _evaluation(child)
    form, _ = QuestionnaireResponse.objects.get_or_create(
        evaluation=evaluation,
        questionnaire="psc17",
        defaults={
            "organization_id": child.organization_id,
            "child": child,
            "author": evaluation.therapist,
            "for_family": True,
        },
    )
    return form.id


FILLERS.update(
    {
        "form_id": _family_form,
        "response_id": _response,
        "score_id": _score,
        "check_id": _check,
        "measurement_id": _measurement,
    }
)
