"""The discharge summary's review (issue 14, item 4): the family's own version in plain
words, the period ending on the day the plan closed (from its history), and attendance in
the plan's discipline only."""

import datetime
import html

import pytest
from django.urls import reverse

from tandem.appointments.tests.helpers import clinic_time, make_appointment
from tandem.conftest import World
from tandem.plans.models import Plan, PlanStatus

from .demo_child import demo_child
from .helpers import START, make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db


def _body(world: World, client, plan: Plan) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("progress:discharge", args=[world.child.id, plan.id]))
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def closed_plan(world):  # type: ignore[no-untyped-def]
    plan, goals = demo_child(world)
    goals[1].status_reason = "Reviewed with the OT lead; criterion kept."
    goals[1].save()
    plan.status = PlanStatus.CLOSED
    plan.save()
    return plan


STAFF_ONLY = [
    "Baseline",
    "2 of 10 buttons with hand-over-hand help",  # the baseline
    "80 % of trials over 3 sessions",  # the mastery criterion
    "Reviewed with the OT lead",  # the status reason
    "Final GAS T-score",
    "Recommendations",
    "Continue the current plan",
    "Plateau:",
    "improving",
    "plateau",
    "no data in this period",
]


def test_the_family_gets_plain_words_and_no_staff_recommendations(
    world, client_as, closed_plan
) -> None:
    body = _body(world, client_as(world.guardian), closed_plan)
    for staff in STAFF_ONLY:
        assert staff not in body, staff
    assert "How it went" in body and "What is next" in body
    assert "Maya buttons her own coat.</td><td>Getting better</td>" in body
    assert "keep practising it at home; contact the team if you have questions." in body
    staff = _body(world, client_as(world.therapist), closed_plan)
    assert "Baseline" in staff and "Reviewed with the OT lead" in staff
    assert "Recommendations" in staff


def test_a_spanish_speaking_family_reads_it_in_spanish(world, client_as, closed_plan) -> None:
    world.guardian.user.language = "es"
    world.guardian.user.save()
    body = _body(world, client_as(world.guardian), closed_plan)
    assert "Cómo le fue" in body and "Lo que sigue" in body
    assert "Maya se abrocha el abrigo sola.</td><td>Va mejorando</td>" in body
    assert "sigan practicándolo en casa" in body


def test_the_period_ends_on_the_day_the_plan_closed(world, client_as) -> None:
    plan = make_plan(world.child, world.therapist)  # review date: 6 Jul 2024
    goal = make_goal(plan)
    record_sessions(world.therapist, world.child, weekly([20 + i for i in range(40)], goal))
    # It closed on 5 Aug 2024 at 10 pm in the clinic (already the 6th in UTC) ...
    plan.status = PlanStatus.CLOSED
    plan._history_date = clinic_time(world.child, datetime.date(2024, 8, 5), 22)  # type: ignore[attr-defined]
    plan.save()
    del plan._history_date  # type: ignore[attr-defined]
    # ... and was touched again later (its last change is not the day it closed).
    plan.summary = "Closed: moved away."
    plan.save()
    body = _body(world, client_as(world.therapist), plan)
    assert "Occupational therapy plan, from 8 Jan 2024 to 5 Aug 2024" in body
    # Weekly sessions from 8 Jan to 5 Aug: 31 of them, all attended.
    assert "31 of 31 sessions attended (100 %)" in body


def test_attendance_is_the_plans_discipline_only(world, client_as) -> None:
    plan, _goals = demo_child(world)
    for week in range(5):
        at = clinic_time(world.child, START + datetime.timedelta(weeks=week, days=1), 15)
        make_appointment(world.child, world.therapist, at, status="missed", discipline="slp")
    body = _body(world, client_as(world.therapist), plan)
    assert "24 of 27 sessions attended (89 %)" in body
