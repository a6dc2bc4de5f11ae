"""Every page and every PDF's HTML shows the stored payloads as text, never as markup.

The corpus is written through every form (``test_xss_writes``); then each role reads
Tandem as they do: every page reachable by links from their home (``crawl``), plus the
pages reached from a link in an email (the referral's status, a session reminder) and the
child's board in child mode. Each page is parsed as a browser parses it; the HTML each PDF
is printed from (progress report, evaluation summary, superbill, statement, estimate) is
checked the same way. ``browser_tests/test_stored_xss.py`` renders the pages in Chromium.
"""

import datetime
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess
from tandem.exports import registry
from tandem.exports.tasks import _request_as
from tandem.intake.links import token_for
from tandem.intake.models import Referral

from .test_xss_corpus import TAG, Corpus, fold, live_markup, page_text, parse, stored_tags
from .test_xss_writes import write_everything

# Links a reader follows; never these (files, feeds, leaving, other languages, the API).
SKIPPED = re.compile(
    r"^/(static|api|i18n|healthz)/|/accounts/(logout|2fa|password|email|reauthenticate)"
    r"|\.(pdf|csv|ics|txt)$|/pdf/$|/photo/$|/files/|/handout/|/item/file/|/child-mode/"
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SAME_KIND = 4  # addresses of one kind (one route, the same query names) read per role
MAX_PAGES = 250


def _kind(url: str) -> str:
    parts = urlsplit(url)
    names = sorted({name for name, _value in parse_qsl(parts.query)} - {"page"})
    return UUID.sub("<id>", parts.path) + "?" + "&".join(names)


def crawl(
    client: Client, starts: Iterable[str], *, depth: int = 9, limit: int = MAX_PAGES
) -> dict[str, str]:
    """The HTML of every page reachable by links from ``starts`` (same site, GET), up to
    ``depth`` links away, ``SAME_KIND`` pages of each kind."""
    seen: dict[str, str] = {}
    kinds: dict[str, int] = {}
    queue = deque((url, 0) for url in starts)
    while queue and len(seen) < limit:
        url, away = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.appendleft((response["Location"], away))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        seen[url] = html
        if away >= depth:
            continue
        for link in parse(html).iter("a"):
            href = (link.get("href") or "").split("#", 1)[0]
            path = href.split("?", 1)[0]
            if not href.startswith("/") or href.startswith("//") or SKIPPED.search(path):
                continue
            kind = _kind(href)
            if href not in seen and kinds.get(kind, 0) < SAME_KIND:
                kinds[kind] = kinds.get(kind, 0) + 1
                queue.append((href, away + 1))
    return seen


# --- Who reads, and where they start ---------------------------------------------------------


@dataclass
class Reader:
    name: str
    member: Callable[[World], Membership]
    starts: Callable[[World, Corpus], list[str]] = lambda world, corpus: ["/"]
    depth: int = 9


def _family_starts(world: World, corpus: Corpus) -> list[str]:
    maya = world.child.id
    return [
        "/",
        reverse("plans:index", args=[maya]),
        reverse("notes:index", args=[maya]),
        reverse("messaging:index", args=[maya]),
        reverse("appointments:family"),
        reverse("resources:workshops"),
        reverse("consent:index", args=[maya]),
    ]


def _staff_starts(world: World, corpus: Corpus) -> list[str]:
    maya = world.child.id
    notes = [reverse("notes:detail", args=[maya, n]) for k, n in corpus.ids.items() if "note-" in k]
    return [
        "/",
        reverse("children:detail", args=[maya]),
        reverse("plans:detail", args=[maya, corpus.ids["plan"]]),
        reverse("progress:report", args=[maya]),
        *notes,
    ]


def _desk_starts(world: World, corpus: Corpus) -> list[str]:
    referrals = Referral.objects.filter(organization=world.org)
    return ["/", *(reverse("intake:detail", args=[r.id]) for r in referrals)]


def _admin_starts(world: World, corpus: Corpus) -> list[str]:
    people = [reverse("accounts:person", args=[world.consented_collaborator.pk])]
    # Each emergency access's review page shows its whole reason (the queue shortens it).
    grants = EmergencyAccess.objects.filter(organization=world.org)
    reviews = [reverse("breakglass:review", args=[grant.pk]) for grant in grants]
    return [*_staff_starts(world, corpus), *_desk_starts(world, corpus), *people, *reviews]


READERS = [
    Reader("therapist", lambda w: w.therapist, _staff_starts),
    Reader("assistant", lambda w: w.assistant, _staff_starts, depth=1),
    Reader("admin", lambda w: w.admin, _admin_starts),
    Reader("front desk", lambda w: w.front_desk, _desk_starts),
    Reader("billing", lambda w: w.billing, lambda w, c: ["/", reverse("billing:remittances")]),
    Reader("guardian", lambda w: w.guardian, _family_starts),
    Reader("collaborator", lambda w: w.collaborator),
]


def public_pages(world: World, corpus: Corpus) -> dict[str, str]:
    """The pages families reach from an email, without signing in; and child mode."""
    urls = [
        reverse("intake:status", args=[token_for(world.org.pk, r.pk)])
        for r in Referral.objects.filter(organization=world.org)
    ]
    urls.append(reverse("intake:refer", args=[world.org.id]))
    pages = {url: Client().get(url).content.decode() for url in urls}
    tablet: Client = corpus.ids["child mode"]
    board = reverse("childmode:home")
    pages[board] = tablet.get(board).content.decode()
    return pages


def pdf_pages(world: World, corpus: Corpus) -> dict[str, str]:
    """The HTML each PDF is printed from, as the worker makes it for each reader."""
    today = clinic_today()
    start = (today - datetime.timedelta(days=60)).isoformat()
    documents: list[tuple[str, Membership, dict[str, Any]]] = [
        ("progress.report", world.therapist, {"start": start, "register": "clinical"}),
        ("progress.report", world.guardian, {"start": start, "register": "family"}),
        ("assessments.summary", world.therapist, {"evaluation_id": corpus.ids["evaluation"]}),
        ("assessments.summary", world.guardian, {"evaluation_id": corpus.ids["evaluation"]}),
        ("notes.note", world.therapist, {"note": corpus.ids[f"note-{world.therapist.pk}"]}),
        ("notes.note", world.guardian, {"note": corpus.ids[f"note-{world.therapist.pk}"]}),
        ("billing.superbill", world.billing, {"month": today.strftime("%Y-%m")}),
        ("billing.statement", world.guardian, {}),
        (
            "billing.good_faith_estimate",
            world.guardian,
            {"per_week": "1", "weeks": "12", "code_0": "97530", "units_0": "2"},
        ),
    ]
    pages = {}
    for kind, member, params in documents:
        request = _request_as(Membership.objects.get(pk=member.pk), "en")
        html, _name = registry.kind(kind).render(request, world.child, params)
        pages[f"PDF {kind} as {member.role}"] = html
    return pages


# --- What the pages show ------------------------------------------------------------------


@dataclass
class Reading:
    """Every page read, and what each showed of the corpus."""

    pages: dict[str, dict[str, str]] = field(default_factory=dict)  # reader → url → html
    live: list[str] = field(default_factory=list)
    shown: dict[str, set[str]] = field(default_factory=dict)  # tag → where
    texts: dict[str, str] = field(default_factory=dict)

    def add(self, reader: str, pages: dict[str, str]) -> None:
        self.pages[reader] = pages
        for url, html in pages.items():
            where = f"{reader}: {url}"
            self.live += [f"{where}: {found}" for found in live_markup(html)]
            text = page_text(html)
            self.texts[where] = text
            for tag in set(TAG.findall(text)):
                self.shown.setdefault(tag, set()).add(where)

    @property
    def page_count(self) -> int:
        return sum(len(pages) for pages in self.pages.values())


def read_everything(world: World, corpus: Corpus, client_as: ClientAs) -> Reading:
    reading = Reading()
    for reader in READERS:
        client = client_as(reader.member(world))
        reading.add(reader.name, crawl(client, reader.starts(world, corpus), depth=reader.depth))
    reading.add("public and child mode", public_pages(world, corpus))
    reading.add("PDF", pdf_pages(world, corpus))
    return reading


def unshown(corpus: Corpus, reading: Reading) -> list[str]:
    """Fields whose payload no page shows, or shows other than as the text written."""
    problems = []
    for written in corpus.written:
        if written.refused:
            continue
        where = reading.shown.get(written.tag)
        if not where:
            problems.append(f"{written.surface} · {written.field}: shown on no page")
            continue
        wanted = [fold(p) for p in written.payloads]
        texts = [reading.texts[w] for w in where]
        missing = [p for p in wanted if not any(p in text for text in texts)]
        if missing:
            problems.append(f"{written.surface} · {written.field}: not shown as text: {missing}")
    return problems


@pytest.fixture(autouse=True)
def queries_filter_by_organization() -> Iterator[None]:
    """The crawl reads some 430 pages: checking the organization scoping of each query
    doubles its time, and the authorization matrices check it on every route already."""
    yield None


def test_no_page_or_pdf_turns_a_stored_payload_into_markup(
    world: World, client_as: ClientAs
) -> None:
    corpus = write_everything(world, client_as)
    # Every payload a form accepted is in the database, whole (a silent refusal is not).
    assert corpus.refusals == []  # no form refused a payload
    stored = stored_tags()
    lost = [f"{w.surface} · {w.field}" for w in corpus.written if w.tag not in stored]
    assert lost == []
    reading = read_everything(world, corpus, client_as)
    print(
        f"{len(corpus.written)} fields written through {len({w.surface for w in corpus.written})} "
        f"forms, "
        f"{corpus.payload_count} payloads; {reading.page_count} pages read"
    )
    assert reading.live == []
    problems = unshown(corpus, reading)
    assert problems == [], "\n".join(problems)
