"""The therapist's "Today / needs you" page, through the page, on a hand-built caseload."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.appointments.tests.helpers import (
    clinic_time,
    clinic_today,
    in_days,
    make_appointment,
)
from tandem.children.models import TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.text import without_tokens
from tandem.core.testing.types import ClientAs
from tandem.homeprogram.tests.helpers import log, make_activity
from tandem.messaging import actions as messaging
from tandem.messaging.models import CheckIn
from tandem.notes.tests.helpers import make_note
from tandem.plans.tests.helpers import make_plan
from tandem.progress.tests.helpers import make_goal, record_sessions, weekly
from tandem.progress.tests.helpers import make_plan as plan_in_orm

URL = reverse("today:home")
pytestmark = [pytest.mark.django_db, pytest.mark.clock]  # the clinic's today: `make test-clock`


def sections(body: str) -> dict[str, str]:
    """Each section of the page by its heading's id (``drafts-h`` → its HTML)."""
    found = {}
    for match in re.finditer(
        r'<section class="card" aria-labelledby="([a-z]+)-h">(.*?)</section>', body, re.S
    ):
        found[match.group(1)] = match.group(2)
    return found


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def build_caseload(world: World) -> None:
    """Maya and Eli are the therapist's (lead); Noah is another therapist's."""
    maya, eli = world.child, world.sibling
    today = clinic_today(maya)
    therapist = world.therapist
    # Today: Maya at 10:00, nothing written yet.
    make_appointment(maya, therapist, in_days(maya, 0, hour=10))
    # A draft about Eli, five days old.
    make_note(eli, therapist, date=today - datetime.timedelta(days=5))
    # Maya's plan: its review date has passed and her mother has not signed it.
    make_plan(maya, therapist, review_date=today - datetime.timedelta(days=3))
    # Eli's goal going backwards over six weeks of signed sessions.
    plan = plan_in_orm(
        eli, therapist, discipline="pt", start_date=today - datetime.timedelta(days=60)
    )
    goal = make_goal(plan, statement="Stacks six blocks")
    record_sessions(
        therapist,
        eli,
        weekly([90, 80, 70, 60, 45, 30], goal, start=today - datetime.timedelta(weeks=6)),
    )
    # Maya's IEP meeting in ten days.
    maya.iep_date = today + datetime.timedelta(days=10)
    maya.save()
    # Eli's mother said she is struggling.
    CheckIn.objects.create(
        organization=world.child.organization,
        child=eli,
        guardian=world.guardian,
        wellbeing=1,
        hard="Sleep",
    )
    # A message from the family the therapist has not read.
    messaging.post_message(world.guardian, maya, "Maya buttoned her coat today!")
    # Home practice: three times a week planned, once logged in eight finished weeks.
    activity = make_activity(maya, therapist, times_per_week=3)
    log(activity, world.guardian, date=today - datetime.timedelta(days=7))
    # Noah is not theirs: his draft never shows.
    make_note(world.other_child, world.unassigned_therapist)


def test_the_day_lists_what_the_caseload_asks(world: World, client_as: ClientAs) -> None:
    build_caseload(world)
    response = client_as(world.therapist).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    parts = {k: text(v) for k, v in sections(body).items()}
    assert "Maya Okafor" in parts["sessions"] and "Write the note" in parts["sessions"]
    appointment = response.context["needs"].sessions[0]
    assert f"/sessions/new/?appointment={appointment.id}" in body
    assert "Eli Okafor" in parts["drafts"] and "5 days old" in parts["drafts"]
    assert (
        "Review overdue since" in parts["plans"]
        and "Not yet signed by the family" in parts["plans"]
    )
    assert "Stacks six blocks" in parts["flags"] and "Going backwards" in parts["flags"]
    assert "Maya Okafor" in parts["dates"] and "IEP" in parts["dates"]
    assert "Eli Okafor" in parts["checkins"] and "struggling" in parts["checkins"]
    assert "Maya Okafor" in parts["unread"] and "1 new" in parts["unread"]
    # 1 of 3 × 8 weeks planned = 4 %, the figure the child's adherence page shows.
    assert "Maya Okafor" in parts["adherence"] and "4% of planned practice" in parts["adherence"]
    assert "Noah" not in without_tokens(body)
    assert "cosign" not in parts  # no assistant's note is waiting


def test_the_supervisor_sees_notes_to_cosign(world: World, client_as: ClientAs) -> None:
    make_note(world.child, world.assistant, sign=True)
    parts = {
        k: text(v)
        for k, v in sections(client_as(world.therapist).get(URL).content.decode()).items()
    }
    assert "Maya Okafor" in parts["cosign"]


def test_a_written_note_is_opened_not_started_again(world: World, client_as: ClientAs) -> None:
    note = make_note(world.child, world.therapist)  # today, on a session of its own
    response = client_as(world.therapist).get(URL)
    assert [a.encounter_id for a in response.context["needs"].sessions] == [note.encounter_id]
    body = response.content.decode()
    assert "Finish the note" in body and f"/sessions/{note.id}/edit/" in body
    assert "Write the note" not in body


