"""The "For you" strip of the family's home: each kind of thing that needs the guardian,
one tap away, only for their own children; a calm empty state otherwise."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.appointments.models import TimeOffer
from tandem.appointments.reminders import reply_link
from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.assessments.tests.helpers import make_evaluation
from tandem.messaging.tests.helpers import make_schedule
from tandem.plans.tests.helpers import make_plan

from .helpers import log, make_activity, today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

URL = reverse("homeprogram:family_home")


def strip(body: str) -> str:
    """The "For you" section of the page."""
    found = re.search(r'<section class="card for-you".*?</section>', body, re.S)
    assert found, "no For you strip"
    return found.group(0)


def kinds(body: str) -> list[str]:
    return re.findall(r'data-for-you="(\w+)"', strip(body))


def links(body: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', strip(body))


def offer(child, therapist) -> TimeOffer:
    return TimeOffer.objects.create(
        organization_id=child.organization_id,
        child=child,
        starts_at=in_days(child, 3),
        therapist=therapist,
        discipline="ot",
        offered_by=therapist,
    )


def test_nothing_to_do_says_so(world, client_as):
    body = client_as(world.guardian).get(URL).content.decode()
    assert kinds(body) == []
    assert "Nothing needs you today." in strip(body)


def test_practice_due_today_leads_to_the_activity_and_leaves_once_logged(world, client_as):
    pegs = make_activity(world.child, world.therapist)
    client = client_as(world.guardian)
    body = client.get(URL).content.decode()
    link = reverse("homeprogram:index", args=[world.child.id]) + f"#practice-{pegs.id}"
    assert "practice" in kinds(body)
    assert link in links(body)
    assert "Practise today with Maya: Pinch the pegs" in strip(body)
    assert client.get(link.split("#")[0]).status_code == 200

    log(pegs, world.guardian)
    assert "practice" not in kinds(client.get(URL).content.decode())


def test_a_week_already_done_asks_for_no_more_practice(world, client_as):
    if today().weekday() == 0:
        pytest.skip("on a Monday there is no earlier day this week")
    pegs = make_activity(world.child, world.therapist, times_per_week=1)
    log(pegs, world.guardian, date=today() - datetime.timedelta(days=1))  # the week's one
    body = client_as(world.guardian).get(URL).content.decode()
    assert "practice" not in kinds(body)


def test_every_kind_is_listed_with_its_own_page(world, client_as):
    plan = make_plan(world.child, world.therapist)
    make_schedule(world.child, world.therapist, due_in_days=-1)
    evaluation = make_evaluation(world.child, world.therapist)
    appointment = make_appointment(
        world.child, world.therapist, in_days(world.child, 1), reminded_at=timezone.now()
    )
    offer(world.sibling, world.therapist)
    client = client_as(world.guardian)
    body = client.get(URL).content.decode()
    assert sorted(kinds(body)) == ["appointment", "checkin", "plan", "report", "times"]
    expected = [
        reverse("plans:detail", args=[world.child.id, plan.id]) + "#sign",
        reverse("messaging:checkin", args=[world.child.id]),
        reverse("assessments:evaluation", args=[world.child.id, evaluation.id]),
        reply_link(appointment, world.guardian.pk),
        f"{reverse('appointments:family')}?child={world.sibling.id}#offered-h",
    ]
    found = links(body)
    for link in expected:
        assert link.replace("&", "&amp;") in found or link in found, link
        assert client.get(link.split("#")[0]).status_code == 200, link
    assert "Choose a time for Eli's session" in body


def test_a_confirmed_session_and_an_old_or_draft_report_are_not_listed(world, client_as):
    now = timezone.now()
    make_appointment(
        world.child, world.therapist, in_days(world.child, 1), reminded_at=now, confirmed_at=now
    )
    old = make_evaluation(world.child, world.therapist)
    old.save(at=now - datetime.timedelta(days=30))
    make_evaluation(world.sibling, world.therapist, status="draft")
    body = client_as(world.guardian).get(URL).content.decode()
    assert kinds(body) == []


def test_an_unreminded_session_needs_no_confirming(world, client_as):
    make_appointment(world.child, world.therapist, in_days(world.child, 5))
    assert "appointment" not in kinds(client_as(world.guardian).get(URL).content.decode())


def test_another_familys_things_never_show(world, client_as):
    other, team = world.other_child, world.unassigned_therapist
    make_activity(other, team, title="Secret sauce")
    make_plan(other, team)
    make_schedule(other, team, due_in_days=-1)
    make_evaluation(other, team)
    make_appointment(other, team, in_days(other, 1), reminded_at=timezone.now())
    offer(other, team)
    body = client_as(world.guardian).get(URL).content.decode()
    assert kinds(body) == []
    assert str(other.id) not in body and "Noah" not in body
    assert "Nothing needs you today." in strip(body)


def test_a_questionnaire_to_fill_and_a_school_plan_date_are_listed(world, client_as):
    from tandem.assessments.family import ask_family
    from tandem.schoolplans.tests.helpers import make_school_plan

    evaluation = make_evaluation(world.child, world.therapist, status="draft")
    asked = ask_family(evaluation, world.therapist, "parent_intake")
    # Dev-like: an IFSP in force and Eli at 2 years 4 months, inside the Part C window.
    world.sibling.date_of_birth = today() - datetime.timedelta(days=2 * 365 + 120)
    world.sibling.save()
    make_school_plan(world.sibling, world.therapist, kind="ifsp")
    client = client_as(world.guardian)
    body = client.get(URL).content.decode()
    assert sorted(kinds(body)) == ["questionnaire", "school"]
    fill = reverse("assessments:family_fill", args=[world.child.id, asked.pk])
    school = reverse("schoolplans:index", args=[world.sibling.id])
    assert fill in links(body) and school in links(body)
    assert "Plan the move from early intervention before age 3" in body
    for link in (fill, school):
        assert client.get(link).status_code == 200, link
    other = client_as(world.other_guardian).get(URL).content.decode()
    assert kinds(other) == []
