"""A child with years of sessions: the progress tab and a goal's sessions page on a
phone and a laptop (averaged charts, the latest sessions, every session a page at a time).

The chart shown at each width is measured in Chromium: every word's real box
(``getBBox()``) lies inside the box the server estimated when it placed the words
(``tandem.progress.labels``), so the server-side check that no estimated box covers a
dot, a line or another word (``progress/tests/test_chart_labels.py``) holds on screen.
"""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.conftest import World
from tandem.progress.labels import text_box
from tandem.progress.tests.helpers import START, make_goal, make_plan, record_sessions, weekly

from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in
from .test_screenshots import overflows_sideways

pytestmark = pytest.mark.browser


def test_years_of_sessions_read_well_on_a_phone_and_a_laptop(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    folder = screenshot_dir(request.config)
    plan = make_plan(world.child, world.therapist)
    goal = make_goal(plan)
    record_sessions(world.therapist, world.child, weekly([20 + (n % 40) for n in range(120)], goal))
    # A goal projected past its target date: flagged on the chart and in words.
    slow = make_goal(
        plan, statement="Sits for circle time", measurement_type="duration", mastery_value=600.0
    )
    slow.target_date = slow.plan.start_date + datetime.timedelta(weeks=12)
    slow.save(update_fields=["target_date"])
    record_sessions(
        world.therapist,
        world.child,
        weekly([100, 130, 150, 170, 190, 200], slow, start=START + datetime.timedelta(days=1)),
    )
    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    guardian = new_page(PHONE)
    sign_in(guardian, world.guardian)
    progress = reverse("progress:index", args=[world.child.id])
    overflowing: list[str] = []
    misplaced: list[str] = []
    for page, who in ((therapist, "therapist"), (guardian, "guardian")):
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            page.goto(progress)
            chart = page.get_by_role("img", name=re.compile(r"^Results by session")).first
            expect(chart).to_have_accessible_name(re.compile("120 sessions with data"))
            assert chart.locator("circle").count() <= 56
            misplaced += _words_outside_their_estimates(page, f"{who} {viewport['width']}")
            page.get_by_text("Show the latest sessions as a table").first.click()
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
    assert misplaced == [], "\n".join(misplaced)


# Each shown chart's words: text, x, baseline y, font size, anchor, and the real box.
MEASURE = """() => [...document.querySelectorAll('svg[role=img]')]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => [...svg.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    return [t.textContent, +t.getAttribute('x'), +t.getAttribute('y'),
            parseFloat(getComputedStyle(t).fontSize), t.getAttribute('text-anchor') || 'start',
            b.x, b.y, b.x + b.width, b.y + b.height];
  }))"""


def _words_outside_their_estimates(page: object, where: str) -> list[str]:
    found = []
    for text, x, y, size, anchor, *real in page.evaluate(MEASURE):  # type: ignore[attr-defined]
        box = text_box(text, x, y, size, anchor)
        left, top, right, bottom = real
        inside = box.left - 0.5 <= left and right <= box.right + 0.5
        inside = inside and box.top - 1 <= top and bottom <= box.bottom + 1
        if not inside:
            found.append(f"{where}: {text!r} is {real}, estimated {box}")
    return found
