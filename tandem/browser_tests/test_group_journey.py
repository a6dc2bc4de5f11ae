"""Issue 10's group and series journeys in a browser.

- A group of four: the leader writes one group note (attendance, then each child's note
  and data), it lands in each child's own record and chart, and each family, on their
  phone, sees their own child's group and never another child of it.
- A weekly series changed "this and the following sessions": the first sessions keep
  their time, the rest move, and the series is split where the change starts.
"""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.appointments import series
from tandem.appointments.models import Appointment, Series
from tandem.appointments.tests.helpers import clinic_time, in_days
from tandem.conftest import World
from tandem.groups import actions
from tandem.groups.models import Enrolment, GroupSession
from tandem.groups.tests.helpers import start_group
from tandem.groups.tests.test_groups import new_family, next_monday, social_goal
from tandem.notes.models import GoalData, NoteStatus, SessionNote

from .accessibility import assert_accessible
from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in
from .test_screenshots import overflows_sideways

pytestmark = pytest.mark.browser


def saying(page: Page, text: str) -> None:
    expect(page.locator(".messages[role=status]")).to_contain_text(text)


def group_of_four(world: World) -> dict[str, Any]:
    day = next_monday(world.child)
    program = start_group(world.admin, world.therapist, clinic_time(world.child, day, 16))
    families = [(world.child, world.guardian)]
    for first, last in (("Ruby", "Marsh"), ("Tomas", "Ibarra"), ("Wren", "Haddad")):
        families.append(new_family(world, first, last))
    goals = {}
    for child, guardian in families:
        goals[child.pk] = social_goal(child, world.therapist, f"{child.first_name} takes turns.")
        enrolment = actions.invite(world.admin, program, child)
        actions.answer(guardian, enrolment, expected_version=enrolment.version, consent=True)
    session = GroupSession.objects.filter(program=program).order_by("encounter__starts_at")[0]
    return {
        "program": program,
        "session": session,
        "families": families,
        "goals": goals,
        "after": clinic_time(world.child, day, 17, 15),
    }


def captured(page: Page, folder: Any, name: str) -> None:
    """A screenshot at 375 and 1280 px, and no sideways scroll on either."""
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.screenshot(path=folder / f"{name}-{viewport['width']}.png", full_page=True)
        assert not overflows_sideways(page), (name, viewport)
    page.set_viewport_size(DESKTOP)


