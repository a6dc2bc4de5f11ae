"""Therapeutic groups through the pages: starting one, who it would suit, a family's
consent, the group session note landing in each child's own record, and leaving."""

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tandem.appointments.models import Appointment, AppointmentStatus, Room
from tandem.appointments.tests.helpers import clinic_time, make_appointment
from tandem.children.models import CareTeamMember, Child, TeamRole
from tandem.conftest import World
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.core.testing.text import without_tokens
from tandem.core.testing.types import ClientAs
from tandem.groups import actions as group_actions
from tandem.groups.models import Enrolment, GroupProgram, GroupSession
from tandem.groups.tests.helpers import program_fields, start_group
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.notifications.models import Kind, Notification
from tandem.plans import actions as plans
from tandem.plans.models import Goal
from tandem.plans.tests.helpers import goal_fields, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def next_monday(child: Child, weeks: int = 1) -> datetime.date:
    today = clock.today_for(child.organization)
    return today + datetime.timedelta(days=7 * weeks - today.weekday())


def social_goal(
    child: Child, therapist: Any, *statements: str, kind: str = "percent_trials"
) -> Goal:
    """An active plan with these goals in the social domain; the first goal."""
    plan = make_plan(child, therapist, status="draft", goals=0, discipline="slp")
    for statement in statements:
        plans.add_goal(
            plan,
            **goal_fields(
                statement=statement, domain="social", measurement_type=kind, mastery_value=80
            ),
        )
    plan.refresh_from_db()
    plans.set_plan_status(plan, expected_version=plan.version, status="active")
    return Goal.objects.filter(plan=plan).order_by("position")[0]


def new_family(world: World, first: str, last: str, **fields: Any) -> tuple[Child, Any]:
    child = f.ChildFactory(organization=world.org, first_name=first, last_name=last, **fields)
    f.CareTeamMemberFactory(child=child, therapist=world.therapist, role=TeamRole.LEAD)
    guardian = f.GuardianLinkFactory(child=child).guardian
    return child, guardian


def team_of(child: Child) -> set[Any]:
    return set(CareTeamMember.objects.filter(child=child).values_list("therapist", flat=True))


def form(leader: Any, day: datetime.date, **changes: Any) -> dict[str, Any]:
    fields = program_fields()
    data = {
        "name": fields["name"],
        "kind": fields["kind"],
        "discipline": fields["discipline"],
        "description": fields["description"],
        "target_domains": fields["target_domains"],
        "min_age_years": 3,
        "max_age_years": 6,
        "min_size": 3,
        "max_size": 6,
        "leader": leader.pk,
        "first_day": day.isoformat(),
        "start_time": "16:00",
        "duration_minutes": 60,
        "weeks": 8,
    }
    data.update(changes)
    return data


# --- Starting a group ---------------------------------------------------------------


def test_starting_a_group_books_its_weekly_sessions(world: World, client_as: ClientAs) -> None:
    room = Room.objects.create(organization=world.org, name="Gym")
    day = next_monday(world.child)
    response = client_as(world.front_desk).post(
        reverse("groups:new"), form(world.therapist, day, room=room.pk)
    )
    program = GroupProgram.objects.get(organization=world.org)
    assert response.status_code == 302 and response["Location"] == reverse(
        "groups:detail", args=[program.id]
    )
    starts = [
        s.encounter.starts_at
        for s in GroupSession.objects.filter(program=program).select_related("encounter")
    ]
    assert starts == [
        clinic_time(world.child, day + datetime.timedelta(weeks=n), 16) for n in range(8)
    ]
    encounter = GroupSession.objects.filter(program=program).first().encounter  # type: ignore[union-attr]
    assert (encounter.service_type, encounter.therapist, encounter.room) == (
        "group",
        world.therapist,
        room,
    )
    assert (program.min_age_months, program.max_age_months) == (36, 83)


