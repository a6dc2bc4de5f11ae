"""Finding a goal's clinical SMART statement on a page, whole or in part: its first 40
characters (a statement cut short with "…" still leaks them) and every run of
``FRAGMENT_WORDS`` words of it that no family-facing text also says (the family wording,
the child's words, the five GAS steps and the strategies are shown to families on
purpose, and so are signed notes: a statement may share a phrase with them).

Text is compared plainly (``wording._plain``: letters and digits, lower case, one space
apart), over the whole page, markup included, so a statement in an attribute
(``aria-label``, ``title``, ``data-say``) counts too.
"""

import html
import re
from collections import deque
from collections.abc import Iterable, Iterator

from django.test import Client

from tandem.core.testing.links import Links, internal
from tandem.plans.models import Goal
from tandem.plans.wording import WORDING_FIELDS, _plain

PREFIX_CHARS = 40
FRAGMENT_WORDS = 6
# What families read about a goal on purpose: a statement's phrase found in one of these
# is not distinctive of the statement.
FAMILY_FACING = (
    *WORDING_FIELDS,
    "child_words",
    "gas_minus_2",
    "gas_minus_1",
    "gas_0",
    "gas_plus_1",
    "gas_plus_2",
    "strategies",
)


def _windows(words: list[str], size: int) -> Iterator[str]:
    for i in range(len(words) - size + 1):
        yield " ".join(words[i : i + size])


class ClinicalText:
    """The clinical statements of ``goals``, ready to look for on pages."""

    def __init__(self, goals: Iterable[Goal], also_shown: Iterable[str] = ()) -> None:
        """``also_shown``: other texts families read on purpose that may share a phrase
        with a statement (a signed note's "12 steps in a row without support", say)."""
        self.prefixes: dict[str, Goal] = {}
        self.fragments: dict[str, Goal] = {}
        goals = list(goals)
        texts = [getattr(g, name, "") or "" for g in goals for name in FAMILY_FACING]
        allowed = {
            window
            for text in (*texts, *also_shown)
            for window in _windows(_plain(text).split(), FRAGMENT_WORDS)
        }
        for goal in goals:
            words = _plain(goal.statement).split()
            prefix = _plain(goal.statement[:PREFIX_CHARS]).split()
            if len(words) > len(prefix) > 1:
                prefix = prefix[:-1]  # the 40th character may cut a word in two
            if len(prefix) >= 3:
                self.prefixes[" ".join(prefix)] = goal
            for fragment in _windows(words, FRAGMENT_WORDS):
                if fragment not in allowed:
                    self.fragments[fragment] = goal

    def leaks(self, body: str) -> list[str]:
        """What of a clinical statement a page shows (empty: nothing)."""
        text = _plain(html.unescape(body))
        shown = set(_windows(text.split(), FRAGMENT_WORDS))
        found = [
            f"the start of {goal.statement!r}"
            for prefix, goal in self.prefixes.items()
            if f" {prefix} " in f" {text} "
        ]
        found += [
            f"{fragment!r} of {goal.statement!r}"
            for fragment, goal in self.fragments.items()
            if fragment in shown
        ]
        return found


def pages(client: Client, start: list[str], most: int = 400) -> Iterator[tuple[str, str]]:
    """(URL, HTML) of every page a signed-in person reaches from ``start`` by links and GET
    forms (breadth first; a list's pages past the second are left out: they repeat it)."""
    seen: set[str] = set()
    queue = deque(start)
    while queue and len(seen) < most:
        url = queue.popleft()
        if url in seen or re.search(r"[?&]page=([3-9]|\d\d)", url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            target = internal(url, response["Location"])
            if target:
                queue.append(target)
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        yield url, body
        links = Links()
        links.feed(body)
        queue.extend(t for t in (internal(url, h) for h in links.found) if t and t not in seen)
    assert len(seen) < most, f"the crawl did not finish in {most} pages"