def test_one_group_note_updates_four_charts_and_each_family_sees_only_theirs(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    folder = screenshot_dir(request.config)
    group = group_of_four(world)
    therapist = new_page()
    secret = give_authenticator(world.therapist)
    with time_machine.travel(group["after"], tick=True):
        sign_in(therapist, world.therapist, secret=secret)
        therapist.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
        therapist.get_by_role("link", name="Friends club").click()
        captured(therapist, folder, "group")
        therapist.get_by_role("link", name="Group note").first.click()
        expect(therapist.get_by_role("heading", level=1)).to_contain_text("Friends club")
        assert_accessible(therapist)
        captured(therapist, folder, "group-note")
        therapist.get_by_label("What the group did").fill("Turn-taking games, snack circle.")
        for n, (child, _guardian) in enumerate(group["families"]):
            card = therapist.locator("section.group-child", has_text=child.display_name)
            card.get_by_label("Came", exact=True).check()
            card.get_by_label(re.compile("How it went for")).fill(f"Waited {n + 2} times.")
            card.get_by_label("Correct").fill(str(5 + n))
            card.get_by_label("of trials").fill("10")
        therapist.get_by_role("button", name="Sign every child's note").click()
        saying(therapist, "Signed: each child's note is in their record.")
        # Each child's chart has the session's point, on their own progress page.
        for n, (child, _guardian) in enumerate(group["families"]):
            therapist.goto(reverse("progress:index", args=[child.id]))
            expect(therapist.locator("body")).to_contain_text(f"{child.first_name} takes turns.")
            # Filtered by clinic like every query: the page may still be asking the live server.
            entry = GoalData.objects.get(
                organization_id=child.organization_id, goal=group["goals"][child.pk]
            )
            assert entry.value == 10.0 * (5 + n)
    notes = SessionNote.objects.filter(encounter=group["session"].encounter)
    assert notes.count() == 4 and {n.status for n in notes} == {NoteStatus.SIGNED}

    # Each family, on a phone, sees their own child's group and none of the others.
    names = [child.first_name for child, _g in group["families"]]
    for child, guardian in group["families"][:2]:
        family = new_page(PHONE)
        sign_in(family, guardian)
        for url in (
            reverse("groups:family", args=[child.id]),
            reverse("appointments:family"),
            reverse("notes:index", args=[child.id]),
        ):
            family.goto(url)
            text = family.locator("main").inner_text()
            others = [n for n in names if n != child.first_name and n in text]
            assert others == [], (url, others)
        family.goto(reverse("groups:family", args=[child.id]))
        expect(family.get_by_role("heading", name=re.compile("Friends club"))).to_be_visible()
        assert_accessible(family)
        captured(family, folder, "group-family")
        family.close()


def test_a_family_says_yes_to_a_group_on_their_phone(new_page: NewPage, world: World) -> None:
    program = start_group(
        world.admin, world.therapist, clinic_time(world.child, next_monday(world.child), 16)
    )
    social_goal(world.child, world.therapist, "Maya will take turns in a board game.")
    desk = new_page()
    sign_in(desk, world.front_desk, secret=give_authenticator(world.front_desk))
    desk.goto(reverse("groups:detail", args=[program.id]))
    expect(desk.get_by_text("1 active goal in social")).to_be_visible()
    desk.get_by_role("button", name="Invite Maya Okafor").click()
    saying(desk, "Maya Okafor's family is asked to consent.")
    family = new_page(PHONE)
    sign_in(family, world.guardian)
    family.goto(reverse("notifications:index"))
    family.get_by_role("button", name=re.compile("invited to")).first.click()
    expect(family.get_by_text("May Maya Okafor join this group?")).to_be_visible()
    assert_accessible(family)
    family.get_by_role("button", name="Yes, they may join").click()
    saying(family, "Maya Okafor is in the group")
    assert Enrolment.objects.get(program=program).status == "enrolled"
    family.goto(reverse("appointments:family"))
    expect(family.get_by_text("Group session").first).to_be_visible()


def test_a_weekly_series_changed_this_and_following(new_page: NewPage, world: World) -> None:
    first = in_days(world.child, 2, 10)
    booked = series.book_series(
        world.therapist,
        world.child,
        rule=series.weekly(1, 6),
        therapist=world.therapist,
        starts_at=first,
        duration_minutes=45,
        service_type="individual",
        discipline="ot",
        location="clinic",
    )
    third = booked[2]
    therapist = new_page()
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    therapist.goto(reverse("appointments:edit", args=[world.child.id, third.id]))
    assert_accessible(therapist)
    therapist.get_by_label("Time").fill("12:00")
    therapist.get_by_role("group", name="Change").get_by_label(
        "This and the following sessions"
    ).check()
    therapist.get_by_role("button", name="Save").click()
    expect(therapist).to_have_url(re.compile(reverse("appointments:child", args=[world.child.id])))
    after = list(
        Appointment.objects.filter(child=world.child)
        .select_related("encounter")
        .order_by("encounter__starts_at")
    )
    hours = [a.encounter.starts_at.astimezone(first.tzinfo).hour for a in after]
    assert hours == [10, 10, 12, 12, 12, 12]
    assert Series.objects.count() == 2
    # The list the therapist lands on shows the new times.
    third_day = after[2].encounter.starts_at.astimezone(first.tzinfo).date()
    assert third_day == first.date() + datetime.timedelta(weeks=2)
    expect(therapist.locator("main")).to_contain_text("noon – 12:45 p.m.")