def test_a_leader_busy_then_is_named_and_nothing_is_booked(
    world: World, client_as: ClientAs
) -> None:
    day = next_monday(world.child, weeks=2)
    make_appointment(world.child, world.therapist, clinic_time(world.child, day, 16, 30))
    response = client_as(world.admin).post(reverse("groups:new"), form(world.therapist, day))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{world.therapist.display_name} already has a session from 16:30 to 17:15" in body
    assert not GroupProgram.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_domains": []}, "Choose at least one domain the group works on."),
        ({"min_age_years": 7, "max_age_years": 4}, "The oldest age must be at least"),
        ({"weeks": 40}, "Ensure this value is less than or equal to 26."),
        ({"first_day": "2020-01-06"}, "The first session must be in the future."),
        ({"min_size": 6, "max_size": 3}, "The most children must be at least the fewest."),
    ],
)
def test_bad_group_details_are_refused_with_a_message(
    world: World, client_as: ClientAs, changes: dict[str, Any], message: str
) -> None:
    day = next_monday(world.child)
    response = client_as(world.admin).post(
        reverse("groups:new"), form(world.therapist, day, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GroupProgram.objects.exists()


def test_billing_and_families_find_no_groups(world: World, client_as: ClientAs) -> None:
    for member in (world.billing, world.guardian, world.collaborator):
        assert client_as(member).get(reverse("groups:index")).status_code == 404


# --- Who it would suit ---------------------------------------------------------------


def test_suggestions_are_ranked_and_explained(world: World, client_as: ClientAs) -> None:
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, next_monday(world.child), 16)
    )
    social_goal(
        world.child,
        world.therapist,
        "Maya will take turns in a board game.",
        "Maya will greet a friend by name.",
    )
    social_goal(world.sibling, world.therapist, "Eli will join a game with peers.")
    too_old, _ = new_family(world, "Oscar", "Quill", date_of_birth=datetime.date(2012, 1, 1))
    social_goal(too_old, world.therapist, "Oscar will join a conversation.")
    new_family(world, "Petra", "Vance")
    page = client_as(world.therapist).get(reverse("groups:detail", args=[program.id]))
    suggestions = page.context["candidates"]
    assert [c.child for c in suggestions] == [world.child, world.sibling]
    assert suggestions[0].reasons[0] == "2 active goals in social"
    assert "in the group's age range" in suggestions[0].reasons[1]
    body = page.content.decode()
    assert "Invite Maya Okafor" in body and "Oscar" not in body and "Petra" not in body


def test_a_therapist_is_suggested_only_their_caseload(world: World, client_as: ClientAs) -> None:
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, next_monday(world.child), 16)
    )
    social_goal(world.other_child, world.unassigned_therapist, "Noah will share toys.")
    therapist_page = client_as(world.therapist).get(reverse("groups:detail", args=[program.id]))
    assert "Noah" not in without_tokens(therapist_page.content)
    office_page = client_as(world.front_desk).get(reverse("groups:detail", args=[program.id]))
    assert [c.child for c in office_page.context["candidates"]] == [world.other_child]


def test_the_group_page_costs_the_same_for_a_big_caseload(
    world: World, client_as: ClientAs, django_assert_max_num_queries: Any
) -> None:
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, next_monday(world.child), 16)
    )
    client = client_as(world.admin)
    url = reverse("groups:detail", args=[program.id])
    for n in range(12):
        child, _ = new_family(world, f"Kid{n}", f"Family{n}")
        social_goal(child, world.therapist, f"Kid{n} will take turns.")
        if n % 3 == 0:
            client.post(url, {"action": "invite", "child": child.pk})
    with django_assert_max_num_queries(24):
        response = client.get(url)
    assert len(response.context["candidates"]) == 8


# --- Inviting, and the family's consent ------------------------------------------------


def test_a_family_consents_and_the_child_joins_every_session_to_come(
    world: World, client_as: ClientAs
) -> None:
    program = start_group(
        world.admin,
        world.unassigned_therapist,
        clinic_time(world.child, next_monday(world.child), 16),
    )
    social_goal(world.child, world.therapist, "Maya will take turns in a board game.")
    staff = client_as(world.therapist)
    staff.post(
        reverse("groups:detail", args=[program.id]), {"action": "invite", "child": world.child.pk}
    )
    enrolment = Enrolment.objects.get(program=program, child=world.child)
    assert enrolment.status == "invited"
    notice = Notification.objects.get(recipient=world.guardian, kind=Kind.GROUP_INVITATION)
    assert notice.url == reverse("groups:family", args=[world.child.id])
    family = client_as(world.guardian)
    page = family.get(notice.url).content.decode()
    assert "May Maya Okafor join this group?" in page and program.description in page
    response = family.post(
        notice.url, {"action": "yes", "enrolment": enrolment.pk, "version": enrolment.version}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.answered_by) == ("enrolled", world.guardian)
    places = Appointment.objects.filter(child=world.child, encounter__group__program=program)
    assert places.count() == 4 and {p.status for p in places} == {"scheduled"}
    seat = CareTeamMember.objects.get(child=world.child, therapist=world.unassigned_therapist)
    assert seat.role == TeamRole.TREATING
    appointments = family.get(reverse("appointments:family")).content.decode()
    assert "Group session" in appointments


