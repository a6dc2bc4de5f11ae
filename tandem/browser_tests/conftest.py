"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

One browser per test session; a fresh context (cookies, storage) per test. A failed
test leaves a screenshot of each of its pages in ``test-results/screenshots/``.
"""

import re
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from tandem.accounts.models import Membership
from tandem.conftest import World, build_world
from tandem.core.testing.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=375, height=740)
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

NewPage = Callable[..., Page]


def screenshot_dir(config: pytest.Config) -> Path:
    """Return ``test-results/screenshots`` under the project root, creating it."""
    path = config.rootpath / "test-results" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing. Install Debian's chromium package (apt-get install chromium)",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(transactional_db: None) -> None:
    """Sign-in rate limits live in the (database) cache; every test starts with none used."""
    cache.clear()


@pytest.fixture
def world(transactional_db: None, live_server: LiveServer) -> World:
    """The personas, committed so that the live server's requests can see them."""
    return build_world()


@pytest.fixture
def viewport() -> ViewportSize:
    """The window size of ``page``; parametrize ``viewport`` to change it."""
    return DESKTOP


@pytest.fixture
def new_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[NewPage]:
    """Return a function opening a page in a fresh browser context at a given viewport."""
    contexts: list[BrowserContext] = []

    def _new_page(viewport: ViewportSize = DESKTOP) -> Page:
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-US")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages):
            suffix = f"-{number + 1}" if len(pages) > 1 else ""
            try:
                page.screenshot(
                    path=screenshot_dir(request.config) / f"{name}{suffix}.png", full_page=True
                )
            except Exception as exc:  # a broken page must not hide the failure
                print(f"Could not take a screenshot of {page.url}: {exc}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage, viewport: ViewportSize) -> Page:
    return new_page(viewport)


def totp_code(secret: str) -> str:
    """Return the current authenticator code, waiting out the last seconds of a period
    (allauth accepts only the current one) so that it is still valid when submitted."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return pyotp.TOTP(secret).now()


def give_authenticator(membership: Membership) -> str:
    """Set up an authenticator app for a member and return its secret."""
    secret = pyotp.random_base32()
    TOTP.activate(membership.user, secret)
    return secret


def sign_in(page: Page, membership: Membership, *, secret: str | None = None) -> None:
    """Sign in through the login form, answering the authenticator step when there is one."""
    page.goto(reverse("account_login"))
    page.locator("#id_login").fill(membership.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if secret is not None:
        expect(page).to_have_url(re.compile(re.escape(reverse("mfa_authenticate")) + "$"))
        page.locator("input[name=code]").fill(totp_code(secret))
        page.get_by_role("button", name="Sign In").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))
