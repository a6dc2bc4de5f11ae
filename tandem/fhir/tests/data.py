"""Records of every type served, for each child of the shared world (own clinic, other
family, other clinic), built the way the apps build them."""

import datetime
from decimal import Decimal
from typing import Any

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.assessments import actions as assessments
from tandem.children.models import CareTeamMember, Diagnosis, TeamRole
from tandem.core.testing.factories import clinic_today
from tandem.plans.models import Goal
from tandem.plans.tests.helpers import make_plan


def lead_of(child: Any) -> Any:
    return CareTeamMember.objects.get(child=child, role=TeamRole.LEAD).therapist


def records_of(child: Any, *, measurements: int = 1, plans: int = 1) -> dict[str, str]:
    """A diagnosis, active plans with two goals each, growth measurements and an attended
    session; the id of
    one resource of each type that concerns the child."""
    diagnosis = Diagnosis.objects.create(
        organization_id=child.organization_id,
        child=child,
        code="F84.0",
        label="Autistic disorder",
        noted_on=child.date_of_birth + datetime.timedelta(days=900),
    )
    made = [make_plan(child, lead_of(child), goals=2) for _ in range(plans)]
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
        lead_of(child),
        in_days(child, -3),
        status="attended",
        note_for_family="Please bring comfortable shoes.",
    )
    return {
        "Appointment": str(appointment.pk),
        "Patient": str(child.pk),
        "RelatedPerson": str(getattr(child.guardian_links.order_by("id").first(), "pk", "")),
        "Condition": str(diagnosis.pk),
        "CarePlan": str(made[0].pk),
        "Goal": str(Goal.objects.filter(plan=made[0]).order_by("position")[0].pk),
        "Observation": f"{growth[0].pk}.weight",
    }


def populate(world: Any) -> None:
    children = (world.child, world.other_child, world.foreign_child)
    world.fhir = {child: records_of(child) for child in children}