def test_only_a_legal_guardian_answers(world: World, client_as: ClientAs) -> None:
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, next_monday(world.child), 16)
    )
    client_as(world.admin).post(
        reverse("groups:detail", args=[program.id]), {"action": "invite", "child": world.child.pk}
    )
    enrolment = Enrolment.objects.get(program=program)
    url = reverse("groups:family", args=[world.child.id])
    data = {"action": "yes", "enrolment": enrolment.pk, "version": enrolment.version}
    assert client_as(world.therapist).post(url, data).status_code == 403
    carer = f.GuardianLinkFactory(child=world.child, has_legal_authority=False).guardian
    assert client_as(carer).post(url, data).status_code == 403
    assert client_as(world.other_guardian).post(url, data).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "invited"


@pytest.mark.parametrize("problem", ["age", "full", "clash"])
def test_an_invitation_that_cannot_be_is_refused_with_the_reason(
    world: World, client_as: ClientAs, problem: str
) -> None:
    day = next_monday(world.child)
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, day, 16), min_size=2, max_size=2
    )
    client = client_as(world.admin)
    url = reverse("groups:detail", args=[program.id])
    if problem == "age":
        world.child.date_of_birth = datetime.date(2010, 1, 1)
        world.child.save()
        expected = "Maya Okafor's age is outside this group's age range."
    elif problem == "full":
        for first in ("Ada", "Ben"):
            child, _ = new_family(world, first, "Full")
            client.post(url, {"action": "invite", "child": child.pk})
        expected = "The group is full."
    else:
        make_appointment(
            world.child, world.unassigned_therapist, clinic_time(world.child, day, 16, 30)
        )
        expected = "Maya Okafor already has a session from 16:30 to 17:15"
    response = client.post(url, {"action": "invite", "child": world.child.pk}, follow=True)
    assert expected in html.unescape(response.content.decode())
    assert not Enrolment.objects.filter(child=world.child).exists()


# --- The group session note -------------------------------------------------------------


@pytest.fixture
def group_of_four(world: World, client_as: ClientAs) -> dict[str, Any]:
    """Four children of four families in a group, each with a social goal, a session past."""
    day = next_monday(world.child)
    program = start_group(world.admin, world.therapist, clinic_time(world.child, day, 16))
    children = [world.child]
    guardians = [world.guardian]
    for first, last in (("Ruby", "Marsh"), ("Tomas", "Ibarra"), ("Wren", "Haddad")):
        child, guardian = new_family(world, first, last)
        children.append(child)
        guardians.append(guardian)
    goals = {}
    for child in children:
        goals[child.pk] = social_goal(child, world.therapist, f"{child.first_name} takes turns.")
        client_as(world.admin).post(
            reverse("groups:detail", args=[program.id]), {"action": "invite", "child": child.pk}
        )
    for child, guardian in zip(children, guardians, strict=True):
        enrolment = Enrolment.objects.get(program=program, child=child)
        client_as(guardian).post(
            reverse("groups:family", args=[child.id]),
            {"action": "yes", "enrolment": enrolment.pk, "version": enrolment.version},
        )
    session = GroupSession.objects.filter(program=program).order_by("encounter__starts_at")[0]
    return {
        "program": program,
        "session": session,
        "children": children,
        "guardians": guardians,
        "goals": goals,
        "after": clinic_time(world.child, day, 17, 30),
    }


def note_form(group: dict[str, Any], sign: bool) -> dict[str, Any]:
    maya, ruby, tomas, wren = group["children"]
    data: dict[str, Any] = {
        "what_we_did": "Turn-taking games and a snack circle.",
        "activities": "Board game, snack circle",
        "sign": "1" if sign else "0",
        f"{maya.pk}-attendance": "present",
        f"{maya.pk}-note": "Waited for her turn four times.",
        f"{maya.pk}-engagement": "4",
        f"{ruby.pk}-attendance": "present",
        f"{ruby.pk}-note": "Needed a visual cue to wait.",
        f"{tomas.pk}-attendance": "absent",
        f"{wren.pk}-attendance": "excused",
    }
    for child, correct in ((maya, 8), (ruby, 5)):
        goal = group["goals"][child.pk]
        data |= {
            f"{child.pk}-{goal.pk}-correct": str(correct),
            f"{child.pk}-{goal.pk}-trials": "10",
            f"{child.pk}-{goal.pk}-prompt": "verbal",
            f"{child.pk}-{goal.pk}-gas": "0",
        }
    return data


