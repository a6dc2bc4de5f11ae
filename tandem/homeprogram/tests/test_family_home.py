"""The guardian's home: each child's week at home, progress in one line, bounded queries."""

import datetime
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tandem.accounts.models import Membership
from tandem.assessments.tests.helpers import make_evaluation
from tandem.children.models import Child, GuardianLink
from tandem.core.testing import factories as f
from tandem.core.testing.text import without_tokens
from tandem.homeprogram import actions, family
from tandem.messaging.tests.helpers import make_schedule
from tandem.plans import actions as plan_actions
from tandem.plans import signatures
from tandem.plans.tests.helpers import make_plan
from tandem.progress.tests.helpers import record_sessions

from .helpers import goal_of, log, make_activity, today
from .test_for_you import offer

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

URL = reverse("homeprogram:family_home")
# Measured after a first request has set the session up: eight for the session, the
# user, allauth's user-session bookkeeping and the membership; the children, their care
# teams and the access-log insert; this home program's four (activities, this week's
# logs, goals, signed session data); the next appointments and unread messages (from
# their apps), the plans waiting for the guardian's signature and the check-ins due,
# the times offered and the reports shared lately ("For you"), and the notifications
# badge. The same for one child or five.
BUDGET = 20


def weekly_sessions(author, child, goal, values):
    start = today() - datetime.timedelta(weeks=len(values))
    record_sessions(
        author,
        child,
        [(start + datetime.timedelta(weeks=i), {goal: (v, None)}) for i, v in enumerate(values)],
    )


def test_each_child_shows_this_weeks_activities_with_one_tap_buttons(world, client_as):
    pegs = make_activity(world.child, world.therapist)
    make_activity(world.sibling, world.therapist, title="Ball toss", times_per_week=5)
    log(pegs, world.guardian)
    body = client_as(world.guardian).get(URL).content.decode()
    assert "Maya Okafor" in body and "Eli Okafor" in body
    assert "Pinch the pegs" in body and "1 of 3 this week" in body
    assert "Ball toss" in body and "0 of 5 this week" in body
    assert reverse("homeprogram:log_new", args=[world.sibling.id, pegs.id]) not in body
    assert body.count('name="outcome" value="done"') == 2
    assert "Logged today:" in body


def test_other_families_activities_never_show(world, client_as):
    make_activity(world.other_child, world.unassigned_therapist, title="Secret sauce")
    body = without_tokens(client_as(world.guardian).get(URL).content)
    assert "Secret sauce" not in body and "Noah" not in body


def test_archived_activities_are_not_on_the_week(world, client_as):
    activity = make_activity(world.child, world.therapist)
    actions.set_activity_status(activity, expected_version=1, status="archived")
    body = client_as(world.guardian).get(URL).content.decode()
    assert "Pinch the pegs" not in body
    assert "Nothing to practise yet" in body


def test_progress_line_says_the_direction_in_plain_words(world, client_as):
    goal = goal_of(world.child, world.therapist)
    weekly_sessions(world.therapist, world.child, goal, [20, 30, 40, 50, 60])
    body = client_as(world.guardian).get(URL).content.decode()
    assert "Working on 1 goal · 1 moving in the right direction" in body


def test_a_setback_is_told_kindly_on_the_home(world, client_as):
    goal = goal_of(world.child, world.therapist)
    weekly_sessions(world.therapist, world.child, goal, [60, 65, 70, 40, 35, 30])
    body = client_as(world.guardian).get(URL).content.decode()
    assert "1 taking a little longer (that&#x27;s normal)" in body
    assert "is taking a little longer right now. That is a normal part of progress" in body
    assert "regression" not in body.lower()


def test_appointments_and_messages_come_from_their_apps(world, client_as, monkeypatch):
    class Appointment:
        starts_at = datetime.datetime(2030, 3, 5, 15, 30, tzinfo=datetime.UTC)
        therapist = world.therapist

    readers = {
        "next_appointments": lambda membership, ids: {world.child.id: Appointment()},
        "unread_counts": lambda membership, ids: {world.sibling.id: 2},
    }
    monkeypatch.setattr(family, "optional_reader", lambda module, name: readers.get(name))
    body = client_as(world.guardian).get(URL).content.decode()
    assert "Next appointment:" in body and "Tuesday 5 March" in body
    assert "2 new messages" in body


def test_apps_that_are_not_there_are_left_out(world, client_as, monkeypatch):
    monkeypatch.setattr(family, "optional_reader", lambda module, name: None)
    body = client_as(world.guardian).get(URL).content.decode()
    assert "Next appointment:" not in body and "new message" not in body


def test_a_plan_to_sign_shows_for_the_guardian_and_leads_to_the_signature(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.guardian)
    body = client.get(URL).content.decode()
    link = reverse("plans:detail", args=[world.child.id, plan.id]) + "#sign"
    assert "For you" in body and f'href="{link}"' in body
    assert "Read and sign the Occupational therapy plan" in body
    assert client.get(link.split("#")[0]).status_code == 200


