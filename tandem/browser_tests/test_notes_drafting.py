""" "Draft the note" in a real browser: a 3-goal session's Objective and Assessment in one
click, typed text kept with the draft shown beside it, and the family reading the summary
on a phone — with axe-core checks of the editor and the family's page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.accessibility import assert_accessible
from tandem.browser_tests.conftest import PHONE, NewPage, give_authenticator, sign_in
from tandem.conftest import World
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import goals_for, make_note
from tandem.plans import actions as plan_actions
from tandem.plans.tests.helpers import goal_fields

pytestmark = pytest.mark.browser


def saved(note: SessionNote) -> SessionNote:
    return SessionNote.objects.get(organization=note.organization, pk=note.pk)


def test_a_three_goal_session_is_drafted_in_one_click(
    page: Page, new_page: NewPage, world: World
) -> None:
    plan = goals_for(world.child, world.therapist)[0].plan
    for kind in ("frequency", "rating"):
        plan_actions.add_goal(
            plan, **goal_fields(measurement_type=kind, mastery_value=3, statement=f"A {kind}.")
        )
    goals = goals_for(world.child, world.therapist)
    assert len(goals) == 3
    note = make_note(world.child, world.therapist, goals=goals, objective="", assessment="")
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    page.goto(reverse("notes:edit", args=[world.child.id, note.id]))
    page.get_by_label("S — subjective").fill("Mum says buttons are easier at home.")

    page.get_by_role("button", name="Draft the note").click()  # the one action
    objective = page.get_by_role("textbox", name="O — objective", exact=True)
    assessment = page.get_by_role("textbox", name="A — assessment", exact=True)
    expect(objective).to_have_value(re.compile(r"^Maya worked on 3 goals in a 45-minute session\."))
    assert saved(note).subjective == "Mum says buttons are easier at home."  # saved first
    drafted = saved(note)
    assert drafted.objective.count("\n") == 3  # the session, then one line a goal
    assert drafted.assessment.count("\n") == 2  # one line a goal
    expect(assessment).to_have_value(drafted.assessment)
    assert_accessible(page, name="the editor after drafting")

    # The therapist rewrites the Assessment; drafting again keeps it and shows the draft.
    assessment.fill("Good session overall.")
    page.get_by_label("Mood").click()
    expect(page.locator("#save-status")).to_contain_text("Draft saved at")
    page.get_by_role("button", name="Draft the note").click()
    beside = page.get_by_role("region", name="Draft for “A — assessment”")
    expect(beside).to_be_visible()
    expect(assessment).to_have_value("Good session overall.")
    assert_accessible(page, name="the editor with a draft beside a written field")
    beside.get_by_role("button", name="Use this draft").click()
    expect(assessment).to_have_value(drafted.assessment)

    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_role("status").first).to_contain_text("You signed the note.")

    family = new_page(PHONE)
    sign_in(family, world.guardian)
    family.goto(reverse("notes:detail", args=[world.child.id, note.id]))
    summary = family.get_by_role("region", name="The session in a few words")
    expect(summary).to_contain_text("Today Maya worked on 3 goals with us.")
    assert_accessible(family, name="the family's note on a phone")
