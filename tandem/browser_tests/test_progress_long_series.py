"""A child with years of sessions: the progress tab and a goal's sessions page on a
phone and a laptop (averaged charts, the latest sessions, every session a page at a time)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.conftest import World
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions, weekly

from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in
from .test_screenshots import overflows_sideways

pytestmark = pytest.mark.browser


def test_years_of_sessions_read_well_on_a_phone_and_a_laptop(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    folder = screenshot_dir(request.config)
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20 + (n % 40) for n in range(120)], goal))
    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    guardian = new_page(PHONE)
    sign_in(guardian, world.guardian)
    progress = reverse("progress:index", args=[world.child.id])
    overflowing = []
    for page, who in ((therapist, "therapist"), (guardian, "guardian")):
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            page.goto(progress)
            chart = page.get_by_role("img", name=re.compile(r"^Results by session"))
            expect(chart).to_have_accessible_name(re.compile("120 sessions with data"))
            assert chart.locator("circle").count() <= 56
            page.get_by_text("Show the latest sessions as a table").click()
            page.screenshot(
                path=folder / f"progress-long-{who}-{viewport['width']}.png", full_page=True
            )
            if overflows_sideways(page):
                overflowing.append(f"progress ({who}) at {viewport['width']} px")
            page.get_by_role("link", name="All 120 sessions").click()
            expect(page.get_by_role("table")).to_contain_text("120 sessions with data")
            expect(page.get_by_text("Page 1 of 3")).to_be_visible()
            page.screenshot(
                path=folder / f"goal-sessions-{who}-{viewport['width']}.png", full_page=True
            )
            if overflows_sideways(page):
                overflowing.append(f"goal sessions ({who}) at {viewport['width']} px")
            page.get_by_role("link", name="Older").click()
            expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    assert overflowing == []
