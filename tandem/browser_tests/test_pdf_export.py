"""A PDF as a family gets it on a phone and a therapist on a laptop: the page says it is
being made (the task worker prints it), then opens it by itself."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, Response, expect

from tandem.conftest import World
from tandem.exports.models import Export
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions, weekly

from .accessibility import assert_accessible
from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, screenshot_dir, sign_in
from .test_screenshots import overflows_sideways

pytestmark = pytest.mark.browser


def the_pdf(response: Response) -> bool:
    return "export=" in response.url and response.headers.get("content-type") == "application/pdf"


def wait_for_the_pdf(page: Page, link: str) -> bytes:
    """Click the link, see the waiting page, and get the PDF it opens by itself."""
    with page.expect_response(the_pdf, timeout=30_000) as opened:
        page.get_by_role("link", name=link).first.click()
        expect(page.get_by_role("status")).to_contain_text("The PDF is being made")
    response = opened.value
    assert response.status == 200
    # The navigation to the file ends before the caller goes anywhere else (a goto while
    # Chromium's viewer is still opening it is interrupted by it).
    expect(page).to_have_url(re.compile(r"[?&]export="))
    page.wait_for_load_state()
    # Chromium shows it in its viewer (the body it reports is the viewer's page): fetch
    # the same address, as the viewer's download button would.
    return page.request.get(response.url).body()


def test_a_pdf_is_made_by_the_worker_and_opens_by_itself(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    folder = screenshot_dir(request.config)
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20 + (n % 40) for n in range(30)], goal))
    guardian = new_page(PHONE)
    sign_in(guardian, world.guardian)
    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    report = reverse("progress:report", args=[world.child.id])
    for page in (guardian, therapist):
        page.goto(report + "?start=2024-01-01&end=2024-12-31")
        assert wait_for_the_pdf(page, "Download as PDF").startswith(b"%PDF")
        # The PDF took the waiting page's place: Back is the report, not a new ask.
        page.go_back()
        expect(page).to_have_url(re.compile(re.escape(report) + r"\?start="))
    assert Export.objects.count() == 2
    # The waiting page itself, as it looks while the worker prints.
    for page, who, viewport in ((guardian, "guardian", PHONE), (therapist, "therapist", DESKTOP)):
        page.route(re.compile(r".*export=.*"), lambda route: route.abort())  # never ready
        page.goto(
            reverse("progress:report_pdf", args=[world.child.id])
            + "?start=2024-01-01&end=2024-06-30"
        )
        status = page.get_by_role("status")
        expect(status).to_contain_text("The PDF is being made")
        expect(page.get_by_role("heading", name="Progress report")).to_be_visible()
        page.screenshot(path=folder / f"pdf-waiting-{who}-{viewport['width']}.png")
        assert not overflows_sideways(page)
        assert_accessible(page, name=f"PDF waiting page ({who})")