def test_an_empty_day_says_so(world: World, client_as: ClientAs) -> None:
    body = client_as(world.unassigned_therapist).get(URL).content.decode()
    assert "No sessions booked for you today." in body
    assert "Nothing is waiting for you." in body


def test_the_children_named_are_in_the_access_log(world: World, client_as: ClientAs) -> None:
    from tandem.audit.models import AccessLog

    build_caseload(world)
    client_as(world.therapist).get(URL)
    mine = AccessLog.objects.filter(user=world.therapist.user, route="today:home")
    assert mine.about(world.child).exists() and mine.about(world.sibling).exists()
    assert not mine.about(world.other_child).exists()


def test_home_is_today_for_therapists_and_admins(world: World, client_as: ClientAs) -> None:
    assert client_as(world.therapist).get("/")["Location"] == URL
    assert client_as(world.admin).get("/")["Location"] == URL
    assert client_as(world.guardian).get(URL).status_code == 404
    assert client_as(world.front_desk).get(URL).status_code == 404


def _grow(world: World, n: int) -> None:
    """``n`` more children on the therapist's caseload, each with a row in every list: a
    session today, a draft, an assistant's note to co-sign, a goal going backwards, a
    plan due, an IEP date, home practice slipping, a check-in asking for contact and an
    unread message."""
    today = clinic_today(world.child)
    for i in range(n):
        child = f.ChildFactory(
            organization=world.child.organization,
            first_name=f"Kid{i}",
            iep_date=today + datetime.timedelta(days=3),
        )
        guardian = f.GuardianLinkFactory(child=child).guardian
        f.CareTeamMemberFactory(child=child, therapist=world.therapist, role=TeamRole.LEAD)
        f.CareTeamMemberFactory(child=child, therapist=world.assistant, role=TeamRole.TREATING)
        make_note(child, world.assistant, sign=True, date=today - datetime.timedelta(days=1))
        plan = plan_in_orm(
            child, world.therapist, discipline="pt", start_date=today - datetime.timedelta(days=60)
        )
        goal = make_goal(plan)
        record_sessions(
            world.therapist,
            child,
            weekly([90, 80, 70, 60, 45, 30], goal, start=today - datetime.timedelta(weeks=6)),
        )
        activity = make_activity(child, world.therapist, times_per_week=3)
        log(activity, guardian, date=today - datetime.timedelta(days=7))
        make_appointment(child, world.therapist, clinic_time(child, today, 9 + i % 8))
        make_note(child, world.therapist, date=today - datetime.timedelta(days=2))
        make_plan(child, world.therapist, review_date=today + datetime.timedelta(days=5))
        CheckIn.objects.create(
            organization=world.child.organization, child=child, guardian=guardian, wellbeing=2
        )
        messaging.post_message(guardian, child, "A question about the exercises")


def test_queries_do_not_grow_with_the_caseload(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    build_caseload(world)
    _grow(world, 2)
    client.get(URL)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _grow(world, 6)
    client.get(URL)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(small) <= 30


def test_a_second_therapist_writes_their_own_note(world: World, client_as: ClientAs) -> None:
    """In a co-treatment each therapist writes a note: the lead's draft is not the
    assistant's to finish."""
    appointment = make_appointment(
        world.child,
        world.therapist,
        in_days(world.child, 0, hour=0, minute=1),
        co_therapist=world.assistant,
    )
    lead_note = make_note(world.child, world.therapist)  # moved to the co-treatment below
    from tandem.notes.models import SessionNote

    SessionNote._base_manager.filter(pk=lead_note.pk).update(encounter=appointment.encounter)
    lead = client_as(world.therapist).get(URL)
    mine = next(a for a in lead.context["needs"].sessions if a.id == appointment.id)
    assert mine.note_id == lead_note.id
    second = client_as(world.assistant).get(URL)
    theirs = next(a for a in second.context["needs"].sessions if a.id == appointment.id)
    assert theirs.note_id is None and theirs.may_write_note
    assert f"/sessions/new/?appointment={appointment.id}" in second.content.decode()


def test_sent_back_notes_wait_on_the_author_not_the_supervisor(
    world: World, client_as: ClientAs
) -> None:
    from tandem.notes import cosigning

    note = make_note(world.child, world.assistant, sign=True)
    cosigning.return_note(note, world.therapist, "Add the prompt levels, please.")
    supervisor = client_as(world.therapist).get(URL).context["needs"]
    assert supervisor.cosign.total == 0
    author = client_as(world.assistant).get(URL)
    assert author.context["needs"].sent_back.total == 1
    assert "Sent back to you" in author.content.decode()


def test_drafts_listed_are_ones_to_finish_now(world: World, client_as: ClientAs) -> None:
    """Not a session still to come, not an archived child's (its editor would be 404)."""
    from tandem.children.actions import archive_child

    today = clinic_today(world.child)
    ahead = make_note(world.sibling, world.therapist, date=today + datetime.timedelta(days=2))
    gone = make_note(world.child, world.therapist, date=today - datetime.timedelta(days=3))
    archive_child(world.child, expected_version=world.child.version)
    drafts = client_as(world.therapist).get(URL).context["needs"].drafts
    listed = {n.id for n in drafts.rows}
    assert ahead.id not in listed and gone.id not in listed
