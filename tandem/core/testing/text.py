"""Finding things in pages and emails, for tests: a pattern that must be there."""

import re

from django.utils.functional import Promise


def found(pattern: str | re.Pattern[str], text: str | Promise) -> re.Match[str]:
    """The first match of ``pattern`` in ``text``; fails the test if there is none."""
    match = re.search(pattern, str(text))
    assert match is not None, f"{pattern!r} not found in {str(text)[:200]!r}"
    return match


# A CSRF token, a CSP nonce or a signature: a long run of letters, digits and the URL-safe
# marks. No word or name a test looks for is written that way, but a random token can spell
# one ("GAS" turned up inside a CSRF token once), so tests that say a word is *not* on a page
# read the page without them.
RANDOM_TOKEN = re.compile(r"[A-Za-z0-9_:-]{22,}")


def without_tokens(html: str | bytes) -> str:
    """The page with its random tokens blanked: what a "this word is not here" test reads."""
    text = html.decode() if isinstance(html, bytes) else html
    return RANDOM_TOKEN.sub("…", text)
