"""ABC records in a real browser: a therapist writes two in the note editor, signs, and
reads them on the signed note and on the child's record."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.accessibility import assert_accessible
from tandem.browser_tests.conftest import give_authenticator, sign_in
from tandem.conftest import World
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.browser


def test_therapist_records_abc_and_reads_them_back(page: Page, world: World) -> None:
    note = make_note(world.child, world.therapist)  # each goal has its data: signable
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    page.goto(reverse("notes:edit", args=[world.child.id, note.id]))
    abc = page.locator("#abc")
    abc.locator("summary").click()
    assert_accessible(page, name="the editor with its ABC records")
    page.locator("#abc-0-time").fill("09:05")
    page.locator("#abc-0-antecedent").fill("Asked to put the blocks away")
    page.locator("#abc-0-behavior").fill("Threw two blocks")
    page.locator("#abc-0-consequence").fill("Blocks put away together, then a break")
    page.get_by_role("button", name="Save and add another ABC record").click()
    expect(page.locator("#abc-1-behavior")).to_be_visible(timeout=15_000)  # the editor again
    expect(page.locator("#abc-0-behavior")).to_have_value("Threw two blocks")
    page.locator("#abc-1-behavior").fill("Sat on the mat and waited")
    page.locator("#abc-1-consequence").fill("Praise")
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_role("status").first).to_contain_text("You signed the note.")
    signed = SessionNote.objects.get(organization_id=note.organization_id, pk=note.pk)
    assert [r["behavior"] for r in signed.abc_records] == [
        "Threw two blocks",
        "Sat on the mat and waited",
    ]
    records = page.locator("#abc-h + .table-wrap tbody tr")
    expect(records).to_have_count(2)
    expect(records.first).to_contain_text("09:05")
    expect(records.nth(1)).to_contain_text("Sat on the mat and waited")
    page.goto(reverse("children:detail", args=[world.child.id]))
    listed = page.locator("section[aria-labelledby='abc-records-h'] tbody tr")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Threw two blocks")
    assert_accessible(page, name="the child's record with ABC records")
