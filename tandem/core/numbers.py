"""Numbers as people read them, in their language: "2.5" in English, "2,5" in Spanish.

Numbers a machine reads (SVG coordinates, JSON, CSV, ``data-*`` attributes, inline
styles) are never localized: chart templates draw inside ``{% localize off %}`` and
code writes them with plain f-strings. Numbers a person reads go through here.
"""

from decimal import Decimal
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import get_language


def short(value: float) -> str:
    """The shortest plain form of a value: 40, 2.5, 0.25 (two significant digits under 1)."""
    return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"


def for_people(value: float) -> str:
    """A value in its shortest form, with the active language's decimal separator."""
    return _for_people(short(value), get_language())


@lru_cache(maxsize=4096)
def _for_people(plain: str, language: str | None) -> str:
    # Cached: a chart labels dozens of values, and number_format looks up the language's
    # formats on every call; the same values recur across goals and pages.
    return number_format(Decimal(plain))
