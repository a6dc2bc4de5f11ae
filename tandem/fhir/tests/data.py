"""Records of every type served, for each child of the shared world (own clinic, other
family, other clinic), built the way the apps build them."""

import datetime
from decimal import Decimal
from typing import Any

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.assessments import actions as assessments
from tandem.assessments.questionnaires import load, option_codes, questions
from tandem.assessments.tests.helpers import make_evaluation
from tandem.children.models import CareTeamMember, Diagnosis, TeamRole
from tandem.consent.tests.helpers import share
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.messaging.actions import post_message
from tandem.notes.models import GoalData
from tandem.notes.tests.helpers import make_note
from tandem.plans.models import Goal
from tandem.plans.tests.helpers import make_plan


def lead_of(child: Any) -> Any:
    return CareTeamMember.objects.get(child=child, role=TeamRole.LEAD).therapist


def sensory_answers() -> dict[str, Any]:
    """Every question of the sensory behaviour questionnaire answered (3 = sometimes, the
    first option of a choice). Not the PSC-17: the assessments matrix asks a family to
    fill a PSC-17 in the child's first evaluation, and must not find ours."""
    return {
        item["linkId"]: (option_codes(item)[0] if item["type"] == "choice" else 3)
        for item in questions(load("sensory_behaviour"))
        if item["type"] in ("choice", "integer")
    }


def records_of(child: Any, *, measurements: int = 1, plans: int = 1) -> dict[str, str]:
    """A diagnosis, active plans with two goals each, growth measurements, an attended
    session and its signed note (goal data with GAS levels), a message, a consent, a final
    evaluation with a questionnaire; the id of one resource of each type that concerns the child."""
    lead = lead_of(child)
    diagnosis = Diagnosis.objects.create(
        organization_id=child.organization_id,
        child=child,
        code="F84.0",
        label="Autistic disorder",
        noted_on=child.date_of_birth + datetime.timedelta(days=900),
    )
    made = [make_plan(child, lead, goals=2) for _ in range(plans)]
    today = clinic_today()
    growth = [
        assessments.record_growth(
            child,
            measured_on=today - datetime.timedelta(days=30 * (measurements - n)),
            weight_kg=Decimal(18) + Decimal(n) / 10,
            height_cm=Decimal(108 + n),
            head_circumference_cm=51,
        )
        for n in range(measurements)
    ]
    appointment = make_appointment(
        child,
        lead,
        in_days(child, -3),
        status="attended",
        note_for_family="Please bring comfortable shoes.",
    )
    goals = list(Goal.objects.filter(plan=made[0]).order_by("position"))
    session = appointment.encounter
    starts = session.starts_at.astimezone(clock.zone_for(child.organization))
    ends = starts + datetime.timedelta(minutes=session.duration_minutes)
    note = make_note(
        child,
        lead,
        goals=goals,
        sign=True,
        encounter=session,
        date=starts.date(),
        start_time=starts.time(),
        end_time=ends.time(),
    )
    data = GoalData.objects.filter(note=note).order_by("goal__position").first()
    message = post_message(lead, child, "See you on Tuesday.")
    guardian_link = child.guardian_links.order_by("id").first()
    consent = ""
    if guardian_link is not None:
        teacher = f.CollaboratorFactory(organization=child.organization)
        consent = str(share(teacher, child, guardian_link.guardian).pk)
    evaluation = make_evaluation(child, lead)
    response = assessments.save_questionnaire_response(
        evaluation, lead, questionnaire="sensory_behaviour", answers=sensory_answers()
    )
    return {
        "Appointment": str(appointment.pk),
        "Patient": str(child.pk),
        "RelatedPerson": str(getattr(guardian_link, "pk", "")),
        "CareTeam": str(child.pk),
        "Condition": str(diagnosis.pk),
        "CarePlan": str(made[0].pk),
        "Goal": str(goals[0].pk),
        "Observation": f"{getattr(data, 'pk', '')}.gas",
        "Observation.growth": f"{growth[0].pk}.weight",
        "Encounter": str(note.pk),
        "QuestionnaireResponse": str(response.pk),
        "Communication": str(message.pk),
        "Consent": consent,
        "DocumentReference": str(evaluation.pk),
    }


def populate(world: Any) -> None:
    children = (world.child, world.other_child, world.foreign_child)
    world.fhir = {child: records_of(child) for child in children}
