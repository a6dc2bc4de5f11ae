"""A parent on a phone hears from the team: the new message waits for them, they read it,
answer it, and read the conversation again in Spanish; the team sees the answer. The
messages page passes axe-core in both languages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import User
from tandem.conftest import World
from tandem.messaging.actions import post_message
from tandem.messaging.models import Message

from .accessibility import assert_accessible
from .conftest import PHONE, NewPage, give_authenticator, screenshot_dir, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("viewport", [PHONE], ids=["375px"])]

FAMILY_HOME = re.compile(re.escape(reverse("homeprogram:family_home")) + "$")
QUESTION = "How did the buttons practice go this week?"
ANSWER = "Much better! She did two buttons on her own."


def check(page: Page, name: str, request: pytest.FixtureRequest) -> None:
    page.screenshot(path=screenshot_dir(request.config) / f"{name}-375.png", full_page=True)
    assert_accessible(page, name=name)


def test_guardian_reads_and_answers_the_team_then_reads_it_in_spanish(
    page: Page, new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    maya = world.child
    messages_page = re.compile(re.escape(reverse("messaging:index", args=[maya.id])))
    post_message(world.therapist, maya, QUESTION)

    sign_in(page, world.guardian)
    expect(page).to_have_url(FAMILY_HOME)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("More").click()  # the tab bar's "More" holds the notifications
    expect(nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    page.get_by_role("link", name="1 new message").click()

    expect(page).to_have_url(messages_page)
    bubbles = page.locator("ol.thread > li")
    question = bubbles.filter(has_text=QUESTION)
    expect(question).to_contain_text(world.therapist.display_name)
    expect(question.locator(".pill")).to_have_text("New")
    check(page, "messages-new", request)

    # Opening the conversation read it: nothing is new any more.
    page.reload()
    expect(question).to_be_visible()
    expect(question.locator(".pill")).to_have_count(0)
    nav.get_by_text("More").click()
    expect(nav.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    nav.get_by_text("More").click()  # closed again

    page.get_by_label("Your message").fill(ANSWER)
    page.get_by_role("button", name="Send", exact=True).click()
    answer = bubbles.filter(has_text=ANSWER)
    expect(answer.locator(".meta strong")).to_have_text("You")
    expect(page.get_by_label("Your message")).to_have_value("")
    sent = Message.objects.get(body=ANSWER)
    assert (sent.author, sent.from_family) == (world.guardian, True)
    check(page, "messages-answered", request)

    # One tap on "Español" at the foot of the page: the same page, in Spanish, from now on.
    page.get_by_role("button", name="Español").click()
    expect(page).to_have_url(messages_page)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Mensajes con el equipo de Maya")).to_be_visible()
    expect(page.get_by_label("Su mensaje")).to_be_visible()
    expect(page.get_by_role("button", name="Enviar", exact=True)).to_be_visible()
    expect(answer.locator(".meta strong")).to_have_text("Usted")
    expect(question).to_be_visible()
    assert User.objects.get(pk=world.guardian.user.pk).language == "es"
    check(page, "messages-es", request)

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Inicio").click()
    expect(page).to_have_url(FAMILY_HOME)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hola")
    expect(page.get_by_role("main")).not_to_contain_text("mensaje nuevo")
    check(page, "family-home-es", request)

    # The team hears of the answer and sees that their question was read.
    team = new_page(PHONE)
    sign_in(team, world.therapist, secret=give_authenticator(world.therapist))
    team_nav = team.get_by_role("navigation", name="Main")
    expect(team_nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    team.goto(reverse("messaging:index", args=[maya.id]))
    expect(team.locator("html")).to_have_attribute("lang", "en")
    team_bubbles = team.locator("ol.thread > li")
    answer_seen_by_team = team_bubbles.filter(has_text=ANSWER)
    expect(answer_seen_by_team).to_contain_text(world.guardian.display_name)
    expect(answer_seen_by_team.locator(".pill")).to_have_text("New")
    expect(team_bubbles.filter(has_text=QUESTION).locator(".seen")).to_contain_text(
        f"Seen by {world.guardian.display_name}"
    )
