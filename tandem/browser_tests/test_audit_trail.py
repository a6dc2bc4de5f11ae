"""The audit trail in a browser (issue 14, item 6): an admin filters it at 1280 and
375 px, a legal guardian opens "who has seen this record" from the Sharing page; no
sideways scroll on a phone, no serious or critical axe-core violation. Screenshots go to
SHOTS_DIR too when it is set."""

import os
import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from tandem.browser_tests.accessibility import assert_accessible
from tandem.conftest import World
from tandem.conftest import sign_in as sign_in_client

from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS_DIR", "")


def shoot(page: Page, name: str, request: pytest.FixtureRequest) -> None:
    path = screenshot_dir(request.config) / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / path.name)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{width} px wide"


def activity(world: World) -> None:
    """Views, a change of a long text, and a refused attempt, through the pages."""
    sign_in_client(Client(), world.guardian).get(reverse("children:detail", args=[world.child.id]))
    therapist = sign_in_client(Client(), world.therapist)
    therapist.get(reverse("children:caseload"))
    therapist.post(
        reverse("children:edit", args=[world.child.id]),
        {
            "first_name": "Maya",
            "last_name": "Okafor",
            "date_of_birth": world.child.date_of_birth,
            "sex": "F",
            "interests": "Loves building towers with big blocks, " * 4,
            "version": world.child.version,
        },
    )
    outsider = sign_in_client(Client(), world.unassigned_therapist)
    outsider.get(reverse("notes:index", args=[world.child.id]))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_admin_filters_the_audit_trail(
    world: World, new_page: NewPage, viewport: ViewportSize, request: pytest.FixtureRequest
) -> None:
    activity(world)
    page = new_page(viewport)
    sign_in(page, world.admin, secret=give_authenticator(world.admin))
    page.goto(reverse("audit:index"))
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    expect(page.get_by_text("Child record").first).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page, name=f"audit at {viewport['width']}")
    shoot(page, f"audit-index-{viewport['width']}", request)
    page.get_by_label("Action").select_option("refused")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Session notes").first).to_be_visible()
    expect(page.get_by_role("link", name=world.unassigned_therapist.display_name)).to_be_visible()
    shoot(page, f"audit-refused-{viewport['width']}", request)
    page.goto(reverse("audit:child", args=[world.child.id]))
    expect(page.get_by_role("heading", name="Who has seen this record")).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page, name=f"child audit at {viewport['width']}")
    shoot(page, f"audit-child-{viewport['width']}", request)


def test_guardian_sees_who_has_seen_the_record(
    world: World, new_page: NewPage, request: pytest.FixtureRequest
) -> None:
    activity(world)
    page = new_page(PHONE)
    sign_in(page, world.guardian)
    page.goto(reverse("consent:index", args=[world.child.id]))
    page.get_by_role("link", name="Who has seen this record").click()
    expect(page.get_by_role("cell", name=world.therapist.display_name)).to_be_visible()
    no_sideways_scroll(page)
    assert_accessible(page, name="who has seen, phone")
    shoot(page, "audit-seen-375", request)
