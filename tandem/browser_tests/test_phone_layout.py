"""Phone-first pages for families and collaborators (issue 14, item 2): a one-line top bar
and a tab bar at the bottom of a phone's screen (a row in the top bar from 768 px), the
page's heading on the first screen after an action, and the family's "For you" strip,
each thing one tap away. At 320, 375 and 768 px: no sideways scroll, 44 px touch
targets, no serious or critical axe-core violation.
"""

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from tandem.appointments.models import TimeOffer
from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.assessments.tests.helpers import make_evaluation
from tandem.browser_tests.accessibility import assert_accessible
from tandem.browser_tests.conftest import DESKTOP, NewPage, screenshot_dir, sign_in
from tandem.browser_tests.test_accessibility import SMALL_TARGETS
from tandem.conftest import World
from tandem.homeprogram.tests.helpers import goal_of, make_activity
from tandem.messaging.tests.helpers import make_schedule

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768]
GUARDIAN_TABS = ["Home", "Practice", "Messages", "Progress", "More"]
# Screenshots for people to look at go here too when SHOTS_DIR is set.
SHOTS = os.environ.get("SHOTS_DIR", "")


def window(width: int) -> ViewportSize:
    return ViewportSize(width=width, height=640 if width < 768 else 1024)


def shoot(page: Page, name: str, request: pytest.FixtureRequest) -> None:
    path = screenshot_dir(request.config) / f"{name}.png"
    page.screenshot(path=path, full_page=False)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / path.name)


def first_screen(page: Page, selector: str) -> None:
    """The element starts on the first screen (above the tab bar on a phone)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    height = page.viewport_size["height"] if page.viewport_size else 0
    bar = page.locator("nav.tabbar").bounding_box()
    bottom = bar["y"] if bar and bar["y"] > height / 2 else height
    assert -1 <= box["y"] < bottom, (
        f"{selector} starts at {box['y']} px, the screen ends at {bottom}"
    )


def fits(page: Page, name: str) -> None:
    """No sideways scroll, 44 px targets and axe-core's serious/critical rules."""
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), name
    small = page.evaluate(SMALL_TARGETS)
    assert not small, f"{name}: touch targets under 44 px: {small}"
    assert_accessible(page, name=name)


def check_bar(page: Page, labels: list[str], phone: bool) -> None:
    nav = page.get_by_role("navigation", name="Main")
    tabs = nav.locator(".tab")
    expect(tabs).to_have_count(len(labels))
    for n, label in enumerate(labels):
        expect(tabs.nth(n)).to_contain_text(label)
        box = tabs.nth(n).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, (label, box)
    assert nav.locator("svg[aria-hidden=true]").count() >= len(labels)  # icons beside words
    bar = page.locator("nav.tabbar").bounding_box()
    header = page.locator("header.topbar").bounding_box()
    height = page.viewport_size["height"] if page.viewport_size else 0
    assert bar is not None and header is not None
    if phone:  # fixed at the bottom; the top bar is one line
        assert abs(bar["y"] + bar["height"] - height) <= 1, bar
        assert header["height"] <= 56, header
        assert page.locator("main").evaluate("m => getComputedStyle(document.body).paddingBottom")
    else:  # in the top bar
        assert bar["y"] < header["y"] + header["height"], (bar, header)


def current_tab(page: Page) -> str:
    return page.locator("nav.tabbar .tab[aria-current=page]").inner_text().strip()


