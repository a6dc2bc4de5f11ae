"""A parent on a phone finds the next appointment in one tap from the menu, then the
reports to download; both pages (and the plan in plain words) pass axe-core, fit a 375 px
window and keep every control at least 44 px tall."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.appointments.tests.helpers import in_days, make_appointment
from tandem.assessments.tests.helpers import make_evaluation
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.plans import actions
from tandem.plans.tests.helpers import first_goal, make_plan

from .accessibility import BLOCKING, axe_violations, describe
from .conftest import PHONE, NewPage, screenshot_dir, sign_in
from .test_accessibility import SMALL_TARGETS

pytestmark = pytest.mark.browser


def test_parent_finds_appointments_and_reports_on_a_phone(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    maya = world.child
    plan = make_plan(maya, world.therapist, start_date=clinic_today() - datetime.timedelta(weeks=6))
    goal = first_goal(plan)
    actions.update_goal(
        goal, expected_version=goal.version, child_chosen=True, child_words="I can do my coat"
    )
    make_evaluation(maya, world.therapist)
    make_appointment(
        maya, world.therapist, in_days(maya, 1, 15, 30), note_for_family="Bring comfortable shoes"
    )
    make_appointment(world.sibling, world.assistant, in_days(maya, 6, 9), location="teletherapy")
    make_appointment(maya, world.therapist, in_days(maya, -7, 15, 30), status="attended")

    page = new_page(PHONE)
    sign_in(page, world.guardian)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("More").click()  # the tab bar's "More" holds the appointments
    nav.get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    upcoming = page.locator("li.appt").first
    expect(upcoming).to_contain_text("Tomorrow")
    expect(upcoming).to_contain_text("3:30 p.m.")
    expect(upcoming).to_contain_text("Bring comfortable shoes")
    expect(page.get_by_text("Video call (teletherapy)")).to_be_visible()

    folder = screenshot_dir(request.config)
    pages = {
        "appointments": reverse("appointments:family"),
        "appointments-one-child": reverse("appointments:family") + f"?child={maya.id}",
        "reports": reverse("progress:reports", args=[maya.id]),
        "plans": reverse("plans:index", args=[maya.id]),
        "plan": reverse("plans:detail", args=[maya.id, plan.id]),
        "progress": reverse("progress:index", args=[maya.id]),
    }
    problems = []
    for name, address in pages.items():
        response = page.goto(address)
        assert response is not None and response.status == 200, name
        page.screenshot(path=folder / f"family-{name}-375.png", full_page=True)
        if blocking := [v for v in axe_violations(page) if v["impact"] in BLOCKING]:
            problems.append(f"{name}: axe\n{describe(blocking)}")
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            problems.append(f"{name}: wider than 375 px")
        problems.extend(f"{name}: small target {t}" for t in page.evaluate(SMALL_TARGETS))
    assert not problems, "\n".join(problems)

    page.goto(reverse("progress:index", args=[maya.id]))
    page.get_by_role("link", name="Reports to download").click()
    expect(page.get_by_role("heading", name="Reports to download")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF").first).to_be_visible()
