"""The account pages allauth draws (password reset, two-step sign-in, confirm access,
setting up an authenticator, sign out) wear the product's look: the site's header and
footer, one card, Tandem's field markup and buttons, in English and Spanish, with no
serious or critical axe-core violation at 375 and 1280 px. Destructive actions use the
danger button, never the primary one."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.plans.tests.helpers import make_plan

from .accessibility import BLOCKING, axe_violations, describe
from .conftest import DESKTOP, PHONE, NewPage, give_authenticator, sign_in

pytestmark = pytest.mark.browser

# Every button or button-like link in main: its classes and its words.
BUTTONS = """() => [...document.querySelectorAll('main button, main a.button')]
  .filter(e => e.offsetParent !== null)
  .map(e => ({cls: e.className, text: e.innerText.trim()}))"""


def assert_product_page(page: Page, name: str) -> None:
    """The site's header and footer, a card around the content, labelled fields in
    Tandem's markup, Tandem's button classes, and no serious axe-core violation."""
    expect(page.locator("header.topbar .brand")).to_be_visible()
    expect(page.locator("footer.footer .language-switch")).to_be_visible()
    card = page.locator("main").evaluate("m => getComputedStyle(m).backgroundColor")
    in_card = page.locator(".entrance.card").count() > 0 or card == "rgb(255, 255, 255)"
    assert in_card, f"{name}: the content is not in a card"
    for field in page.locator("main input:not([type=hidden]):not([disabled])").all():
        assert field.evaluate("f => !!f.closest('.field')"), f"{name}: a field outside .field"
        assert field.evaluate("f => f.labels.length > 0"), f"{name}: a field with no label"
    for button in page.evaluate(BUTTONS):
        if button["cls"].split()[:1] != ["button"]:
            assert button["cls"] in {"", "secondary", "danger", "link", "link danger"}, (
                name,
                button,
            )
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, f"{name} ({page.url}):\n{describe(blocking)}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_allauth_pages_wear_the_product_look(
    new_page: NewPage, viewport: ViewportSize, world: World
) -> None:
    visitor = new_page(viewport)
    for name, address in [
        ("sign-in", reverse("account_login")),
        ("password-reset", reverse("account_reset_password")),
        ("password-reset-done", reverse("account_reset_password_done")),
        ("password-reset-bad-key", reverse("account_reset_password_from_key", args=["x", "y"])),
        ("email-confirm-bad-key", reverse("account_confirm_email", args=["no-such-key"])),
    ]:
        visitor.goto(address)
        assert_product_page(visitor, name)

    # The password reset with an error: the message is announced next to its field.
    visitor.goto(reverse("account_reset_password"))
    visitor.get_by_role("button", name="Reset My Password").click()
    expect(visitor.locator(".field [role=alert] .errorlist")).to_be_visible()
    expect(visitor.locator("#id_email")).to_have_attribute("aria-describedby", "id_email_error")
    assert_product_page(visitor, "password-reset-error")

    # Two-step sign-in: the code page, then the way out is a secondary button.
    staff = new_page(viewport)
    give_authenticator(world.therapist)
    staff.goto(reverse("account_login"))
    staff.locator("#id_login").fill(world.therapist.user.email)
    staff.locator("#id_password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign In").click()
    expect(staff).to_have_url(re.compile(re.escape(reverse("mfa_authenticate")) + "$"))
    expect(staff.get_by_label("Code")).to_be_visible()
    expect(staff.get_by_role("button", name="Cancel")).to_have_class("button secondary")
    assert_product_page(staff, "mfa-authenticate")

    # A staff member without an authenticator confirms their password, then sets one up.
    newcomer = new_page(viewport)
    sign_in(newcomer, world.assistant)
    if "reauthenticate" in newcomer.url:
        assert_product_page(newcomer, "reauthenticate")
        newcomer.get_by_label("Password").fill(PASSWORD)
        newcomer.get_by_role("button", name="Confirm").click()
    expect(newcomer).to_have_url(re.compile(re.escape(reverse("mfa_activate_totp"))))
    assert_product_page(newcomer, "totp-activate")
    newcomer.goto(reverse("account_logout"))
    expect(newcomer.get_by_role("main").get_by_role("button", name="Sign Out")).to_have_class(
        "button"
    )
    assert_product_page(newcomer, "sign-out")

    # A parent's own account pages: changing the password, where they are signed in.
    parent = new_page(viewport)
    sign_in(parent, world.guardian)
    for name, address in [
        ("change-password", reverse("account_change_password")),
        ("sessions", reverse("usersessions_list")),
    ]:
        parent.goto(address)
        assert_product_page(parent, name)
        assert not parent.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_allauth_pages_wear_the_product_look_in_spanish(new_page: NewPage, world: World) -> None:
    page = new_page(PHONE)
    page.goto(reverse("account_reset_password"))
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="English")).to_be_visible()
    assert_product_page(page, "password-reset-es")


def danger_buttons(page: Page, words: str) -> list[str]:
    """The classes of the visible buttons whose words start with ``words``."""
    found = [b for b in page.evaluate(BUTTONS) if b["text"].startswith(words)]
    assert found, f"no button starting “{words}” on {page.url}"
    return [b["cls"] for b in found]


def test_destructive_actions_use_the_danger_button(new_page: NewPage, world: World) -> None:
    maya = world.child
    plan = make_plan(maya, world.therapist, goals=1)
    therapist = new_page(DESKTOP)
    sign_in(therapist, world.therapist, secret=give_authenticator(world.therapist))
    guardian = new_page(PHONE)
    sign_in(guardian, world.guardian)

    guardian.goto(reverse("consent:index", args=[maya.id]))
    assert set(danger_buttons(guardian, "Stop sharing with")) == {"danger"}

    therapist.goto(reverse("plans:detail", args=[maya.id, plan.id]))
    assert danger_buttons(therapist, "Close plan") == ["danger"]

    therapist.goto(reverse("mfa_index"))
    assert danger_buttons(therapist, "Deactivate") == ["button danger"]
    assert_product_page(therapist, "mfa-index")