def test_one_group_note_lands_in_each_childs_record(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    maya, ruby, tomas, wren = group["children"]
    url = reverse("groups:session", args=[group["session"].encounter_id])
    with time_machine.travel(group["after"]):
        client = client_as(world.therapist)
        page = client.get(url)
        assert page.status_code == 200
        assert [r["child"] for r in page.context["rows"]] == sorted(
            group["children"], key=lambda c: (c.first_name, c.last_name)
        )
        response = client.post(url, note_form(group, sign=True))
        assert response.status_code == 302
    encounter = group["session"].encounter
    notes = {n.child_id: n for n in SessionNote.objects.filter(encounter=encounter)}
    assert set(notes) == {maya.pk, ruby.pk}
    for child, value in ((maya, 80.0), (ruby, 50.0)):
        note = notes[child.pk]
        assert (note.status, note.service_type, note.author) == (
            NoteStatus.SIGNED,
            "group",
            world.therapist,
        )
        assert note.objective == "Turn-taking games and a snack circle."
        data = GoalData.objects.get(note=note)
        assert (data.goal, data.value, data.gas_level) == (group["goals"][child.pk], value, 0)
    statuses = dict(
        Appointment.objects.filter(encounter=encounter).values_list("child_id", "status")
    )
    assert statuses == {
        maya.pk: AppointmentStatus.ATTENDED,
        ruby.pk: AppointmentStatus.ATTENDED,
        tomas.pk: AppointmentStatus.MISSED,
        wren.pk: AppointmentStatus.CANCELLED,
    }
    progress = (
        client_as(world.therapist).get(reverse("progress:index", args=[ruby.id])).content.decode()
    )
    assert "Ruby takes turns." in progress


def test_each_family_sees_only_their_child(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    with time_machine.travel(group["after"]):
        client_as(world.therapist).post(
            reverse("groups:session", args=[group["session"].encounter_id]),
            note_form(group, sign=True),
        )
        for child, guardian in zip(group["children"], group["guardians"], strict=True):
            others = [c for c in group["children"] if c != child and c != world.sibling]
            family = client_as(guardian)
            pages = [
                reverse("groups:family", args=[child.id]),
                reverse("appointments:family"),
                reverse("notes:index", args=[child.id]),
                reverse("progress:index", args=[child.id]),
            ]
            note = SessionNote.objects.filter(child=child).first()
            if note is not None:
                pages.append(reverse("notes:detail", args=[child.id, note.id]))
            for url in pages:
                body = without_tokens(family.get(url).content)
                for other in others:
                    assert other.first_name not in body, (url, other.first_name)
                    assert other.last_name not in body, (url, other.last_name)
            assert (
                client_as(guardian)
                .get(reverse("groups:session", args=[group["session"].encounter_id]))
                .status_code
                == 404
            )


def test_a_bad_entry_saves_nothing_for_anyone(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    ruby = group["children"][1]
    data = note_form(group, sign=True)
    data[f"{ruby.pk}-{group['goals'][ruby.pk].pk}-correct"] = "12"
    with time_machine.travel(group["after"]):
        response = client_as(world.therapist).post(
            reverse("groups:session", args=[group["session"].encounter_id]), data
        )
    assert response.status_code == 400
    assert "Ruby Marsh: Correct cannot be more than the trials." in response.content.decode()
    assert not SessionNote.objects.filter(encounter=group["session"].encounter).exists()
    assert set(
        Appointment.objects.filter(encounter=group["session"].encounter).values_list(
            "status", flat=True
        )
    ) == {"scheduled"}


def test_signing_needs_each_present_childs_assessment(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    ruby = group["children"][1]
    data = note_form(group, sign=True)
    data[f"{ruby.pk}-note"] = ""
    with time_machine.travel(group["after"]):
        response = client_as(world.therapist).post(
            reverse("groups:session", args=[group["session"].encounter_id]), data
        )
    assert response.status_code == 400
    assert "Ruby Marsh: Write your assessment (A) before signing." in response.content.decode()
    assert not SessionNote.objects.filter(encounter=group["session"].encounter).exists()


def test_drafts_saved_then_signed(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    url = reverse("groups:session", args=[group["session"].encounter_id])
    with time_machine.travel(group["after"]):
        client = client_as(world.therapist)
        assert client.post(url, note_form(group, sign=False)).status_code == 302
        drafts = SessionNote.objects.filter(encounter=group["session"].encounter)
        assert {n.status for n in drafts} == {NoteStatus.DRAFT} and drafts.count() == 2
        page = client.get(url).content.decode()
        assert "Waited for her turn four times." in page
        # The form carries each draft's version: a stale one changes nothing.
        stale = client.post(url, note_form(group, sign=True))
        assert "Someone changed this session meanwhile" in stale.content.decode()
        assert {n.status for n in drafts.all()} == {NoteStatus.DRAFT}
        versions = {f"{n.child_id}-version": str(n.version) for n in drafts.all()}
        signed = client.post(url, note_form(group, sign=True) | versions)
        assert signed.status_code == 302
    assert {n.status for n in drafts.all()} == {NoteStatus.SIGNED} and drafts.count() == 2


def test_a_therapist_writes_only_their_childrens_part(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    """Noah's own therapist is on no other child's team: the group note shows them Noah
    alone, and what they post for another child is not written."""
    group = group_of_four
    program = group["program"]
    noah = world.other_child
    client_as(world.admin).post(
        reverse("groups:detail", args=[program.id]), {"action": "invite", "child": noah.pk}
    )
    enrolment = Enrolment.objects.get(child=noah, program=program)
    client_as(world.other_guardian).post(
        reverse("groups:family", args=[noah.id]),
        {"action": "yes", "enrolment": enrolment.pk, "version": enrolment.version},
    )
    url = reverse("groups:session", args=[group["session"].encounter_id])
    data = note_form(group, sign=False) | {
        f"{noah.pk}-attendance": "present",
        f"{noah.pk}-note": "Shared the blocks.",
    }
    with time_machine.travel(group["after"]):
        client = client_as(world.unassigned_therapist)
        page = client.get(url)
        assert [r["child"] for r in page.context["rows"]] == [noah]
        assert "Ruby" not in without_tokens(page.content)
        assert client.post(url, data).status_code == 302
    written = SessionNote.objects.filter(encounter=group["session"].encounter)
    assert [n.child for n in written] == [noah]


def test_leaving_cancels_the_sessions_to_come(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    maya = group["children"][0]
    enrolment = Enrolment.objects.get(child=maya, program=group["program"])
    response = client_as(world.guardian).post(
        reverse("groups:family", args=[maya.id]),
        {"action": "leave", "enrolment": enrolment.pk, "version": enrolment.version},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "left"
    places = Appointment.objects.filter(child=maya, encounter__group__program=group["program"])
    assert {p.status for p in places} == {"cancelled"}
    assert {p.cancelled_by for p in places} == {world.guardian}


def test_a_child_who_left_can_join_again(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    program = group["program"]
    ruby, guardian = group["children"][1], group["guardians"][1]
    family = client_as(guardian)
    place = reverse("groups:family", args=[ruby.id])
    enrolment = Enrolment.objects.get(child=ruby, program=program)
    family.post(place, {"action": "leave", "enrolment": enrolment.pk, "version": enrolment.version})
    # The leader was her lead therapist before the group: still on her team.
    assert team_of(ruby) == {world.therapist.pk}
    client_as(world.admin).post(
        reverse("groups:detail", args=[program.id]), {"action": "invite", "child": ruby.pk}
    )
    enrolment.refresh_from_db()
    response = family.post(
        place, {"action": "yes", "enrolment": enrolment.pk, "version": enrolment.version}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    places = Appointment.objects.filter(child=ruby, encounter__group__program=program)
    assert places.count() == 4 and {p.status for p in places} == {"scheduled"}


def test_leaving_takes_off_the_team_only_whom_joining_seated(
    world: World, client_as: ClientAs
) -> None:
    program = start_group(
        world.admin,
        world.therapist,
        clinic_time(world.child, next_monday(world.child), 16),
        co_leader=world.unassigned_therapist,
    )
    client_as(world.admin).post(
        reverse("groups:detail", args=[program.id]), {"action": "invite", "child": world.child.pk}
    )
    enrolment = Enrolment.objects.get(program=program)
    family = client_as(world.guardian)
    url = reverse("groups:family", args=[world.child.id])
    family.post(url, {"action": "yes", "enrolment": enrolment.pk, "version": enrolment.version})
    seated = set(
        CareTeamMember.objects.filter(child=world.child).values_list("therapist", flat=True)
    )
    assert world.unassigned_therapist.pk in seated  # the co-leader joined her team
    enrolment.refresh_from_db()
    family.post(url, {"action": "leave", "enrolment": enrolment.pk, "version": enrolment.version})
    after = set(
        CareTeamMember.objects.filter(child=world.child).values_list("therapist", flat=True)
    )
    assert after == seated - {world.unassigned_therapist.pk}  # her lead therapist stays


def test_an_archived_child_frees_their_place(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    from tandem.groups.actions import places_taken

    assert places_taken(group_of_four["program"]) == 4
    wren = group_of_four["children"][3]
    wren.archived_at = clock.now()
    wren.save()
    assert places_taken(group_of_four["program"]) == 3


def test_a_child_with_no_legal_guardian_is_not_invited(world: World, client_as: ClientAs) -> None:
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, next_monday(world.child), 16)
    )
    child = f.ChildFactory(organization=world.org, first_name="Solo", last_name="Kid")
    response = client_as(world.admin).post(
        reverse("groups:detail", args=[program.id]),
        {"action": "invite", "child": child.pk},
        follow=True,
    )
    assert "no parent or guardian with legal authority" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_signing_takes_off_a_goal_the_group_did_not_work_on(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    maya = group["children"][0]
    extra = social_goal(maya, world.therapist, "Maya asks a friend to play.", "Maya waits.")
    data = note_form(group, sign=True) | {
        f"{maya.pk}-{extra.pk}-correct": "6",
        f"{maya.pk}-{extra.pk}-trials": "10",
    }
    data[f"{maya.pk}-engagement"] = "9"
    url = reverse("groups:session", args=[group["session"].encounter_id])
    with time_machine.travel(group["after"]):
        client = client_as(world.therapist)
        refused = client.post(url, data)
        assert "Engagement is from 1 to 5." in refused.content.decode()
        data[f"{maya.pk}-engagement"] = "4"
        assert client.post(url, data).status_code == 302
    note = SessionNote.objects.get(child=maya, encounter=group["session"].encounter)
    assert note.status == NoteStatus.SIGNED
    assert [d.goal for d in GoalData.objects.filter(note=note)] == [extra]


def test_the_group_page_costs_the_same_for_more_children(
    world: World, client_as: ClientAs, django_assert_max_num_queries: Any
) -> None:
    program = start_group(
        world.admin,
        world.therapist,
        clinic_time(world.child, next_monday(world.child), 16),
        max_size=12,
    )
    client = client_as(world.admin)
    url = reverse("groups:detail", args=[program.id])
    for n in range(10):
        child, guardian = new_family(world, f"Kid{n}", f"Family{n}")
        client.post(url, {"action": "invite", "child": child.pk})
        enrolment = Enrolment.objects.get(child=child)
        group_actions.answer(guardian, enrolment, expected_version=enrolment.version, consent=True)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert len(response.context["enrolments"]) == 10


def test_closing_a_group_frees_the_calendar_and_the_children(
    world: World, client_as: ClientAs, group_of_four: dict[str, Any]
) -> None:
    group = group_of_four
    program = group["program"]
    url = reverse("groups:detail", args=[program.id])
    close = {"action": "close", "version": program.version}
    assert client_as(world.unassigned_therapist).post(url, close).status_code == 403
    empty = start_group(
        world.admin,
        world.therapist,
        clinic_time(world.child, next_monday(world.child, weeks=2), 9),
        name="Nobody yet",
    )
    client_as(world.therapist).post(
        reverse("groups:detail", args=[empty.id]), {"action": "close", "version": empty.version}
    )
    assert not GroupSession.objects.filter(program=empty).exists()  # off the calendar
    response = client_as(world.front_desk).post(url, close, follow=True)
    assert "The group is closed" in response.content.decode()
    program.refresh_from_db()
    assert program.closed_at is not None
    assert set(Enrolment.objects.filter(program=program).values_list("status", flat=True)) == {
        "left"
    }
    places = Appointment.objects.filter(encounter__group__program=program)
    assert places.count() == 16 and {p.status for p in places} == {"cancelled"}
    again = client_as(world.admin).post(
        url, {"action": "invite", "child": world.sibling.pk}, follow=True
    )
    assert "This group is closed." in again.content.decode()