def test_a_signed_plan_leaves_the_list_until_it_changes(world, client_as):
    plan = make_plan(world.child, world.therapist)
    name = signatures.signing_name(world.guardian)
    signatures.sign_plan(plan, world.guardian, name, expected_version=plan.version)
    client = client_as(world.guardian)
    assert 'data-for-you="plan"' not in client.get(URL).content.decode()

    plan_actions.update_plan(plan, expected_version=plan.version, summary="New summary")
    assert 'data-for-you="plan"' in client.get(URL).content.decode()


def test_only_a_guardian_with_legal_authority_is_asked_to_sign(world, client_as):
    make_plan(world.child, world.therapist)
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.has_legal_authority = False
    link.save()
    assert 'data-for-you="plan"' not in client_as(world.guardian).get(URL).content.decode()


def test_a_due_check_in_shows_with_its_link(world, client_as):
    make_schedule(world.child, world.therapist, due_in_days=-1)
    make_schedule(world.sibling, world.therapist, due_in_days=7)
    client = client_as(world.guardian)
    body = client.get(URL).content.decode()
    link = reverse("messaging:checkin", args=[world.child.id])
    assert f'href="{link}"' in body
    assert reverse("messaging:checkin", args=[world.sibling.id]) not in body
    assert client.get(link).status_code == 200


def test_the_next_appointment_links_to_the_familys_appointments(world, client_as, monkeypatch):
    class Appointment:
        starts_at = datetime.datetime(2030, 3, 5, 15, 30, tzinfo=datetime.UTC)
        therapist = world.therapist

    real = family.optional_reader

    def readers(module: str, name: str) -> Callable[..., Any] | None:
        if name == "next_appointments":
            return lambda membership, ids: {world.child.id: Appointment()}
        return real(module, name)

    monkeypatch.setattr(family, "optional_reader", readers)
    client = client_as(world.guardian)
    link = f"{reverse('appointments:family')}?child={world.child.id}"
    assert f'href="{link}"' in client.get(URL).content.decode()
    assert client.get(link).status_code == 200


def test_the_team_and_the_next_session_in_the_familys_language(world, client_as):
    """The team's disciplines are translated once a page and the next session is read
    with only the fields the home shows (issue 16): both still say the right thing."""
    from tandem.accounts.models import Discipline
    from tandem.appointments.tests.helpers import in_days, make_appointment

    make_appointment(world.child, world.therapist, in_days(world.child, 2, 15))
    name = world.therapist.user.first_name
    label = Discipline(world.therapist.discipline).label
    with translation.override("en"):
        english = str(label)
    with translation.override("es"):
        spanish = str(label)
    assert spanish != english
    body = without_tokens(client_as(world.guardian).get(URL).content)
    assert f"with {name}" in body and f"{name}, {english}" in body
    world.guardian.user.language = "es"
    world.guardian.user.save()
    body = without_tokens(client_as(world.guardian).get(URL).content)
    assert f"con {name}" in body and f"{name}, {spanish}" in body


def test_optional_reader_ignores_only_a_missing_module():
    assert family.optional_reader("tandem.nothing_here.reading", "f") is None
    assert family.optional_reader("tandem.homeprogram.reading", "adherence") is not None


def _family_of(world: Any, children: int) -> Membership:
    guardian = cast(Membership, f.GuardianFactory(organization=world.org))
    for n in range(children):
        child = cast(Child, f.ChildFactory(organization=world.org, first_name=f"Kid{n}"))
        f.GuardianLinkFactory(child=child, guardian=guardian)
        f.CareTeamMemberFactory(child=child, therapist=world.therapist, role="lead")
        goal = goal_of(child, world.therapist)
        weekly_sessions(world.therapist, child, goal, [20, 30, 40, 50, 60, 70])
        for k in range(3):
            activity = make_activity(child, world.therapist, title=f"Activity {k}", goals=[goal])
            log(activity, guardian, outcome="partly", barrier="no_time")
        make_plan(child, world.therapist, discipline="pt")
        make_schedule(child, world.therapist, due_in_days=-1)
        make_evaluation(child, world.therapist)
        offer(child, world.therapist)
    return guardian


def test_family_home_queries_are_bounded(world, client_as, django_assert_max_num_queries):
    guardian = _family_of(world, 4)
    client = client_as(guardian)
    client.get(URL)  # set the session up
    with django_assert_max_num_queries(BUDGET) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('class="practice-card"') == 12
    assert (
        response.content.decode().count('data-for-you="plan"') == 8
    )  # goal_of's plan and a PT plan
    assert response.content.decode().count('data-for-you="checkin"') == 4
    assert response.content.decode().count('data-for-you="report"') == 4
    assert response.content.decode().count('data-for-you="times"') == 4
    print(f"\nfamily home, 4 children x 3 activities: {len(captured)} queries")


def test_family_home_queries_do_not_grow_with_children(world, client_as):
    counts = []
    for size in (1, 5):
        client = client_as(_family_of(world, size))
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
