"""Pages and API answers travel gzipped to clients that accept it; PDFs do not (issue 16)."""

import gzip
import json

from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.exports.tests.helpers import download_pdf


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    url = reverse("children:detail", args=[world.child.id])
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert world.child.first_name in page
    assert len(packed.content) < len(plain.content) / 2
    assert "no-store" in packed["Cache-Control"]  # still never cached


def test_an_api_answer_is_gzipped_too(world: World, client_as: ClientAs) -> None:
    response = client_as(world.therapist).get("/api/v1/children", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    names = [c["display_name"] for c in json.loads(gzip.decompress(response.content))["items"]]
    assert world.child.display_name in names


def test_a_pdf_is_sent_as_it_is(world: World, client_as: ClientAs) -> None:
    url = reverse("progress:report_pdf", args=[world.child.id])
    response = download_pdf(client_as(world.therapist), url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"%PDF")
