"""A guardian on a phone: two taps to log practice, a few to tell the team about school.

Every home program page a family sees passes axe-core (no serious or critical WCAG 2.1
A/AA violation), fits a 375 px window and has 44 px touch targets.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.accessibility import BLOCKING, axe_violations, describe
from tandem.browser_tests.conftest import PHONE, screenshot_dir, sign_in
from tandem.browser_tests.test_accessibility import SMALL_TARGETS
from tandem.conftest import World
from tandem.homeprogram.models import Observation, PracticeLog
from tandem.homeprogram.tests.helpers import goal_of, make_activity

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]


def check(tab: Page, name: str, folder: Path) -> list[str]:
    tab.screenshot(path=folder / f"homeprogram-{name}-375.png", full_page=True)
    problems = []
    if blocking := [v for v in axe_violations(tab) if v["impact"] in BLOCKING]:
        problems.append(f"{name}: axe\n{describe(blocking)}")
    if tab.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
        problems.append(f"{name}: wider than 375 px")
    problems.extend(f"{name}: small target {t}" for t in tab.evaluate(SMALL_TARGETS))
    return problems


def test_guardian_logs_practice_in_two_taps_and_reports_school(
    page: Page, world: World, request: pytest.FixtureRequest
) -> None:
    goal = goal_of(world.child, world.therapist)
    make_activity(world.child, world.therapist, goals=[goal])
    folder = screenshot_dir(request.config)
    problems = []

    sign_in(page, world.guardian)
    expect(page).to_have_url(re.compile(re.escape(reverse("homeprogram:family_home")) + "$"))
    card = page.locator("article.practice-card", has_text="Pinch the pegs")
    expect(card).to_contain_text("0 of 3 this week")
    problems += check(page, "family-home", folder)

    card.get_by_role("button", name=re.compile("^Done")).click()  # tap one
    expect(card).to_contain_text("Logged today:")
    expect(card).to_contain_text("1 of 3 this week")
    card.get_by_role("button", name="It went well").click()  # tap two
    expect(card.get_by_role("button", name="It went well")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.wait_for_load_state("networkidle")  # the tap's request is over before we look
    entry = PracticeLog.objects.get()
    assert (entry.outcome, entry.how_it_went, entry.logged_by) == ("done", 3, world.guardian)
    problems += check(page, "family-home-logged", folder)

    page.get_by_role("link", name="Tell the team what you noticed — Maya Okafor").click()
    page.get_by_label("School or daycare").check()
    page.get_by_label("On their own").check()
    page.get_by_label("Who was there (optional)").fill("Ms Ruiz, her teacher")
    problems += check(page, "observation-form", folder)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("the team will see what you noticed")
    expect(page.locator("li", has_text="School or daycare:").locator(".state")).to_have_text(
        "On their own"
    )
    saved = Observation.objects.get()
    assert (saved.setting, saved.independence, saved.recorder_role) == (
        "school",
        "independent",
        "family",
    )
    problems += check(page, "goal", folder)

    page.goto(reverse("homeprogram:index", args=[world.child.id]))
    page.get_by_text("How to do it").first.click()
    expect(page.get_by_text("Strong fingers make buttons easier.")).to_be_visible()
    problems += check(page, "home-tab", folder)
    assert not problems, "\n".join(problems)
