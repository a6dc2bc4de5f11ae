"""Finding things in pages and emails, for tests: a pattern that must be there."""

import re

from django.utils.functional import Promise


def found(pattern: str | re.Pattern[str], text: str | Promise) -> re.Match[str]:
    """The first match of ``pattern`` in ``text``; fails the test if there is none."""
    match = re.search(pattern, str(text))
    assert match is not None, f"{pattern!r} not found in {str(text)[:200]!r}"
    return match
