"""In a real browser: the therapist enters Maya's IEP and links its goal to the clinic's
goal at desktop width; her parent reads it on a phone, the clinic goal in family words."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.browser_tests.accessibility import assert_accessible
from tandem.browser_tests.conftest import DESKTOP, PHONE, NewPage, give_authenticator, sign_in
from tandem.conftest import World
from tandem.progress.tests.helpers import make_goal, make_plan

pytestmark = pytest.mark.browser


def test_therapist_enters_an_iep_and_the_family_reads_it_on_a_phone(
    new_page: NewPage, world: World
) -> None:
    make_goal(
        make_plan(world.child, world.therapist),
        statement="Maya will zip her coat independently in 4 of 5 opportunities.",
        family_wording_en="Zips her coat on her own",
    )
    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    therapist.goto(reverse("children:detail", args=[world.child.id]))
    therapist.get_by_role("link", name="School plans").click()
    expect(therapist.get_by_text("No school plan is recorded for this child.")).to_be_visible()
    therapist.get_by_role("link", name="Add a school plan").first.click()
    therapist.get_by_label("Kind of plan").select_option("iep")
    therapist.get_by_label("School or program").fill("Lincoln Elementary")
    therapist.get_by_label("Date of the plan").fill("2026-09-01")
    therapist.get_by_role("button", name="Add school plan").click()
    expect(therapist.get_by_role("status").first).to_contain_text("Add its goals next")
    therapist.get_by_role("link", name="Add a goal").click()
    therapist.get_by_label("Goal as the plan words it").fill(
        "Maya will get ready for recess with one adult prompt on 4 of 5 days."
    )
    therapist.get_by_label("Area").fill("Self-care")
    therapist.get_by_label("zip her coat independently", exact=False).check()
    assert_accessible(therapist, name="school goal form")
    therapist.get_by_role("button", name="Add school goal").click()
    expect(therapist.get_by_text("get ready for recess")).to_be_visible()
    expect(therapist.get_by_text("Worked on at the clinic:")).to_be_visible()
    assert_accessible(therapist, name="school plans (staff)")

    parent = new_page(PHONE)
    sign_in(parent, world.guardian)
    parent.goto(reverse("schoolplans:index", args=[world.child.id]))
    expect(parent.get_by_text("Lincoln Elementary")).to_be_visible()
    expect(parent.get_by_text("Zips her coat on her own")).to_be_visible()
    expect(parent.get_by_text("zip her coat independently")).to_have_count(0)
    expect(parent.get_by_role("link", name="Add a school plan")).to_have_count(0)
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(parent, name="school plans (family)")
