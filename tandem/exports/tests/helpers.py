"""Asking for a PDF in a test as a person does: the page that says it is being made, then
the file that page opens. The worker's task runs when the request's transaction commits
(the test settings' immediate backend; the test's own transaction never commits, so the
callbacks are run at once)."""

import gzip
import html
import re
from typing import Any

from django.test import Client, TestCase

from tandem.core.testing.types import Response

POLL = re.compile(r'data-export-url="([^"]+)"')


def poll_url(page: Response) -> str:
    body = page.content
    if page.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    found = POLL.search(body.decode())
    assert found, "the waiting page names no export to poll"
    return html.unescape(found.group(1))


def download_pdf(client: Client, url: str, data: Any = None, **extra: Any) -> Response:
    """The PDF at ``url`` (or the refusal: a 400 or 404 is answered by the first page)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        waiting = client.get(url, data, **extra)
    if waiting.status_code != 200:
        return waiting
    pdf = client.get(poll_url(waiting), **extra)
    # A print that failed answers 200 too (the page saying so): that is not a PDF.
    assert pdf["Content-Type"] == "application/pdf", pdf.content[:300]
    return pdf
