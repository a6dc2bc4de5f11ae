"""The stored-XSS corpus rendered in Chromium: no payload runs, on any page or PDF's HTML.

The corpus is written through every form (``security_tests/test_xss_writes``). Each role
then opens, in Chromium under Tandem's Content-Security-Policy, the pages that show what
was written: every page their links reach is read first (``test_xss_pages.crawl``), and the
fewest pages that together show every written field this role can see are rendered (the
family at 375 px, in child mode too), plus the HTML each PDF is printed from.

A payload that reached a page as markup would show as one of: a dialog (``alert``), a
Content-Security-Policy violation (an inline script or event handler refused — it would
have run without the policy), or an element it made in the live DOM. None may appear,
and each field's text must be readable on some page. The first test proves the detector
sees a live payload, with and without the policy.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    ViewportSize,
)
from pytest_django.live_server_helper import LiveServer

from tandem.accounts.models import Membership
from tandem.conftest import World
from tandem.conftest import sign_in as sign_in_client
from tandem.security_tests.test_xss_corpus import TAG, Corpus, fold, live_markup, page_text
from tandem.security_tests.test_xss_pages import READERS, crawl, pdf_pages, public_pages
from tandem.security_tests.test_xss_writes import write_everything

from .conftest import DESKTOP, PHONE, TIMEOUT_MS

pytestmark = [pytest.mark.browser]

# Collected before any script of the page runs (an init script is not subject to the CSP).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
});
"""
# What a reader gets: the visible text (folded parts opened), and the values of the
# fields of forms.
SHOWN = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  return [document.title, document.body.innerText,
    ...[...document.querySelectorAll('input, textarea')].map((e) => e.value)].join(' ');
}"""


@pytest.fixture(autouse=True)
def queries_filter_by_organization() -> Iterator[None]:
    """The crawl reads hundreds of pages; the organization scoping of their queries is
    checked by the rest of the suite, not here."""
    yield None


@dataclass
class Findings:
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    live: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # where → text
    rendered: int = 0
    current: str = ""  # the page being rendered, for the listeners


def _context(
    browser: Browser, live_server: LiveServer, viewport: ViewportSize, *, bypass_csp: bool = False
) -> BrowserContext:
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, locale="en-US", bypass_csp=bypass_csp
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(WATCH)
    return context


@contextmanager
def _page(
    browser: Browser,
    live_server: LiveServer,
    findings: Findings,
    viewport: ViewportSize,
    client: Client | None = None,
) -> Iterator[Page]:
    """A page in a fresh context, signed in as the test client is (if given), watched."""
    context = _context(browser, live_server, viewport)
    if client is not None:
        _signed_in(context, client, live_server)
    page = context.new_page()
    _watch(page, findings)
    try:
        yield page
    finally:
        context.close()


def _watch(page: Page, findings: Findings) -> None:
    def dialog(shown: Dialog) -> None:
        findings.dialogs.append(f"{findings.current}: {shown.type} {shown.message}")
        shown.dismiss()

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            findings.violations.append(f"{findings.current}: {message.text}")

    page.on("dialog", dialog)
    page.on("console", console)


def _signed_in(context: BrowserContext, client: Client, live_server: LiveServer) -> None:
    """Carry a test client's session (signed in, second factor passed) into the browser."""
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def render(page: Page, findings: Findings, url: str, label: str) -> None:
    findings.current = label
    page.goto(url, wait_until="load")
    findings.rendered += 1
    findings.violations += [f"{label}: {v}" for v in page.evaluate("window.__violations")]
    findings.live += [f"{label}: {found}" for found in live_markup(page.content())]
    findings.shown[label] = fold(page.evaluate(SHOWN))


def fewest_pages(pages: dict[str, str]) -> list[str]:
    """The fewest pages (greedily) that together show every tag any of them shows."""
    tags = {url: set(TAG.findall(page_text(html))) for url, html in pages.items()}
    wanted = set().union(*tags.values()) if tags else set()
    chosen: list[str] = []
    while wanted:
        best = max(tags, key=lambda url: len(tags[url] & wanted))
        chosen.append(best)
        wanted -= tags[best]
    return chosen


def _served_under_the_policy(page: Page, live_server: LiveServer, html: str) -> str:
    """Serve ``html`` at an address of the live server with Tandem's own policy."""
    policy = Client().get(reverse("account_login"))["Content-Security-Policy"]
    url = f"{live_server.url}/__xss__/{uuid.uuid4().hex}"
    page.route(
        url,
        lambda route: route.fulfill(
            body=html, headers={"Content-Type": "text/html", "Content-Security-Policy": policy}
        ),
    )
    return url


def test_the_detector_sees_a_live_payload(browser: Browser, live_server: LiveServer) -> None:
    """Unescaped payloads under the policy: violations and live elements; without it: a
    dialog. (A detector that saw nothing would let every test below pass.)"""
    html = (
        "<!doctype html><html><head><title>t</title></head><body>"
        '<img src=x data-xss onerror=alert("xss")><script>alert("xss")</script></body></html>'
    )
    for bypass in (False, True):
        findings = Findings()
        context = _context(browser, live_server, DESKTOP, bypass_csp=bypass)
        page = context.new_page()
        _watch(page, findings)
        render(page, findings, _served_under_the_policy(page, live_server, html), "canary")
        context.close()
        assert findings.live, "the live DOM check saw nothing"
        if bypass:
            assert findings.dialogs, "no dialog without the policy"
        else:
            assert findings.violations, "no violation reported under the policy"
            assert not findings.dialogs


def test_no_stored_payload_runs_in_chromium(
    browser: Browser, live_server: LiveServer, world: World
) -> None:
    def client_for(member: Membership) -> Client:
        return sign_in_client(Client(), member)

    corpus = write_everything(world, client_for)
    findings = Findings()
    for reader in READERS:
        member = reader.member(world)
        client = client_for(member)
        pages = crawl(client, reader.starts(world, corpus), depth=reader.depth)
        phone = PHONE if member.is_guardian else DESKTOP
        with _page(browser, live_server, findings, phone, client) as page:
            for url in fewest_pages(pages):
                render(page, findings, url, f"{reader.name}: {url}")
    # Child mode on the family's phone; the pages families reach from an email; the PDFs.
    with _page(browser, live_server, findings, PHONE, corpus.ids["child mode"]) as page:
        render(page, findings, reverse("childmode:home"), "child mode")
    with _page(browser, live_server, findings, PHONE) as page:
        for name, html in {**public_pages(world, corpus), **pdf_pages(world, corpus)}.items():
            if name.startswith("/") and "child-mode" not in name:
                render(page, findings, name, name)
            elif not name.startswith("/"):
                render(page, findings, _served_under_the_policy(page, live_server, html), name)
    print(
        f"Chromium: {corpus.payload_count} payloads in {len(corpus.written)} fields; "
        f"{findings.rendered} pages rendered"
    )
    assert findings.dialogs == []
    assert findings.violations == []
    assert findings.live == []
    assert unseen(corpus, findings) == []


def unseen(corpus: Corpus, findings: Findings) -> list[str]:
    """Fields no rendered page shows, or shows other than as the text written."""
    problems = []
    for written in corpus.written:
        if written.refused:
            continue
        texts = [text for text in findings.shown.values() if written.tag in text]
        missing = [p for p in written.payloads if not any(fold(p) in t for t in texts)]
        if not texts or missing:
            problems.append(f"{written.surface} · {written.field}: {missing or 'no page'}")
    return problems
