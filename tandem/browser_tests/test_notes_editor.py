"""The editor in a real browser: htmx autosave, trial counters by mouse and keyboard,
a conflict shown in place, and signing."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.conftest import give_authenticator, sign_in
from tandem.conftest import World
from tandem.notes import actions
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.browser


def saved(note: SessionNote) -> SessionNote:
    return SessionNote.objects.get(organization=note.organization, pk=note.pk)


def test_therapist_records_a_session_and_signs_it(page: Page, world: World) -> None:
    note = make_note(world.child, world.therapist, data={}, objective="")
    goal = GoalData.objects.get(note=note).goal
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    page.goto(reverse("notes:edit", args=[world.child.id, note.id]))
    status = page.locator("#save-status")

    page.get_by_label("O — objective").fill("Buttoned a dressing board, then her coat.")
    page.get_by_label("Mood").click()  # leaving the field saves it
    expect(status).to_contain_text("Draft saved at")
    assert saved(note).objective == "Buttoned a dressing board, then her coat."

    page.get_by_label("Prompt level for the next trial").select_option("verbal")
    page.get_by_role("button", name="+ Correct").click()
    tally = page.locator(f"#tally-{goal.id}")
    expect(tally).to_contain_text("1 of 1 correct")
    page.get_by_role("button", name="+ Correct").press("-")
    expect(tally).to_contain_text("1 of 2 correct")
    page.get_by_role("button", name="+ Correct").press("+")
    expect(tally).to_contain_text("2 of 3 correct")
    expect(status).to_contain_text("Draft saved at")
    entry = GoalData.objects.get(note=note)
    assert [t["correct"] for t in entry.trials] == [True, False, True]
    assert entry.trials[0]["prompt"] == "verbal"

    # Someone saves the note in another tab: this tab's next save is refused in place.
    current = saved(note)
    actions.update_note(
        current, world.therapist, expected_version=current.version, fields={"mood": "sleepy"}
    )
    page.get_by_label("Mood").fill("cheerful")
    page.get_by_label("Activities used").click()
    expect(status).to_contain_text("Someone else saved this note")
    assert saved(note).mood == "sleepy"

    page.reload()
    page.get_by_label("GAS level reached").select_option("0")
    page.get_by_label("A — assessment").fill("Fewer prompts than last week.")
    page.get_by_role("button", name="Sign the note").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("notes:detail", args=[world.child.id, note.id])) + "$")
    )
    expect(page.get_by_role("status").first).to_contain_text("You signed the note.")
    final = saved(note)
    assert final.status == NoteStatus.SIGNED
    assert final.assessment == "Fewer prompts than last week."
    assert GoalData.objects.get(note=note).gas_level == 0
