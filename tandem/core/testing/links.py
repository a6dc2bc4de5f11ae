"""The links a person can follow on a page, for the tests that crawl the pages as them
(``core/tests/test_family_links.py``, ``plans/tests/clinical_text.py``)."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SKIPPED_PREFIXES = ("/static/", "/media/")


class Links(HTMLParser):
    """The targets a person can follow on a page: links and GET forms."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("href"):
            self.found.append(named["href"] or "")
        if tag == "form" and (named.get("method") or "get").lower() == "get":
            self.found.append(named.get("action") or "")


def internal(base: str, href: str) -> str | None:
    """The same-origin path (with its query) a link points at, without its fragment;
    None for another site, ``mailto:``/``tel:``/``javascript:``, a fragment alone, and
    static or uploaded files (served by the web server in production, not by Django)."""
    href = href.strip()
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
