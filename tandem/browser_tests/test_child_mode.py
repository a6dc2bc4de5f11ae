"""Child mode in a browser on a phone: a guardian hands over the device, the child sees
their goals and picks something, only the password leads out, and the therapist sees
the pick. axe-core finds no serious or critical violation on the child-mode pages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.conftest import NewPage
from tandem.childmode.tests.helpers import goals_with_levels
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD

from .accessibility import assert_accessible
from .conftest import PHONE, give_authenticator, screenshot_dir, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]

HOME = re.compile(re.escape(reverse("childmode:home")) + "$")
# Visible controls shorter than 44 px (links in running text and the skip link aside).
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden])')]
  .filter(e => e.offsetParent !== null && !e.classList.contains('skip-link'))
  .filter(e => getComputedStyle(e).display !== 'inline')
  .filter(e => e.getBoundingClientRect().height < 43.5)
  .map(e => (e.innerText || e.name || '').trim().slice(0, 40))"""


def check_page(shown: Page, name: str, request: pytest.FixtureRequest) -> None:
    folder = screenshot_dir(request.config)
    shown.screenshot(path=folder / f"a11y-{name.replace(' ', '-')}-375.png", full_page=True)
    assert_accessible(shown, name=name)
    assert not shown.evaluate("document.documentElement.scrollWidth > window.innerWidth"), name
    assert shown.evaluate(SMALL_TARGETS) == [], name


def test_child_mode_from_hand_over_to_the_therapist(
    page: Page, new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    goals_with_levels(world.child, world.therapist, {"I want to ride my bike": 1})
    sign_in(page, world.guardian)
    page.goto(reverse("childmode:start", args=[world.child.id]))
    check_page(page, "child mode start", request)
    page.get_by_role("button", name="Start child mode for Maya").click()

    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi, Maya!")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("I want to ride my bike")).to_be_visible()
    expect(page.get_by_role("img", name="4 of 5 stars")).to_be_visible()
    check_page(page, "child mode", request)

    page.get_by_role("button", name="Trains").click()
    expect(page.get_by_role("status")).to_contain_text("You chose: Trains. Great choice!")

    # Everything else leads back to the child's page.
    page.goto(reverse("homeprogram:family_home"))
    expect(page).to_have_url(HOME)

    page.get_by_role("link", name="Grown-ups: leave child mode").click()
    check_page(page, "leave child mode", request)
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("button", name="Leave child mode").click()
    expect(page.get_by_role("alert")).to_contain_text("not the password")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Leave child mode").click()
    expect(page.get_by_text("Child mode is off.")).to_be_visible()
    page.goto(reverse("homeprogram:family_home"))
    expect(page).not_to_have_url(HOME)

    therapist = new_page(PHONE)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    therapist.goto(reverse("childmode:choices", args=[world.child.id]))
    expect(therapist.get_by_role("heading", name="Maya chose…")).to_be_visible()
    expect(therapist.get_by_role("main")).to_contain_text("Trains")
    expect(therapist.get_by_role("main")).to_contain_text("since the last session")
    check_page(therapist, "choices", request)
