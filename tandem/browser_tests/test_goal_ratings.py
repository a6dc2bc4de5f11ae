"""The family rates the goals on a phone, the child taps faces in child mode: both pages
fit 375 px, every control is at least 44 px tall, and axe-core finds no serious or
critical WCAG 2.1 AA violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.conftest import World
from tandem.ratings.models import GoalRating
from tandem.ratings.tests.helpers import plan_with_goals

from .accessibility import assert_accessible
from .conftest import PHONE, sign_in
from .test_child_mode import check_page

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]


def test_a_guardian_rates_and_the_child_taps_a_face(
    page: Page, world: World, request: pytest.FixtureRequest
) -> None:
    goal = plan_with_goals(world.child, world.therapist, count=2)[0]
    sign_in(page, world.guardian)
    page.goto(reverse("ratings:rate", args=[world.child.id]))
    check_page(page, "family rating", request)
    group = page.get_by_role("group", name=goal.family_wording)
    group.get_by_role("radio", name="A bit more than we hoped").check()
    page.locator(f"#goal-{goal.id}").get_by_role("button", name="Save this answer").click()
    expect(page.get_by_text("Thank you — your answer is saved.")).to_be_visible()
    expect(page.locator(f"#goal-{goal.id}")).to_contain_text("Your last answer")

    # The family's Progress tab: the scores side by side, readable on the phone.
    page.goto(reverse("progress:index", args=[world.child.id]))
    table = page.get_by_role("table", name="Scores by month, newest first")
    expect(table).to_contain_text("1 of 2 rated")
    assert_accessible(page, name="progress with ratings")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    page.goto(reverse("childmode:start", args=[world.child.id]))
    page.get_by_role("button", name="Start child mode for Maya").click()
    page.get_by_role("link", name="How am I doing? Tap a face").click()
    check_page(page, "child faces", request)
    page.get_by_role("group", name=goal.child_words).get_by_role("button", name="Super!").click()
    expect(page.get_by_role("status")).to_contain_text("You said: Super!")
    levels = dict(GoalRating.objects.values_list("rater", "level"))
    assert levels == {"family": 1, "child": 2}
