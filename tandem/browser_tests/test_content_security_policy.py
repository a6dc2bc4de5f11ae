"""The Content-Security-Policy blocks nothing the pages need: no violation is reported
while a guardian uses the family pages (htmx included) or anyone opens the API docs."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.conftest import World

from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser]


def watch_violations(page: Page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return seen


@pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])
def test_family_pages_run_under_the_policy(page: Page, world: World) -> None:
    violations = watch_violations(page)
    sign_in(page, world.guardian)
    page.goto(world.child.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    page.goto(reverse("homeprogram:index", args=[world.child.id]))
    page.goto(reverse("messaging:index", args=[world.child.id]))
    expect(page.locator("body")).to_be_visible()
    # htmx loaded from our static files and running (it adds this class to the body).
    assert page.evaluate("typeof window.htmx") == "object"
    assert violations == []


def test_the_api_docs_render_from_local_files(page: Page, world: World) -> None:
    violations = watch_violations(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tandem")
    assert violations == []
    origin = page.url.split("/api/")[0]
    assert requests and all(url.startswith((origin, "data:")) for url in requests), requests
