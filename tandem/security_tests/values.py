"""Hostile values for query parameters: what a sort, filter, search or page parameter must
survive (``test_params_api.py``, ``test_params_pages.py``).

Any text (unicode, control characters, NUL), SQL and LIKE metacharacters, very long
strings, numbers far outside any range, dates at and past the calendar's ends, and real ids
— of the caller's own records and of records they may not see.
"""

from typing import Any

from hypothesis import strategies as st

NASTY = (
    "' OR '1'='1",
    "1; DROP TABLE children_child; --",
    '" OR ""="',
    "%",
    "_",
    "%_%",
    "\\",
    "\\x00",
    "\x00",
    "a\x00b",
    "' UNION SELECT NULL--",
    "*",
    "?",
    "..",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${7*7}",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "-inf",
    "9" * 40,
    "-" + "9" * 40,
    "18446744073709551616",
    "9223372036854775808",
    "0x10",
    "\uff11\uff12",  # full-width digits
    "\u0663",  # an Arabic-Indic digit
    "9999-12-31",
    "0000-00-00",
    "0001-01-01",
    "0000-01-01",
    "10000-01-01",
    "-0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-W53",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-23:59",
    "2026-01-01T25:61:61",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "\U0001d518\U0001d52b\U0001d526",  # mathematical letters
    "\u202etxt.exe",
    "\ufeff",
    " ",
    "",
)


# Tried for every parameter at once, on every run, before the generated values.
EVERY_TIME = (
    "\x00",
    "9" * 25,
    "-1",
    "9999-12-31",
    "0000-00-00",
    "' OR '1'='1",
    "%_\\",
    "x" * 3000,
)


def hostile() -> st.SearchStrategy[str]:
    """Any of the hostile values above, any text, long text, or a number as text."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.text(min_size=1000, max_size=3000),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.dates().map(str),
        st.datetimes().map(lambda moment: moment.isoformat()),
        st.uuids().map(str),
    )


def value_for(real: list[str]) -> st.SearchStrategy[str]:
    """A hostile value, or one of the real ids given (one's own records and others')."""
    if not real:
        return hostile()
    return st.one_of(hostile(), st.sampled_from(real))


def query_of(names: tuple[str, ...], real: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """A query string's values for these parameters: each present or left out."""
    return st.fixed_dictionaries(
        {},
        optional={name: value_for(real.get(name, [])) for name in names},
    )
