"""Resources and workshops in a browser on a phone: a guardian finds what is for them and
takes the last place at a workshop; axe-core finds no serious or critical violation."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.browser_tests.conftest import NewPage
from tandem.conftest import World
from tandem.progress.tests.helpers import make_goal, make_plan
from tandem.resources import actions
from tandem.resources.tests.helpers import make_resource, make_workshop

from .accessibility import assert_accessible
from .conftest import PHONE, give_authenticator, screenshot_dir, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]

SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, select, textarea, '
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
  .filter(e => e.offsetParent !== null && !e.classList.contains('skip-link'))
  .filter(e => getComputedStyle(e).display !== 'inline')
  .filter(e => e.getBoundingClientRect().height < 43.5)
  .map(e => (e.innerText || e.name || '').trim().slice(0, 40))"""


def check_page(shown: Page, name: str, request: pytest.FixtureRequest) -> None:
    shown.screenshot(path=screenshot_dir(request.config) / f"a11y-{name}-375.png", full_page=True)
    assert_accessible(shown, name=name)
    assert not shown.evaluate("document.documentElement.scrollWidth > window.innerWidth"), name
    assert shown.evaluate(SMALL_TARGETS) == [], name


def test_guardian_finds_resources_and_takes_a_workshop_place(
    page: Page, new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    make_goal(make_plan(world.child, world.therapist), domain="communication")
    tips = make_resource(world.therapist, title="Talking at mealtimes", domains=["communication"])
    shared = make_resource(world.therapist, title="Visual schedule ideas", domains=[])
    actions.share_resource(world.therapist, world.child, shared, note="Try it in the morning")
    make_workshop(world.therapist, title="Parent evening: play", capacity=1)

    sign_in(page, world.guardian)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("More").click()  # the tab bar's "More" holds the resources
    nav.get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("For you")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Visual schedule ideas")
    expect(main).to_contain_text("Try it in the morning")
    check_page(page, "for-you", request)

    page.get_by_role("link", name="Talking at mealtimes").click()
    expect(page).to_have_url(re.compile(rf"id={tips.id}$"))
    check_page(page, "resource", request)

    page.goto(reverse("resources:workshops"))
    page.get_by_role("button", name="Save me a place").click()
    expect(page.get_by_role("status")).to_contain_text("You have a place. See you there!")
    check_page(page, "workshops", request)

    other = new_page(PHONE)
    sign_in(other, world.other_guardian)
    other.goto(reverse("resources:workshops"))
    expect(other.get_by_role("main")).to_contain_text("Sorry, this event is full.")
    expect(other.get_by_role("button", name="Save me a place")).to_have_count(0)

    staff = new_page(PHONE)
    sign_in(staff, world.therapist, secret=give_authenticator(world.therapist))
    staff.goto(reverse("resources:index"))
    expect(staff.get_by_role("heading", level=1)).to_have_text("Resource library")
    check_page(staff, "library", request)
    staff.goto(reverse("resources:child", args=[world.child.id]))
    expect(staff.get_by_role("main")).to_contain_text("Visual schedule ideas")
    check_page(staff, "child-resources", request)
