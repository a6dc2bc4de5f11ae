"""Screenshots of the main pages on a phone and on a laptop, for people to look at."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.children.actions import update_child
from tandem.conftest import World

from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in

pytestmark = pytest.mark.browser


def overflows_sideways(page: Page) -> bool:
    """Whether the page is wider than the window (a sideways scroll bar on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_main_pages_are_captured_at_375_and_1280_px(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    folder = screenshot_dir(request.config)
    maya = world.child
    update_child(
        maya,
        expected_version=maya.version,
        diagnoses=[("F82", "Developmental coordination disorder")],
        preferred_languages="English, Yoruba",
        school="Riverside Elementary, kindergarten",
        strengths="Loves to help, remembers routines, great at puzzles",
        challenges="Buttons and zips; handwriting; waiting for a turn",
    )

    anonymous = new_page(DESKTOP)
    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    guardian = new_page(PHONE)
    sign_in(guardian, world.guardian)

    pages = [
        ("login", anonymous, reverse("account_login"), "Sign in"),
        ("caseload", therapist, reverse("children:caseload"), "My caseload"),
        ("child-profile", therapist, maya.get_absolute_url(), "Maya Okafor"),
        ("team", therapist, reverse("children:team", args=[maya.id]), "Maya Okafor"),
        ("guardian-home", guardian, reverse("homeprogram:family_home"), "Hello"),
        ("guardian-child-profile", guardian, maya.get_absolute_url(), "Maya Okafor"),
    ]
    overflowing = []
    for viewport in (PHONE, DESKTOP):
        width = viewport["width"]
        for name, page, address, heading in pages:
            page.set_viewport_size(viewport)
            response = page.goto(address)
            assert response is not None and response.status == 200, (name, response)
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
            if overflows_sideways(page):
                overflowing.append(f"{name} at {width} px")

    # Spanish runs longer than English: the family's pages must still fit a phone.
    user = world.guardian.user
    user.language = "es"
    user.save(update_fields=["language"])
    guardian.set_viewport_size(PHONE)
    for name, address in [
        ("guardian-home-es", reverse("homeprogram:family_home")),
        ("guardian-child-profile-es", maya.get_absolute_url()),
    ]:
        guardian.goto(address)
        expect(guardian.locator("html")).to_have_attribute("lang", "es")
        guardian.screenshot(path=folder / f"{name}-375.png", full_page=True)
        if overflows_sideways(guardian):
            overflowing.append(f"{name} at 375 px")
    print("Pages wider than the window:", ", ".join(overflowing) or "none")
