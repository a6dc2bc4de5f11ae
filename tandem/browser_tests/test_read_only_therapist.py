"""A consulting therapist reads the record but cannot change it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.conftest import World

from .conftest import give_authenticator, sign_in

pytestmark = pytest.mark.browser


def test_consulting_therapist_has_no_edit_button_and_gets_403_on_the_edit_page(
    page: Page, world: World
) -> None:
    consulting = world.consulting_therapist
    sign_in(page, consulting, secret=give_authenticator(consulting))

    response = page.goto(world.child.get_absolute_url())
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")
    expect(page.get_by_role("link", name="Edit profile")).to_have_count(0)

    response = page.goto(reverse("children:edit", args=[world.child.id]))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can't make this change")
    expect(page.get_by_role("button", name="Save profile")).to_have_count(0)