def family_things(world: World) -> dict[str, Any]:
    """Maya: an activity (and its plan to sign), a check-in due and a new report; Eli: a
    session reminded and not confirmed, and a time offered."""
    maya, eli, therapist = world.child, world.sibling, world.therapist
    goal = goal_of(maya, therapist)
    activity = make_activity(maya, therapist, goals=[goal])
    make_schedule(maya, therapist, due_in_days=-1)
    evaluation = make_evaluation(maya, therapist)
    make_appointment(eli, therapist, in_days(eli, 1), reminded_at=timezone.now())
    TimeOffer.objects.create(
        organization_id=eli.organization_id,
        child=eli,
        starts_at=in_days(eli, 4),
        therapist=therapist,
        discipline="ot",
        offered_by=therapist,
    )
    return {"activity": activity, "evaluation": evaluation}


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_guardian_tab_bar_and_for_you_strip(
    new_page: NewPage, world: World, width: int, request: pytest.FixtureRequest
) -> None:
    things = family_things(world)
    maya = world.child
    phone = width < 768
    page = new_page(window(width))
    sign_in(page, world.guardian)
    expect(page).to_have_url(re.compile(re.escape(reverse("homeprogram:family_home")) + "$"))
    check_bar(page, GUARDIAN_TABS, phone)
    assert current_tab(page) == "Home"
    first_screen(page, "h1")
    first_screen(page, "#for-you-h")
    shoot(page, f"phone-family-home-{width}", request)
    fits(page, f"family home at {width} px")

    strip = page.locator("#for-you")
    kinds = strip.locator("[data-for-you]").evaluate_all("els => els.map(e => e.dataset.forYou)")
    assert sorted(kinds) == ["appointment", "checkin", "plan", "practice", "report", "times"]
    expected = {  # where each one leads: the page's address and its main heading
        "practice": (reverse("homeprogram:index", args=[maya.id]), "Maya Okafor"),
        "checkin": (reverse("messaging:checkin", args=[maya.id]), None),
        "plan": (reverse("plans:index", args=[maya.id]).rstrip("/"), None),
        "report": (
            reverse("assessments:evaluation", args=[maya.id, things["evaluation"].id]),
            None,
        ),
        "appointment": ("/appointments/reply/", None),
        "times": (reverse("appointments:family"), None),
    }
    for kind, (address, heading) in expected.items():
        page.goto(reverse("homeprogram:family_home"))
        page.locator(f'#for-you [data-for-you="{kind}"] a').click()
        expect(page).to_have_url(re.compile(re.escape(address)))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        target = page.evaluate("location.hash")  # the exact place on the page, else its top
        first_screen(page, target or "h1")

    # The practice item opened Maya's home program: the tabs now lead to her pages.
    page.goto(reverse("homeprogram:index", args=[maya.id]))
    assert current_tab(page) == "Practice"
    fits(page, f"practice at {width} px")
    card = page.locator(f"#practice-{things['activity'].id}")
    card.get_by_role("button", name=re.compile("^Done")).click()
    expect(card).to_contain_text("Logged today:")
    first_screen(page, f"#practice-{things['activity'].id} .logged")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("messaging:index", args=[maya.id]))))
    assert current_tab(page) == "Messages"
    first_screen(page, "h1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("progress:index", args=[maya.id]))))
    assert current_tab(page) == "Progress"
    first_screen(page, "h1")
    fits(page, f"progress at {width} px")

    # More: the rest, on the first screen when opened.
    page.locator("nav.tabbar summary").click()
    menu = page.locator(".more-menu")
    expect(menu).to_be_visible()
    for name in ("Appointments", "Reports", "Resources", "Settings and language"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    box = menu.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] + box["width"] <= width
    fits(page, f"more menu at {width} px")
    menu.get_by_role("link", name="Appointments").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("appointments:family"))))
    expect(page.locator("nav.tabbar summary.is-current")).to_have_count(1)


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_after_logging_without_javascript_the_page_starts_on_the_first_screen(
    browser: Browser, live_server: LiveServer, world: World, width: int
) -> None:
    """A plain post (no htmx) comes back to the page with its thanks and heading on top."""
    activity = make_activity(world.child, world.therapist)
    context = browser.new_context(
        viewport=window(width), base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, world.guardian)
        page.goto(reverse("homeprogram:index", args=[world.child.id]))
        card = page.locator(f"#practice-{activity.id}")
        card.get_by_role("button", name=re.compile("^Done")).click()
        expect(page.locator(".messages")).to_contain_text("that's logged")
        first_screen(page, ".messages")
        first_screen(page, "h1")
        expect(page.locator(f"#practice-{activity.id}")).to_contain_text("Logged today:")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_collaborator_tab_bar_observe_and_progress(
    new_page: NewPage, world: World, width: int, request: pytest.FixtureRequest
) -> None:
    noah = world.other_child  # his family shared everything with the teacher
    goal_of(noah, world.unassigned_therapist)
    phone = width < 768
    page = new_page(window(width))
    sign_in(page, world.consented_collaborator)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    # No messages for collaborators: Home, Observe, Progress and More.
    check_bar(page, ["Home", "Observe", "Progress", "More"], phone)
    assert current_tab(page) == "Home"
    fits(page, f"collaborator home at {width} px")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Observe").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("collaborators:observe", args=[noah.id])))
    )
    assert current_tab(page) == "Observe"
    page.get_by_label("School or daycare").check()
    page.get_by_label("On their own").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("the team will see what you noticed")
    first_screen(page, ".messages")
    first_screen(page, "h1")
    shoot(page, f"phone-collaborator-observe-{width}", request)
    fits(page, f"collaborator observe at {width} px")

    nav.get_by_role("link", name="Progress").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("collaborators:child", args=[noah.id]))))
    assert current_tab(page) == "Progress"
    first_screen(page, "h1")
    fits(page, f"collaborator progress at {width} px")
    page.locator("nav.tabbar summary").click()
    expect(page.locator(".more-menu").get_by_role("link", name="Session notes")).to_be_visible()


def test_staff_keep_their_top_menu(new_page: NewPage, world: World) -> None:
    from tandem.browser_tests.conftest import give_authenticator

    page = new_page(window(375))
    sign_in(page, world.therapist, secret=give_authenticator(world.therapist))
    expect(page.locator("nav.tabbar")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Caseload")


def test_screenshots_at_1280(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    family_things(world)
    goal_of(world.other_child, world.unassigned_therapist)
    guardian = new_page(DESKTOP)
    sign_in(guardian, world.guardian)
    check_bar(guardian, GUARDIAN_TABS, phone=False)
    shoot(guardian, "phone-family-home-1280", request)
    teacher = new_page(DESKTOP)
    sign_in(teacher, world.consented_collaborator)
    teacher.goto(reverse("collaborators:observe", args=[world.other_child.id]))
    shoot(teacher, "phone-collaborator-observe-1280", request)
    fits(teacher, "collaborator observe at 1280 px")
