"""Staff without an authenticator app set one up before they can open any record."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.text import found

from .conftest import sign_in, totp_code

pytestmark = pytest.mark.browser

ACTIVATE_PATH = reverse("mfa_activate_totp")
ACTIVATE = re.compile(re.escape(ACTIVATE_PATH) + "$")
# The activation page, or allauth's password prompt standing in front of it.
SET_UP_MFA = re.compile(
    re.escape(ACTIVATE_PATH)
    + "$|"
    + re.escape(reverse("account_reauthenticate") + "?next=" + quote(ACTIVATE_PATH, safe=""))
)


def test_staff_without_an_authenticator_must_set_one_up_before_the_caseload(
    page: Page, world: World
) -> None:
    sign_in(page, world.therapist)
    expect(page).to_have_url(SET_UP_MFA)
    expect(page.get_by_role("status")).to_contain_text("Staff accounts need an authenticator app")

    for address in (reverse("children:caseload"), world.child.get_absolute_url()):
        page.goto(address)
        expect(page).to_have_url(SET_UP_MFA)
        expect(page.get_by_role("main")).not_to_contain_text("Maya Okafor")

    # allauth asks for the password again before an authenticator is added.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(ACTIVATE)

    # Scanning the QR code: the app is given the secret shown beside it.
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).not_to_have_url(ACTIVATE)

    page.goto(reverse("children:caseload"))
    expect(page).to_have_url(re.compile(re.escape(reverse("children:caseload")) + "$"))
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Maya Okafor")


def test_an_invited_therapist_goes_from_password_to_authenticator_to_the_caseload(
    page: Page, world: World
) -> None:
    """The invitation link, a first password, the authenticator app (no second password
    prompt), the recovery codes, and on into Tandem: each page in Tandem's layout."""
    from tandem.accounts.actions import invite_person

    mail.outbox.clear()
    invite_person(
        world.admin, email="new.ot@example.org", role="therapist", first_name="Nia",
        last_name="Ruiz", discipline="ot", licence="licensed",
    )  # fmt: skip
    # The worker makes the link's token when it sends the email (tests run tasks at once).
    (message,) = mail.outbox
    raw = found(r"/accounts/invitation/([^/\s]+)/", message.body)[1]
    page.goto(reverse("accounts:accept_invitation", args=[raw]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Riverside Pediatric Therapy")
    page.get_by_label("Choose a password").fill("a-long-new-passphrase")
    page.get_by_label("Type it again").fill("a-long-new-passphrase")
    page.get_by_role("button", name="Save password and sign in").click()

    expect(page).to_have_url(ACTIVATE)  # straight on: no "Confirm Access"
    expect(page.locator("header.topbar")).to_be_visible()  # Tandem's layout
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_view_recovery_codes")) + "$"))
    page.get_by_role("link", name="Continue to Tandem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")  # their day first
