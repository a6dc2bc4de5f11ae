"""A parent on a phone reads their child's story: sessions, the plan they signed, what the
school saw, in plain words, then in Spanish; no staff-only event, no clinical text. The
page passes axe-core (no serious or critical violation) and fits 375 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.conftest import World
from tandem.timeline.tests.helpers import SECRET_SITUATION, SECRET_SOAP, tell_story

from .accessibility import assert_accessible
from .conftest import PHONE, screenshot_dir, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]


def fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_parent_reads_the_story_in_plain_words_on_a_phone(
    page: Page, world: World, request: pytest.FixtureRequest
) -> None:
    tell_story(world)
    sign_in(page, world.guardian)
    page.goto(reverse("timeline:index", args=[world.child.id]))

    events = page.locator("li.timeline-event")
    expect(page.get_by_role("heading", name="Maya's story so far")).to_be_visible()
    expect(events.filter(has_text="plan — you signed it")).to_have_count(1)
    expect(events.filter(has_text=re.compile("Session with"))).to_have_count(1)
    expect(events.filter(has_text="The team shared an observation from school")).to_have_count(1)
    main = page.get_by_role("main")
    for hidden in (SECRET_SOAP, SECRET_SITUATION, "Hand-off"):
        expect(main).not_to_contain_text(hidden)
    assert fits_the_phone(page)
    page.screenshot(path=screenshot_dir(request.config) / "timeline-family-375.png", full_page=True)
    assert_accessible(page, name="timeline-family")

    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="La historia de Maya hasta ahora")).to_be_visible()
    expect(events.filter(has_text=re.compile("Sesión con"))).to_have_count(1)
    expect(events.filter(has_text="usted lo firmó")).to_have_count(1)
    assert fits_the_phone(page)
    assert_accessible(page, name="timeline-family-es")


def test_parent_chooses_what_their_child_loves_on_a_phone(
    page: Page, world: World, request: pytest.FixtureRequest
) -> None:
    sign_in(page, world.guardian)
    page.goto(reverse("children:interests", args=[world.child.id]))
    page.get_by_role("checkbox", name="Dinosaurs").check()
    page.get_by_role("checkbox", name="Learns by seeing").check()
    page.get_by_label("In your own words (optional)").first.fill("Her T. rex goes everywhere")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Interests and strengths saved.")).to_be_visible()
    expect(page.get_by_text("Hide dinosaurs in a tub of rice")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Dinosaurs")).to_be_checked()
    assert fits_the_phone(page)
    page.screenshot(
        path=screenshot_dir(request.config) / "interests-family-375.png", full_page=True
    )
    assert_accessible(page, name="interests-family")
