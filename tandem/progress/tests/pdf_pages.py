"""The pages of a PDF as WeasyPrint lays them out: how full each is, and its text.

The worker prints with ``weasyprint.HTML(...).write_pdf()``; ``printed_html`` swaps that
for a recorder, so a test asks for a PDF as a person does and then lays the same HTML
out with WeasyPrint's document API (``render()``) to measure each page.
"""

from dataclasses import dataclass
from typing import Any

import pytest
import weasyprint
from django.conf import settings

HTML = weasyprint.HTML  # the real printer, kept before a test swaps it for a recorder


@dataclass
class Page:
    fill: float  # the share of the page's content area down to its last line, 0 to 1
    text: str


def printed_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the HTML the worker prints (the PDF it answers is a stub)."""
    printed: list[str] = []

    class Printer:
        def __init__(self, string: str, base_url: str) -> None:
            printed.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7"

    monkeypatch.setattr(weasyprint, "HTML", Printer)
    return printed


def pages(html: str) -> list[Page]:
    """Lay ``html`` out as the worker does and measure each page."""
    from weasyprint.formatting_structure import boxes

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    result = []
    for page in document.pages:
        page_box: Any = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        bottom, words = top, []
        stack = [b for b in page_box.children if not isinstance(b, boxes.MarginBox)]
        while stack:
            box = stack.pop(0)
            if isinstance(box, boxes.TextBox):
                words.append(box.text)
            if isinstance(box, boxes.LineBox | boxes.ReplacedBox | boxes.TableRowBox):
                bottom = max(bottom, box.position_y + box.margin_height())
            stack[:0] = list(getattr(box, "children", []))
        result.append(Page(fill=(bottom - top) / height, text=" ".join(words)))
    return result
