"""A demo-like child for the report tests: three goals with half a year of weekly sessions,
diagnoses, cancelled and missed appointments, standardized scores and the therapist's NPI."""

import datetime

from tandem.appointments.tests.helpers import clinic_time, make_appointment
from tandem.assessments.models import Evaluation, Instrument, StandardizedScore
from tandem.billing.models import ProviderNumber
from tandem.children.models import Diagnosis
from tandem.conftest import World
from tandem.plans.models import Goal, Plan

from .helpers import START, make_goal, make_plan, record_sessions

WEEKS = 24
NPI = "1234567893"


def demo_child(world: World) -> tuple[Plan, list[Goal]]:
    """Maya's OT plan with three goals, 24 weekly signed sessions, two cancellations and a
    missed session, two diagnoses, a standardized test and her therapist's numbers."""
    child, therapist = world.child, world.therapist
    plan = make_plan(child, therapist, summary="Fine motor and self-care plan.")
    goals = [
        make_goal(
            plan,
            statement="Maya will button a coat independently in 4 of 5 trials.",
            baseline="2 of 10 buttons with hand-over-hand help",
            family_wording_en="Maya buttons her own coat.",
            family_wording_es="Maya se abrocha el abrigo sola.",
            strategies="Large buttons first; backward chaining; verbal cue 'push and pull'.",
            position=0,
        ),
        make_goal(
            plan,
            statement="Maya will copy a triangle with correct closure.",
            baseline="Copies a circle and a cross",
            domain="school_readiness",
            family_wording_en="Maya draws a triangle by copying one.",
            family_wording_es="Maya copia un triángulo.",
            strategies="Slant board; dotted start points; short practice, often.",
            position=1,
        ),
        make_goal(
            plan,
            statement="Maya will stay seated at circle time for 10 minutes.",
            baseline="3 minutes with frequent prompts",
            family_wording_en="Maya sits with her class at circle time.",
            family_wording_es="Maya se sienta con su clase en el círculo.",
            strategies="Wobble cushion; movement break before circle; visual timer.",
            domain="emotional_regulation",
            measurement_type="duration",
            mastery_value=600.0,
            mastery_criterion="600 seconds in 3 sessions in a row",
            position=2,
        ),
    ]
    sessions = []
    for week in range(WEEKS):
        day = START + datetime.timedelta(weeks=week)
        sessions.append(
            (
                day,
                {
                    goals[0]: (20 + 2.5 * week, -2 + min(week // 6, 3)),
                    goals[1]: (30 + (week % 3) * 5, -1),
                    goals[2]: (40 + 2 * week, -2 + min(week // 8, 2)),
                },
            )
        )
    record_sessions(therapist, child, sessions)
    late = START + datetime.timedelta(weeks=WEEKS)
    for offset, status in ((2, "cancelled"), (3, "cancelled"), (4, "missed")):
        make_appointment(
            child,
            therapist,
            clinic_time(child, late + datetime.timedelta(days=offset), 9),
            status=status,
        )
    for code, label in (
        ("F82", "Specific developmental disorder of motor function"),
        ("R27.8", "Other lack of coordination"),
    ):
        Diagnosis.objects.create(
            organization=child.organization, child=child, code=code, label=label
        )
    evaluation = Evaluation.objects.create(
        organization=child.organization,
        child=child,
        discipline="ot",
        evaluated_on=START + datetime.timedelta(days=3),
        therapist=therapist,
        status="final",
    )
    instrument = Instrument.objects.create(
        organization=child.organization, code="bot-2", name="BOT-2", score_mean=50, score_sd=10
    )
    for subtest, standard, percentile in (
        ("Fine Manual Control", 36, 8),
        ("Manual Coordination", 41, 18),
    ):
        StandardizedScore.objects.create(
            organization=child.organization,
            child=child,
            evaluation=evaluation,
            instrument=instrument,
            subtest=subtest,
            standard_score=standard,
            percentile=percentile,
        )
    ProviderNumber.objects.create(
        organization=child.organization,
        membership=therapist,
        npi=NPI,
        taxonomy="225X00000X",
        credentials="OTR/L",
    )
    return plan, goals
