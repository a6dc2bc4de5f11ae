"""A therapist signs in with their authenticator app, finds a child and edits the profile."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.children.models import Child
from tandem.conftest import World

from .conftest import give_authenticator, sign_in

pytestmark = pytest.mark.browser


def test_therapist_signs_in_with_mfa_finds_a_child_and_edits_the_profile(
    page: Page, world: World
) -> None:
    therapist, maya = world.therapist, world.child
    secret = give_authenticator(therapist)

    sign_in(page, therapist, secret=secret)
    # Their day first; the caseload is one click away.
    expect(page).to_have_url(re.compile(re.escape(reverse("today:home")) + "$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("children:caseload")) + "$"))
    results = page.locator("#results")
    expect(results).to_contain_text("Maya Okafor")
    expect(results).to_contain_text("Eli Okafor")

    # Typing is enough: htmx swaps the results in without a page load.
    page.get_by_role("searchbox").press_sequentially("Maya", delay=30)
    expect(results).not_to_contain_text("Eli Okafor")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and Maya
    expect(page).to_have_url(re.compile(r"\?q=Maya$"))

    results.get_by_role("link", name="Maya Okafor").click()
    expect(page).to_have_url(re.compile(re.escape(maya.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Maya Okafor")

    page.get_by_role("link", name="Edit profile").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("children:edit", args=[maya.id]))))
    interests = page.get_by_label("Interests", exact=True)
    expect(interests).to_have_value("Trains, water play")
    interests.fill("Dinosaurs, swinging, bubbles")
    page.get_by_role("button", name="Save profile").click()

    expect(page).to_have_url(re.compile(re.escape(maya.get_absolute_url()) + "$"))
    expect(page.get_by_role("status")).to_contain_text("The profile was saved.")
    motivates = page.locator("dt", has_text="What motivates them").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(motivates).to_contain_text("Dinosaurs, swinging, bubbles")

    saved = Child.objects.get(organization=maya.organization, pk=maya.pk)
    assert saved.interests == "Dinosaurs, swinging, bubbles"
    assert saved.version == maya.version + 1
    latest = saved.history.filter(organization=world.org).latest("history_date")
    assert latest.interests == "Dinosaurs, swinging, bubbles"
    assert latest.version == saved.version
    assert latest.history_type == "~"
    assert latest.history_user_id == therapist.user.pk
