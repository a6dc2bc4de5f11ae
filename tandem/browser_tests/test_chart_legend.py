"""The legend under a chart is the legend of the drawing shown: on a phone the narrow
drawing averages 40 weekly sessions into fewer dots and its legend says so; on a laptop
the wide drawing shows every session and its legend says "a session"."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.conftest import World
from tandem.progress.tests.helpers import make_goal, make_plan, record_sessions, weekly

from .conftest import DESKTOP, PHONE, NewPage, sign_in

pytestmark = pytest.mark.browser

AVERAGED = "the average of the sessions in a stretch of time"


def test_the_legend_shown_is_the_shown_drawings(new_page: NewPage, world: World) -> None:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([20 + n for n in range(40)], goal))
    page = new_page(PHONE)
    sign_in(page, world.guardian)
    page.goto(reverse("progress:index", args=[world.child.id]))
    figure = page.locator("figure.progress-chart").nth(1)  # the goal's (after the T-score)
    expect(figure.locator("svg.chart-narrow")).to_be_visible()
    expect(figure.locator(".legend-narrow")).to_be_visible()
    expect(figure.locator(".legend-wide")).to_be_hidden()
    expect(figure.locator(".legend-narrow")).to_contain_text(AVERAGED)
    page.set_viewport_size(DESKTOP)
    expect(figure.locator("svg.chart-wide")).to_be_visible()
    expect(figure.locator(".legend-wide")).to_be_visible()
    expect(figure.locator(".legend-narrow")).to_be_hidden()
    expect(figure.locator(".legend-wide")).not_to_contain_text(AVERAGED)
    expect(figure.locator(".legend-wide")).to_contain_text("a session")
